/**
 * What survives a window reload, kept in one folder so that a fresh process can pick it up: the secrets (VS Code's
 * SecretStorage), the channel settings, and each channel's sync position and room list (globalState). Plain JSON
 * files: the benchmark's stand-ins for the editor's stores, not what is measured.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChannelConfigStore } from '../../../src/core/account/account-service.ts';
import type { ChannelConfig } from '../../../src/core/channel/config.ts';
import type { SecretStore } from '../../../src/core/session/session.ts';
import { accountIdOfKey } from '../../../src/core/session/session-store.ts';
import type { RoomSummary } from '../../../src/core/sync/room-list.ts';
import type { SyncStateStore } from '../../../src/core/sync/sync-state-store.ts';

class JsonFile<T> {
  constructor(
    private readonly path: string,
    private readonly empty: T,
  ) {}

  read(): T {
    return existsSync(this.path) ? (JSON.parse(readFileSync(this.path, 'utf8')) as T) : this.empty;
  }

  write(value: T): void {
    writeFileSync(this.path, JSON.stringify(value));
  }
}

export class DiskSecrets implements SecretStore {
  private readonly file: JsonFile<Record<string, string>>;
  constructor(dir: string) {
    this.file = new JsonFile(join(dir, 'secrets.json'), {});
  }
  async get(key: string) {
    return this.file.read()[key];
  }
  async store(key: string, value: string) {
    this.file.write({ ...this.file.read(), [key]: value });
  }
  async delete(key: string) {
    const { [key]: _gone, ...rest } = this.file.read();
    this.file.write(rest);
  }
  /** Every stored session (the benchmark's baseline client reads their access tokens); not the crypto's keys. */
  sessions(): string[] {
    return Object.entries(this.file.read()).flatMap(([key, value]) => (accountIdOfKey(key) ? [value] : []));
  }
}

export class DiskConfigs implements ChannelConfigStore {
  private readonly file: JsonFile<ChannelConfig[]>;
  constructor(dir: string) {
    this.file = new JsonFile(join(dir, 'channels.json'), []);
  }
  list() {
    return this.file.read();
  }
  async upsert(config: ChannelConfig) {
    this.file.write([...this.list().filter((c) => c.id !== config.id), config]);
  }
  async remove(id: string) {
    this.file.write(this.list().filter((c) => c.id !== id));
  }
}

interface SyncState {
  tokens: Record<string, string>;
  rooms: Record<string, readonly RoomSummary[]>;
}

export class DiskSyncState implements SyncStateStore {
  private readonly file: JsonFile<SyncState>;
  constructor(dir: string) {
    this.file = new JsonFile(join(dir, 'sync-state.json'), { tokens: {}, rooms: {} });
  }
  get(accountId: string) {
    return this.file.read().tokens[accountId];
  }
  set(accountId: string, token: string | undefined) {
    const state = this.file.read();
    if (token === undefined) delete state.tokens[accountId];
    else state.tokens[accountId] = token;
    this.file.write(state);
  }
  getRooms(accountId: string) {
    return this.file.read().rooms[accountId];
  }
  setRooms(accountId: string, rooms: readonly RoomSummary[] | undefined) {
    const state = this.file.read();
    if (rooms === undefined) delete state.rooms[accountId];
    else state.rooms[accountId] = rooms;
    this.file.write(state);
  }
}

/** The three stores over one folder (created when absent). */
export function disk(dir: string) {
  mkdirSync(dir, { recursive: true });
  return { secrets: new DiskSecrets(dir), configs: new DiskConfigs(dir), syncState: new DiskSyncState(dir) };
}
