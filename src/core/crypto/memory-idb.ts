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
  const prototype = fake.IDBDatabase.prototype;
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
    factory: fake['indexedDB'] as IdbFactory,
    onWrite(listener) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
  };
}

interface TransactionEvents {
  addEventListener(type: 'complete', listener: () => void): void;
}

interface DatabasePrototype {
  transaction(this: { name: string }, stores: unknown, mode?: string, options?: unknown): TransactionEvents;
}
