/**
 * IndexedDB databases as one value and back. The Rust crypto keeps its store in IndexedDB, which Node lacks:
 * it runs on an in-memory IndexedDB (fake-indexeddb), whose databases are saved as a snapshot (this) and
 * restored from it before the crypto opens them. Only the standard IndexedDB API is used: schema (stores,
 * key paths, indexes) and every record, values as the structured clone gives them (binary stays binary).
 */

/** The parts of the IndexedDB API the snapshot uses (typed here: the core is compiled without the DOM). */
interface Request<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface OpenRequest extends Request<Database> {
  onupgradeneeded: (() => void) | null;
  onblocked: (() => void) | null;
  transaction: Transaction | null;
}
interface Database {
  readonly name: string;
  readonly version: number;
  readonly objectStoreNames: ArrayLike<string>;
  transaction(stores: string[], mode: 'readonly' | 'readwrite'): Transaction;
  createObjectStore(name: string, options: { keyPath: KeyPath | null; autoIncrement: boolean }): ObjectStore;
  close(): void;
}
interface Transaction {
  objectStore(name: string): ObjectStore;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  error: unknown;
}
type KeyPath = string | string[];
interface Index {
  readonly name: string;
  readonly keyPath: KeyPath;
  readonly unique: boolean;
  readonly multiEntry: boolean;
}
interface ObjectStore {
  readonly keyPath: KeyPath | null;
  readonly autoIncrement: boolean;
  readonly indexNames: ArrayLike<string>;
  index(name: string): Index;
  createIndex(name: string, keyPath: KeyPath, options: { unique: boolean; multiEntry: boolean }): Index;
  getAllKeys(): Request<unknown[]>;
  getAll(): Request<unknown[]>;
  put(value: unknown, key?: unknown): Request<unknown>;
}
export interface IdbFactory {
  open(name: string, version?: number): OpenRequest;
  deleteDatabase(name: string): Request<unknown> & { onblocked: (() => void) | null };
  databases(): Promise<Array<{ name?: string; version?: number }>>;
}

export interface StoreSnapshot {
  name: string;
  keyPath: KeyPath | null;
  autoIncrement: boolean;
  indexes: Array<{ name: string; keyPath: KeyPath; unique: boolean; multiEntry: boolean }>;
  /** Out-of-line keys (absent when the store's key path is inside the value). */
  keys?: unknown[];
  values: unknown[];
}

export interface DatabaseSnapshot {
  name: string;
  version: number;
  stores: StoreSnapshot[];
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function done<T>(request: Request<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(asError(request.error));
  });
}

function finished(transaction: Transaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(asError(transaction.error));
    transaction.onabort = () => reject(asError(transaction.error ?? 'transaction aborted'));
  });
}

function openExisting(factory: IdbFactory, name: string): Promise<Database> {
  return done(factory.open(name));
}

/** The names of the databases whose name starts with `prefix`. */
export async function databaseNames(factory: IdbFactory, prefix: string): Promise<string[]> {
  const all = await factory.databases();
  return all.map((db) => db.name ?? '').filter((name) => name.startsWith(prefix));
}

/** Every database whose name starts with `prefix`, whole, read in one read-only transaction each. */
export async function snapshotDatabases(factory: IdbFactory, prefix: string): Promise<DatabaseSnapshot[]> {
  const snapshots: DatabaseSnapshot[] = [];
  for (const name of (await databaseNames(factory, prefix)).sort()) {
    const db = await openExisting(factory, name);
    try {
      const storeNames = Array.from(db.objectStoreNames);
      if (storeNames.length === 0) {
        snapshots.push({ name, version: db.version, stores: [] });
        continue;
      }
      const transaction = db.transaction(storeNames, 'readonly');
      const reads = storeNames.map(async (storeName): Promise<StoreSnapshot> => {
        const store = transaction.objectStore(storeName);
        const inline = store.keyPath !== null;
        const [keys, values] = await Promise.all([inline ? undefined : done(store.getAllKeys()), done(store.getAll())]);
        return {
          name: storeName,
          keyPath: store.keyPath,
          autoIncrement: store.autoIncrement,
          indexes: Array.from(store.indexNames).map((indexName) => {
            const { keyPath, unique, multiEntry } = store.index(indexName);
            return { name: indexName, keyPath, unique, multiEntry };
          }),
          ...(keys ? { keys } : {}),
          values,
        };
      });
      const [stores] = await Promise.all([Promise.all(reads), finished(transaction)]);
      snapshots.push({ name, version: db.version, stores });
    } finally {
      db.close();
    }
  }
  return snapshots;
}

/**
 * Deletes a database. One still open elsewhere would wait for that connection to close, possibly for ever:
 * that is an error here (whoever opened it has not stopped).
 */
function deleteDatabase(factory: IdbFactory, name: string): Promise<unknown> {
  const request = factory.deleteDatabase(name);
  const deleted = done(request);
  const blocked = new Promise<never>((_resolve, reject) => {
    request.onblocked = () => reject(new Error(`the database ${name} is still open`));
  });
  return Promise.race([deleted, blocked]);
}

/** Deletes every database whose name starts with `prefix`. */
export async function deleteDatabases(factory: IdbFactory, prefix: string): Promise<void> {
  for (const name of await databaseNames(factory, prefix)) await deleteDatabase(factory, name);
}

/**
 * Recreates the databases of a snapshot (replacing any of the same name): schema at the same version, then
 * every record. A snapshot that does not fit (a bad record) rejects; what was written of it is then deleted.
 */
export async function restoreDatabases(factory: IdbFactory, snapshots: DatabaseSnapshot[]): Promise<void> {
  for (const snapshot of snapshots) {
    await deleteDatabase(factory, snapshot.name);
    try {
      await restoreDatabase(factory, snapshot);
    } catch (error) {
      await deleteDatabase(factory, snapshot.name).catch(() => undefined);
      throw error;
    }
  }
}

async function restoreDatabase(factory: IdbFactory, snapshot: DatabaseSnapshot): Promise<void> {
  const request = factory.open(snapshot.name, snapshot.version);
  request.onupgradeneeded = () => {
    const db = request.result;
    for (const store of snapshot.stores) {
      const created = db.createObjectStore(store.name, { keyPath: store.keyPath, autoIncrement: store.autoIncrement });
      for (const index of store.indexes)
        created.createIndex(index.name, index.keyPath, { unique: index.unique, multiEntry: index.multiEntry });
    }
  };
  const db = await done(request);
  try {
    if (snapshot.stores.length === 0) return;
    const transaction = db.transaction(
      snapshot.stores.map((store) => store.name),
      'readwrite',
    );
    const complete = finished(transaction);
    for (const store of snapshot.stores) {
      const target = transaction.objectStore(store.name);
      store.values.forEach((value, i) => {
        if (store.keys) target.put(value, store.keys[i]);
        else target.put(value);
      });
    }
    await complete;
  } finally {
    db.close();
  }
}
