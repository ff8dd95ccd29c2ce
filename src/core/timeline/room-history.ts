/**
 * A room's history from the homeserver, a page at a time, newest first as the server pages it; each page comes
 * back oldest first, with the token for the page before it.
 */
import { callApi, roomUrl, type RoomRequester } from '../sync/room-requests.ts';
import type { RoomEvent } from './timeline-item.ts';

export interface HistoryPage {
  /** Oldest first. */
  events: RoomEvent[];
  /** Where the page before this one starts; absent at the beginning of the room. */
  older?: string;
}

/** The page of at most `limit` events before `from` (the latest ones without it). */
export async function historyPage(
  requester: RoomRequester,
  roomId: string,
  options: { from?: string; limit: number },
): Promise<HistoryPage> {
  const query = new URLSearchParams({ dir: 'b', limit: String(options.limit) });
  if (options.from) query.set('from', options.from);
  const result = await callApi<{ chunk?: unknown[]; end?: unknown }>(
    requester,
    `${roomUrl(requester, roomId)}/messages?${query.toString()}`,
    { method: 'GET' },
    'read_room',
  );
  const chunk = (result.chunk ?? []).filter(isRoomEvent);
  // No `end`, or an empty page: the beginning of the room.
  const older = typeof result.end === 'string' && chunk.length > 0 ? result.end : undefined;
  return { events: chunk.reverse(), ...(older ? { older } : {}) };
}

/** The token of the position just before `eventId` (to page back from an event after the window was cut). */
export async function tokenBefore(
  requester: RoomRequester,
  roomId: string,
  eventId: string,
): Promise<string | undefined> {
  const result = await callApi<{ start?: unknown }>(
    requester,
    `${roomUrl(requester, roomId)}/context/${encodeURIComponent(eventId)}?limit=0`,
    { method: 'GET' },
    'read_room',
  );
  return typeof result.start === 'string' ? result.start : undefined;
}

/** A member's avatar (`mxc://`) from their membership in the room at the server; undefined when there is none. */
export async function memberAvatarAtServer(
  requester: RoomRequester,
  roomId: string,
  userId: string,
): Promise<string | undefined> {
  const member = await callApi<{ avatar_url?: unknown }>(
    requester,
    `${roomUrl(requester, roomId)}/state/m.room.member/${encodeURIComponent(userId)}`,
    { method: 'GET' },
    'read_room',
  );
  return typeof member.avatar_url === 'string' && member.avatar_url.startsWith('mxc://')
    ? member.avatar_url
    : undefined;
}

/** An event with what a timeline needs (anything else from the server is left out). */
export function isRoomEvent(value: unknown): value is RoomEvent {
  const event = value as Partial<RoomEvent> | null;
  return (
    typeof event === 'object' &&
    event !== null &&
    typeof event.event_id === 'string' &&
    typeof event.type === 'string' &&
    typeof event.sender === 'string' &&
    typeof event.origin_server_ts === 'number' &&
    typeof event.content === 'object' &&
    event.content !== null
  );
}
