/**
 * A thread's history from the homeserver, for a thread's view: its replies a page at a time, newest first as
 * the server pages them, each page oldest first as room-history.ts gives a room's, and the thread's root first
 * in the page at the thread's beginning. And what a message sent into a thread says of where it goes.
 */
import { isMatrixChannelError } from '../errors.ts';
import { callApi, roomUrl, type RoomRequester } from '../sync/room-requests.ts';
import { isRoomEvent, tokenBefore, type HistoryPage } from './room-history.ts';
import type { TimelineSource } from './room-timeline.ts';
import type { RoomEvent } from './timeline-item.ts';

const PAGE_SIZE = 50;

/** The `m.relates_to` of a message sent into a thread. */
export interface ThreadRelation {
  rel_type: 'm.thread';
  event_id: string;
  /** The reply is there for clients without threads only (the message answers no one message). */
  is_falling_back: boolean;
  'm.in_reply_to': { event_id: string };
}

/**
 * The page of at most `limit` events of a thread before `from` (the latest ones without it); at the thread's
 * beginning, the root comes first.
 */
export async function threadPage(
  requester: RoomRequester,
  roomId: string,
  rootId: string,
  options: { from?: string; limit: number },
): Promise<HistoryPage> {
  // All the root's relations, and theirs (`recurse`): the replies with their edits and reactions, which a
  // `m.thread` filter would leave out (it filters the nested relations too). A server without `recurse` gives
  // the replies alone, which still makes the thread.
  const query = new URLSearchParams({ dir: 'b', limit: String(options.limit), recurse: 'true' });
  if (options.from) query.set('from', options.from);
  const result = await callApi<{ chunk?: unknown[]; next_batch?: unknown }>(
    requester,
    `${relationsUrl(requester, roomId)}/${encodeURIComponent(rootId)}?${query.toString()}`,
    { method: 'GET' },
    'read_room',
  );
  const events = (result.chunk ?? []).filter(isRoomEvent).reverse();
  if (typeof result.next_batch === 'string') return { events, older: result.next_batch };
  // No `next_batch`: the thread's beginning, where the root is.
  const root = await eventOf(requester, roomId, rootId);
  return { events: root ? [root, ...events] : events };
}

/** A thread of a room as a room view's window takes it (room-timeline.ts, with its `thread` option). */
export function threadSource(
  requester: RoomRequester,
  roomId: string,
  rootId: string,
  decrypt?: (event: RoomEvent) => Promise<RoomEvent>,
): TimelineSource {
  return {
    page: (from) => threadPage(requester, roomId, rootId, { limit: PAGE_SIZE, ...(from ? { from } : {}) }),
    // The window asks for it once it pushed out its oldest events, to page back from the oldest it holds. The
    // relations API pages from a room's tokens as well as its own, so the room's token before that event (from
    // /context) serves: one request, where replaying the thread from its newest page would take one per page.
    tokenBefore: (eventId) => tokenBefore(requester, roomId, eventId),
    ...(decrypt ? { decrypt } : {}),
  };
}

/**
 * The `m.relates_to` of a message sent into the thread of `rootId`. A reply to one of the thread's messages
 * (`replyTo`) is a real reply; any other message falls back to a reply to the thread's latest message, which is
 * what clients without threads show it as.
 */
export function threadRelation(rootId: string, latestEventId: string, replyTo?: string): ThreadRelation {
  return {
    rel_type: 'm.thread',
    event_id: rootId,
    is_falling_back: replyTo === undefined,
    'm.in_reply_to': { event_id: replyTo ?? latestEventId },
  };
}

/** An event of the room; undefined when the server does not know it or does not show it to the account. */
async function eventOf(requester: RoomRequester, roomId: string, eventId: string): Promise<RoomEvent | undefined> {
  try {
    const event = await callApi<unknown>(
      requester,
      `${roomUrl(requester, roomId)}/event/${encodeURIComponent(eventId)}`,
      { method: 'GET' },
      'read_room',
    );
    return isRoomEvent(event) ? event : undefined;
  } catch (error) {
    // A root from before the account could see the room: the thread shows its replies without it.
    if (isMatrixChannelError(error) && error.code === 'M_NOT_FOUND') return undefined;
    throw error;
  }
}

function relationsUrl(requester: RoomRequester, roomId: string): string {
  return `${requester.homeserver}/_matrix/client/v1/rooms/${encodeURIComponent(roomId)}/relations`;
}
