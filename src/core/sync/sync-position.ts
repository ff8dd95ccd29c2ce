/**
 * Where a channel's sync resumes, and what of it is stored: the sync token, with the room list that goes with
 * it (a stored token is never ahead of the stored list, or a restart would miss rooms), and a bootstrap's
 * invites and account data until the SDK takes them.
 */
import type { SavedSync } from './bootstrap.ts';
import type { RoomList, RoomSummary } from './room-list.ts';
import type { SyncStateStore } from './sync-state-store.ts';

export class SyncPosition {
  /** Where the SDK resumes: the stored token, the bootstrap's, or the latest response's. */
  resumeToken?: string;
  private storedToken?: string;
  private saved?: SavedSync;

  constructor(
    private readonly store: SyncStateStore,
    private readonly accountId: string,
  ) {}

  /** The stored position: the room list to start from (empty when starting over). */
  async load(): Promise<readonly RoomSummary[]> {
    const [token, rooms] = await Promise.all([this.store.get(this.accountId), this.store.getRooms(this.accountId)]);
    // A token without its room list (stored by an older version) would leave the list incomplete: start over.
    this.resumeToken = this.storedToken = rooms ? (token ?? undefined) : undefined;
    return rooms ?? [];
  }

  /** A bootstrap's token and what it brought for the SDK. */
  bootstrapped(nextBatch: string, saved: SavedSync): void {
    this.resumeToken = nextBatch;
    this.saved = saved;
  }

  /** The bootstrap's invites and account data, once (the SDK's store asks for them when it starts). */
  takeSaved(): SavedSync | null {
    const saved = this.saved ?? null;
    this.saved = undefined;
    return saved;
  }

  /** A response's token: true when it is new (store it, with the rooms, once its events are handled). */
  advance(token: string | undefined): token is string {
    if (!token || token === this.storedToken) return false;
    this.storedToken = this.resumeToken = token;
    return true;
  }

  /** Stores the rooms first, then the token. */
  async persist(rooms: RoomList, token?: string): Promise<void> {
    const changed = rooms.takeChanges();
    if (changed) await this.store.setRooms(this.accountId, changed);
    if (token !== undefined) await this.store.set(this.accountId, token);
  }

  /** Forgets the stored position (sign-out: it means nothing without the session). */
  async forget(): Promise<void> {
    await this.store.set(this.accountId, undefined);
    await this.store.setRooms(this.accountId, undefined);
  }
}
