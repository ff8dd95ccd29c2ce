/**
 * What the live channel reads off matrix-js-sdk's rooms (policy facts, invite facts, room-list facts, DM
 * rooms), and the state it fills in for rooms the SDK met without it.
 */
import { describeError } from '../log.ts';
import { loadSdk, type MatrixClient } from '../matrix/sdk.ts';
import type { PolicyInvite, PolicyRoom } from '../policy/index.ts';
import type { RoomObservation } from './room-list.ts';
import type { StateEvent } from './room-requests.ts';

type Room = import('matrix-js-sdk').Room;
export type NotificationCounts = typeof import('matrix-js-sdk').NotificationCountType;

/**
 * The SDK's room, made (empty, stored in the client) when the SDK has not met it yet: encrypting for a room
 * needs one, with its members loaded on demand.
 */
export async function ensureRoom(client: MatrixClient, roomId: string): Promise<Room> {
  const known = client.getRoom(roomId);
  if (known) return known;
  const { Room } = await loadSdk();
  const room = new Room(roomId, client, client.getSafeUserId(), { lazyLoadMembers: true });
  client.store.storeRoom(room);
  return room;
}

/** Whether the SDK holds the room's state (a room met only through a resumed sync does not, until hydrated). */
export function hasRoomState(room: Room): boolean {
  return Boolean(room.currentState.getStateEvents('m.room.create', ''));
}

export function policyRoomOf(room: Room, isDirect: boolean): PolicyRoom {
  const name: unknown = room.currentState.getStateEvents('m.room.name', '')?.getContent()['name'];
  return {
    roomId: room.roomId,
    aliases: aliasesOf(room),
    isDirect,
    memberCount: room.getJoinedMemberCount() + room.getInvitedMemberCount(),
    hasName: typeof name === 'string' && name.trim() !== '',
  };
}

/** An invite as the invite policy sees it, from the invite's stripped state. */
export function inviteOf(room: Room, ownUserId: string): PolicyInvite {
  const memberEvent =
    room.currentState.getStateEvents('m.room.member', ownUserId) ?? room.getMember(ownUserId)?.events.member;
  return {
    roomId: room.roomId,
    inviter: memberEvent?.getSender() ?? room.getDMInviter() ?? '',
    isDirect: memberEvent?.getContent()['is_direct'] === true,
    roomAliases: aliasesOf(room),
  };
}

function aliasesOf(room: Room): string[] {
  return [room.getCanonicalAlias(), ...room.getAltAliases()].filter((alias): alias is string => !!alias);
}

/**
 * The state of rooms the SDK met only through an incremental sync (after a resume or a bootstrap: "cold"
 * rooms), fetched once from /rooms/{id}/state when an event or a send needs it; a failed fetch is tried again
 * the next time.
 */
export class RoomStateLoader {
  private readonly loading = new Map<string, Promise<void>>();

  constructor(
    private readonly client: () => MatrixClient,
    private readonly fetchState: (roomId: string) => Promise<StateEvent[]>,
    private readonly warn: (message: string) => void,
  ) {}

  load(room: Room): Promise<void> {
    if (hasRoomState(room)) return Promise.resolve();
    let pending = this.loading.get(room.roomId);
    if (!pending) {
      const client = this.client();
      pending = this.fetchState(room.roomId).then(
        (events) => {
          const mapper = client.getEventMapper();
          // Newer state from the sync wins over the snapshot: only add what the room does not know.
          const missing = events.filter(
            (event) => !room.currentState.getStateEvents(event.type, event.state_key ?? ''),
          );
          room.currentState.setStateEvents(missing.map((event) => mapper(event)));
          room.recalculate();
        },
        (error: unknown) => {
          this.loading.delete(room.roomId);
          this.warn(`reading the state of ${room.roomId} failed: ${describeError(error)}`);
        },
      );
      this.loading.set(room.roomId, pending);
    }
    return pending;
  }
}

/**
 * Our membership as our own `m.room.member` event says, or 'unknown' without one. The SDK's getMyMembership()
 * answers 'leave' for a room it has no state for (met only through a lazy-loaded incremental sync, which never
 * carries our own member event), yet a real leave always comes with that event.
 */
export function membershipOf(room: Room): string {
  const own = room.currentState.getStateEvents('m.room.member', room.myUserId);
  const membership: unknown = own?.getContent()['membership'];
  return typeof membership === 'string' ? membership : 'unknown';
}

/**
 * A room as the room list sees it; name, alias and encryption only when the SDK knows the room's state, or the
 * state event itself (a room whose state came with the first start, renamed since, has the new event only).
 */
export function observeRoom(room: Room, isDirect: boolean, counts: NotificationCounts): RoomObservation {
  const full = hasRoomState(room);
  const has = (type: string) => Boolean(room.currentState.getStateEvents(type, ''));
  return {
    roomId: room.roomId,
    membership: membershipOf(room),
    ...(full || has('m.room.name') ? { name: room.name || room.roomId } : {}),
    ...(full || has('m.room.canonical_alias') ? { alias: room.getCanonicalAlias() ?? null } : {}),
    ...(full ? { encrypted: room.hasEncryptionStateEvent() } : {}),
    isDirect,
    unread: room.getUnreadNotificationCount(counts.Total),
    mentions: room.getUnreadNotificationCount(counts.Highlight),
    newestFromOthers: newestFromOthers(room),
  };
}

/** The ID of the newest event someone else sent that the room's live timeline holds. */
export function newestFromOthers(room: Room | null | undefined): string | undefined {
  const events = room?.getLiveTimeline().getEvents() ?? [];
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index]!;
    if (event.getSender() !== room!.myUserId && event.getId()) return event.getId();
  }
  return undefined;
}

/** The room IDs of an `m.direct` account-data event's content. */
export function directRoomIds(content: unknown): Set<string> {
  const ids = new Set<string>();
  if (typeof content !== 'object' || content === null) return ids;
  for (const rooms of Object.values(content as Record<string, unknown>)) {
    if (Array.isArray(rooms)) for (const id of rooms) if (typeof id === 'string') ids.add(id);
  }
  return ids;
}
