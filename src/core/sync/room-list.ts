import { Emitter } from '../events.ts';

/**
 * The joined rooms of an account as the sidebar shows them: name, kind and unread counts. Kept next to the
 * sync token, because a resumed sync only mentions rooms that changed: the list must survive a restart to be
 * whole. Pure bookkeeping; ChannelSync feeds it what the SDK knows after each sync response.
 */

export interface RoomSummary {
  roomId: string;
  name: string;
  /** Its canonical alias (#room:server), when it has one: Open Room… finds a room by it too. */
  alias?: string;
  isDirect: boolean;
  encrypted: boolean;
  /** Unread notifications, as the homeserver counts them (its push rules; read receipts clear them). */
  unread: number;
  /** Unread mentions (highlights) among them. */
  mentions: number;
}

/** What the SDK tells about one room in a sync: fields it does not know (a room it has no state for) are absent. */
export interface RoomObservation {
  roomId: string;
  /**
   * Ours, from our own member event; 'unknown' when the sync carried none (a room met in the joined part of an
   * incremental sync, with lazy-loaded members): such a room is joined, never left.
   */
  membership: string;
  name?: string;
  /** Its canonical alias; null: it has none; absent: not known (the SDK lacks the room's state). */
  alias?: string | null;
  isDirect: boolean;
  encrypted?: boolean;
  unread: number;
  mentions: number;
  /** The newest event someone else sent that the SDK's live timeline holds, when it holds one. */
  newestFromOthers?: string;
}

export class RoomList {
  private readonly rooms = new Map<string, RoomSummary>();
  /**
   * Rooms we marked read, with the newest event from others at that moment. The SDK's counts of a sync computed
   * before our receipt reached the server still say "unread"; until someone else writes, they are stale.
   */
  private readonly readUpTo = new Map<string, string | undefined>();
  private readonly changes = new Emitter<readonly RoomSummary[]>();
  /** Changed since last taken for storing. */
  private dirty = false;
  readonly onChange = this.changes.on.bind(this.changes);

  constructor(saved: readonly RoomSummary[] = []) {
    for (const room of saved) if (isRoomSummary(room)) this.rooms.set(room.roomId, { ...room });
  }

  /** Every joined room: unread first (mentions before plain unread), then by name. */
  list(): RoomSummary[] {
    return [...this.rooms.values()].sort(
      (a, b) =>
        b.mentions - a.mentions ||
        Math.sign(b.unread) - Math.sign(a.unread) ||
        a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) ||
        a.roomId.localeCompare(b.roomId),
    );
  }

  get(roomId: string): RoomSummary | undefined {
    return this.rooms.get(roomId);
  }

  /** The list to store, when it changed since it was last taken. */
  takeChanges(): RoomSummary[] | undefined {
    if (!this.dirty) return undefined;
    this.dirty = false;
    return this.list();
  }

  dispose(): void {
    this.changes.clear();
  }

  /** Applies what a sync response showed; fires one change when anything the user sees changed. */
  observe(observations: Iterable<RoomObservation>): void {
    let changed = false;
    for (const seen of observations) {
      const known = this.rooms.get(seen.roomId);
      if (seen.membership !== 'join' && seen.membership !== 'unknown') {
        if (known && (seen.membership === 'leave' || seen.membership === 'ban')) {
          this.rooms.delete(seen.roomId);
          changed = true;
        }
        continue;
      }
      const counts = this.countsOf(seen);
      const next: RoomSummary = {
        roomId: seen.roomId,
        // A room the SDK met without its state (after a resume) has no real name yet: keep the one we knew.
        name: seen.name ?? known?.name ?? seen.roomId,
        ...aliasOf(seen.alias === undefined ? known?.alias : seen.alias),
        isDirect: seen.isDirect,
        encrypted: seen.encrypted ?? known?.encrypted ?? false,
        ...counts,
      };
      if (!known || !sameSummary(known, next)) {
        this.rooms.set(seen.roomId, next);
        changed = true;
      }
    }
    if (changed) this.changed();
  }

  /** Replaces the whole list (a first start's bootstrap knows every joined room); always a change, to store. */
  replace(rooms: readonly RoomSummary[]): void {
    this.rooms.clear();
    for (const room of rooms) this.rooms.set(room.roomId, { ...room });
    this.changed();
  }

  /**
   * We sent a read receipt: the counts are zero until someone else writes in the room, whatever a sync computed
   * before the receipt says. `newestFromOthers`: the newest event from someone else when the receipt was sent.
   */
  markRead(roomId: string, newestFromOthers?: string): void {
    this.readUpTo.set(roomId, newestFromOthers);
    const room = this.rooms.get(roomId);
    if (!room || (room.unread === 0 && room.mentions === 0)) return;
    this.rooms.set(roomId, { ...room, unread: 0, mentions: 0 });
    this.changed();
  }

  /** The counts to show: the server's, unless they predate our read receipt. */
  private countsOf(seen: RoomObservation): { unread: number; mentions: number } {
    if (this.readUpTo.has(seen.roomId)) {
      const unchanged = seen.newestFromOthers === this.readUpTo.get(seen.roomId);
      // The server agrees, or someone wrote since: its counts are current again.
      if (!unchanged || (seen.unread === 0 && seen.mentions === 0)) this.readUpTo.delete(seen.roomId);
      else return { unread: 0, mentions: 0 };
    }
    return { unread: seen.unread, mentions: seen.mentions };
  }

  private changed(): void {
    this.dirty = true;
    this.changes.fire(this.list());
  }
}

function sameSummary(a: RoomSummary, b: RoomSummary): boolean {
  return (
    a.name === b.name &&
    a.alias === b.alias &&
    a.isDirect === b.isDirect &&
    a.encrypted === b.encrypted &&
    a.unread === b.unread &&
    a.mentions === b.mentions
  );
}

function aliasOf(alias: string | null | undefined): { alias?: string } {
  return alias ? { alias } : {};
}

/** Stored data is read back defensively: a damaged entry is dropped, not trusted. */
function isRoomSummary(value: unknown): value is RoomSummary {
  const room = value as Partial<RoomSummary> | null;
  return (
    typeof room === 'object' &&
    room !== null &&
    typeof room.roomId === 'string' &&
    typeof room.name === 'string' &&
    (room.alias === undefined || typeof room.alias === 'string') &&
    typeof room.isDirect === 'boolean' &&
    typeof room.encrypted === 'boolean' &&
    Number.isFinite(room.unread) &&
    Number.isFinite(room.mentions)
  );
}
