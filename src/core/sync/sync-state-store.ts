/**
 * Where a channel keeps its place between runs (the glue: VS Code globalState): the sync token, and the room
 * list that goes with it (a resumed sync mentions only rooms that changed). Neither is a secret: the token
 * only means something together with the access token.
 */
import type { RoomSummary } from './room-list.ts';

export interface SyncStateStore {
  get(accountId: string): string | undefined | Promise<string | undefined>;
  set(accountId: string, token: string | undefined): void | Promise<void>;
  getRooms(accountId: string): readonly RoomSummary[] | undefined | Promise<readonly RoomSummary[] | undefined>;
  setRooms(accountId: string, rooms: readonly RoomSummary[] | undefined): void | Promise<void>;
}

export class MemorySyncStateStore implements SyncStateStore {
  readonly tokens = new Map<string, string>();
  readonly rooms = new Map<string, readonly RoomSummary[]>();

  get(accountId: string): string | undefined {
    return this.tokens.get(accountId);
  }

  set(accountId: string, token: string | undefined): void {
    if (token === undefined) this.tokens.delete(accountId);
    else this.tokens.set(accountId, token);
  }

  getRooms(accountId: string): readonly RoomSummary[] | undefined {
    return this.rooms.get(accountId);
  }

  setRooms(accountId: string, rooms: readonly RoomSummary[] | undefined): void {
    if (rooms === undefined) this.rooms.delete(accountId);
    else this.rooms.set(accountId, rooms);
  }
}
