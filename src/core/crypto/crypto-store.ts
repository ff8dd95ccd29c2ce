/**
 * An account's end-to-end encryption store, kept across restarts. The Rust crypto keeps its device keys, Olm
 * and Megolm sessions in IndexedDB; in Node that is an in-memory IndexedDB (memory-idb.ts), so the account's
 * databases are restored from a sealed file (sealed-file.ts, key in secret storage) before the crypto opens
 * them, and saved back a moment after each write and when the account stops.
 *
 * Crash window: a write reaches the file at most `flushDelayMs` (plus the write itself) after the crypto made
 * it. Callers that must not get ahead of the store (the sync token: a token stored before the keys that came
 * with its response would lose them for good) call `flush()` first.
 *
 * One writer at a time, across windows: see store-writer.ts (a window that takes the account over from a running one
 * opens the file once that one has saved for the last time).
 *
 * A file that does not open (damaged, truncated, or its key lost) is not fatal: the account starts as a new
 * device with an empty store, and `opened` says why, for the person to be told.
 */
import { access, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log.ts';
import type { SecretStore } from '../session/session.ts';
import { deleteDatabases, restoreDatabases, snapshotDatabases, type DatabaseSnapshot } from './idb-snapshot.ts';
import { memoryIndexedDb, type MemoryIndexedDb } from './memory-idb.ts';
import { newSealKey, readSealed, UnsealError, writeSealed, type UnsealFailure } from './sealed-file.ts';
import { awaitHandover, claimWriter, forgetWriter, isWriter, newWriter, releaseWriter } from './store-writer.ts';

const KEY_PREFIX = 'matrix-channels.crypto-store-key.';

export interface CryptoStoreLocation {
  accountId: string;
  /** The folder of the sealed files (one per account). */
  directory: string;
  secrets: SecretStore;
}

export interface CryptoStoreOptions extends CryptoStoreLocation {
  /** The device the store is for: keys stored for another device (a new sign-in) are not this one's. */
  device: { userId: string; deviceId: string };
  log: Logger;
  /** How long after a write the file is brought up to date (default 1 s). */
  flushDelayMs?: number;
  /** The longest wait for another window's store of the account to save and let go (default 10 s). */
  handoverMs?: number;
}

/** How the store came up: from its file, new (first start), or new because the file did not open. */
export type StoreOpening = { kind: 'restored' } | { kind: 'new' } | { kind: 'reset'; failure: UnsealFailure };

export interface FlushStats {
  bytes: number;
  ms: number;
}

/** What the sealed file holds: the device the keys are for, and its databases. */
interface SealedStore {
  device: { userId: string; deviceId: string };
  databases: DatabaseSnapshot[];
}

/**
 * What the account's file holds for this device: its databases, or why there are none (new: no file, or keys of
 * another device; reset: a file that does not open, its key lost included).
 */
async function readStore(
  options: CryptoStoreOptions,
  key: Buffer | undefined,
): Promise<{ databases: DatabaseSnapshot[] } | Exclude<StoreOpening, { kind: 'restored' }>> {
  if (!key) return (await exists(fileOf(options))) ? { kind: 'reset', failure: 'wrong_key' } : { kind: 'new' };
  let sealed: Partial<SealedStore> | null;
  try {
    sealed = (await readSealed(fileOf(options), key, options.accountId)) as Partial<SealedStore> | null;
  } catch (error) {
    if (!(error instanceof UnsealError)) throw error;
    return error.failure === 'missing' ? { kind: 'new' } : { kind: 'reset', failure: error.failure };
  }
  const prefix = `${cryptoDatabasePrefix(options.accountId)}::`;
  const databases = sealed?.databases;
  if (!Array.isArray(databases) || databases.some((db) => !db.name.startsWith(prefix)))
    return { kind: 'reset', failure: 'damaged' };
  const { userId, deviceId } = options.device;
  if (sealed?.device?.userId !== userId || sealed.device.deviceId !== deviceId) {
    options.log.info(`account ${options.accountId}: a new device; the stored encryption keys were another's`);
    return { kind: 'new' };
  }
  return { databases };
}

/** Each account's store open in this process, by its `closed` promise. */
const OPEN_STORES = new Map<string, Promise<void>>();
/** How long a new store waits for the previous one of its account to close (it is closing: a stop is under way). */
const CLOSE_WAIT_MS = 10_000;

function settledWithin(promise: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!promise) return Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([promise.then(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

function secretKey(accountId: string): string {
  return `${KEY_PREFIX}${accountId}`;
}

function fileOf(location: CryptoStoreLocation): string {
  return join(location.directory, `${encodeURIComponent(location.accountId)}.crypto`);
}

/** The database prefix the Rust crypto uses for an account (its databases are named `<prefix>::…`). */
export function cryptoDatabasePrefix(accountId: string): string {
  return `matrix-channels/${accountId}`;
}

export class CryptoStore {
  private dirty = false;
  private timer?: ReturnType<typeof setTimeout>;
  private writing: Promise<void> = Promise.resolve();
  private isClosed = false;
  private markClosed!: () => void;
  /** Resolves once the store is closed (the next store of the account waits for it). */
  readonly closed = new Promise<void>((resolve) => (this.markClosed = resolve));
  private readonly watch: { dispose(): void };
  /** The last write's size and time (benchmarks). */
  lastFlush?: FlushStats;

  private constructor(
    private readonly options: CryptoStoreOptions,
    private readonly idb: MemoryIndexedDb,
    private readonly key: Buffer,
    private readonly writer: string,
    readonly opened: StoreOpening,
  ) {
    this.watch = idb.onWrite((name) => {
      if (name.startsWith(`${this.prefix}::`)) this.changed();
    });
  }

  /** Restores the account's databases from its file (or starts them empty) and watches them for writes. */
  static async open(options: CryptoStoreOptions): Promise<CryptoStore> {
    // The account's previous store in this process (a sign-in again replaced its channel) closes first: its
    // crypto holds the databases open until then.
    await settledWithin(OPEN_STORES.get(options.accountId), CLOSE_WAIT_MS);
    await awaitHandover({ ...options, waitMs: options.handoverMs ?? CLOSE_WAIT_MS });
    const idb = await memoryIndexedDb();
    const prefix = cryptoDatabasePrefix(options.accountId);
    // Another start of this account in this process may have left its databases: the file is the truth.
    await deleteDatabases(idb.factory, `${prefix}::`);
    const stored = Buffer.from((await options.secrets.get(secretKey(options.accountId))) ?? '', 'base64');
    let key: Buffer | undefined = stored.length === 32 ? stored : undefined;
    const read = await readStore(options, key);
    let opened: StoreOpening = { kind: 'restored' };
    if ('databases' in read) await restoreDatabases(idb.factory, read.databases);
    else opened = read;
    if (opened.kind === 'reset')
      options.log.warn(`account ${options.accountId}: the encryption store did not open (${opened.failure})`);
    if (!key || opened.kind === 'reset') {
      key = newSealKey();
      await options.secrets.store(secretKey(options.accountId), key.toString('base64'));
    }
    const writer = newWriter();
    await claimWriter(options.secrets, options.accountId, writer);
    const store = new CryptoStore(options, idb, key, writer, opened);
    OPEN_STORES.set(options.accountId, store.closed);
    return store;
  }

  /** Deletes an account's store: its file, its key and its databases in this process (sign-out, removal). */
  static async destroy(location: CryptoStoreLocation): Promise<void> {
    await settledWithin(OPEN_STORES.get(location.accountId), CLOSE_WAIT_MS);
    const idb = await memoryIndexedDb();
    await deleteDatabases(idb.factory, `${cryptoDatabasePrefix(location.accountId)}::`);
    await rm(fileOf(location), { force: true });
    await location.secrets.delete(secretKey(location.accountId));
    await forgetWriter(location.secrets, location.accountId);
  }

  get prefix(): string {
    return cryptoDatabasePrefix(this.options.accountId);
  }

  /** Brings the file up to date now (resolves once what was written before the call is on disk). */
  flush(): Promise<void> {
    this.clearTimer();
    if (!this.dirty) return this.writing;
    this.dirty = false;
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  /**
   * Saves what is left and frees the databases. Call it after the crypto itself stopped (a write after this
   * is lost); the store cannot be used afterwards.
   */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.watch.dispose();
    try {
      await this.flush();
      await releaseWriter(this.options.secrets, this.options.accountId, this.writer).catch(() => undefined);
      this.isClosed = true;
      this.idb.closeConnections(`${this.prefix}::`);
      await deleteDatabases(this.idb.factory, `${this.prefix}::`);
    } finally {
      this.isClosed = true;
      this.markClosed();
    }
  }

  private changed(): void {
    if (this.isClosed) return;
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.flushDelayMs ?? 1_000);
    (this.timer as { unref?: () => void }).unref?.();
  }

  private async write(): Promise<void> {
    const started = performance.now();
    try {
      const { secrets, accountId } = this.options;
      // Signed out (here or in another window): the key is gone, and the file must not come back.
      if ((await secrets.get(secretKey(accountId))) !== this.key.toString('base64')) {
        await rm(fileOf(this.options), { force: true });
        return;
      }
      // Another window took the account over and opened the store since: its file is the one that counts.
      // (What this window wrote after its last save is lost: at most one save's worth.)
      if (!(await isWriter(secrets, accountId, this.writer))) {
        this.options.log.info(`account ${accountId}: another window keeps the encryption store now`);
        return;
      }
      const databases = await snapshotDatabases(this.idb.factory, `${this.prefix}::`);
      const sealed: SealedStore = { device: this.options.device, databases };
      const bytes = await writeSealed(fileOf(this.options), sealed, this.key, this.options.accountId);
      this.lastFlush = { bytes, ms: performance.now() - started };
    } catch (error) {
      // Kept dirty: the next write tries again.
      this.dirty = true;
      this.options.log.warn(`account ${this.options.accountId}: saving the encryption store failed: ${String(error)}`);
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
