/**
 * The in-memory IndexedDB the Rust crypto runs on in Node (fake-indexeddb), installed as the global
 * `indexedDB` once per process, with a way to hear of every committed write: a crypto store is saved when its
 * databases changed, not on a timer.
 */
import type { IdbFactory } from './idb-snapshot.ts';

type WriteListener = (databaseName: string) => void;

export interface MemoryIndexedDb {
  factory: IdbFactory;
  /** Calls `listener` with the database's name after each committed read-write transaction. */
  onWrite(listener: WriteListener): { dispose(): void };
  /**
   * Closes every connection still open to a database whose name starts with `prefix`. After the crypto
   * stopped, its objects that the garbage collector has not freed yet (a finished verification, say) may still
   * hold one, which would keep the database from being deleted.
   */
  closeConnections(prefix: string): void;
}

let installed: Promise<MemoryIndexedDb> | undefined;

export function memoryIndexedDb(): Promise<MemoryIndexedDb> {
  installed ??= install();
  return installed;
}

async function install(): Promise<MemoryIndexedDb> {
  // What the Rust crypto looks up on the global object, as in a browser (types: DOM-less, so `unknown`).
  const fake = (await import('fake-indexeddb')) as unknown as Record<string, unknown> & {
    IDBDatabase: { prototype: DatabasePrototype };
  };
  for (const name of [
    'indexedDB',
    'IDBCursor',
    'IDBCursorWithValue',
    'IDBDatabase',
    'IDBFactory',
    'IDBIndex',
    'IDBKeyRange',
    'IDBObjectStore',
    'IDBOpenDBRequest',
    'IDBRequest',
    'IDBTransaction',
    'IDBVersionChangeEvent',
  ])
    Object.defineProperty(globalThis, name, { value: fake[name], configurable: true, writable: true });
  const listeners = new Set<WriteListener>();
  const connections = new Set<Connection>();
  const factory = fake['indexedDB'] as IdbFactory;
  const open = factory.open.bind(factory) as unknown as (name: string, version?: number) => OpenEvents;
  factory.open = (name, version) => {
    const request = open(name, version);
    request.addEventListener('success', () => connections.add(request.result));
    return request as unknown as ReturnType<IdbFactory['open']>;
  };
  const prototype = fake.IDBDatabase.prototype;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with each database as `this`
  const close = prototype.close;
  prototype.close = function (this: Connection) {
    connections.delete(this);
    close.call(this);
  };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with each database as `this`
  const original = prototype.transaction;
  prototype.transaction = function (this: { name: string }, stores, mode, options) {
    const transaction = original.call(this, stores, mode, options);
    if (mode === 'readwrite') {
      const name = this.name;
      transaction.addEventListener('complete', () => {
        for (const listener of listeners) listener(name);
      });
    }
    return transaction;
  };
  return {
    factory,
    closeConnections(prefix) {
      for (const connection of [...connections]) if (connection.name.startsWith(prefix)) connection.close();
    },
    onWrite(listener) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
  };
}

interface TransactionEvents {
  addEventListener(type: 'complete', listener: () => void): void;
}

interface Connection {
  readonly name: string;
  close(): void;
}

interface OpenEvents {
  result: Connection;
  addEventListener(type: 'success', listener: () => void): void;
}

interface DatabasePrototype {
  transaction(this: { name: string }, stores: unknown, mode?: string, options?: unknown): TransactionEvents;
  close(this: Connection): void;
}
