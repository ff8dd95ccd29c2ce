/** What the live channel reads off matrix-js-sdk's rooms: policy facts, room-list facts, DM rooms. */
import type { PolicyRoom } from '../policy/index.ts';
import type { RoomObservation } from './room-list.ts';

type Room = import('matrix-js-sdk').Room;
export type NotificationCounts = typeof import('matrix-js-sdk').NotificationCountType;

/** Whether the SDK holds the room's state (a room met only through a resumed sync does not, until hydrated). */
export function hasRoomState(room: Room): boolean {
  return Boolean(room.currentState.getStateEvents('m.room.create', ''));
}

export function policyRoomOf(room: Room, isDirect: boolean): PolicyRoom {
  const name = room.currentState.getStateEvents('m.room.name', '')?.getContent()['name'];
  return {
    roomId: room.roomId,
    aliases: [room.getCanonicalAlias(), ...room.getAltAliases()].filter((alias): alias is string => !!alias),
    isDirect,
    memberCount: room.getJoinedMemberCount() + room.getInvitedMemberCount(),
    hasName: typeof name === 'string' && name.trim() !== '',
  };
}

/** A room as the room list sees it; name and encryption only when the SDK knows the room's state. */
export function observeRoom(room: Room, isDirect: boolean, counts: NotificationCounts): RoomObservation {
  return {
    roomId: room.roomId,
    membership: room.getMyMembership(),
    ...(hasRoomState(room) ? { name: room.name || room.roomId, encrypted: room.hasEncryptionStateEvent() } : {}),
    isDirect,
    unread: room.getUnreadNotificationCount(counts.Total),
    mentions: room.getUnreadNotificationCount(counts.Highlight),
  };
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
