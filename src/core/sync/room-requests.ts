/**
 * The few requests a live channel makes itself, straight to the client-server API rather than through the
 * SDK (its send queue and local echo, which a notification reply does not need; its initial sync, which the
 * bootstrap replaces). The SDK's client is closed when the channel stops, and its requests never answer then
 * (matrix/sdk-requests.ts): the channel's own requests must not hang with it. The session's fetch keeps the
 * token fresh; failures become MatrixChannelErrors that say what did not happen.
 */
import { MatrixChannelError } from '../errors.ts';
import { delayAsked, rateLimitedError, retryingRateLimits } from '../rate-limit.ts';

export interface RoomRequester {
  homeserver: string;
  fetch: typeof fetch;
}

type Answer = { event_id?: string; chunk?: Array<{ event_id?: string }> };
export type StateEvent = import('matrix-js-sdk').IStateEventWithRoomId;
type ErrorAnswer = { errcode?: string; error?: string };

/** Sends an `m.room.message` with the given transaction id; answers its event id. */
export async function sendRoomMessage(
  requester: RoomRequester,
  roomId: string,
  content: Record<string, unknown>,
  txnId: string,
): Promise<{ eventId: string }> {
  const url = `${roomUrl(requester, roomId)}/send/m.room.message/${encodeURIComponent(txnId)}`;
  const result = await callApi<Answer>(requester, url, { method: 'PUT', body: content }, 'Sending the message');
  if (typeof result.event_id !== 'string')
    throw new MatrixChannelError(
      'unexpected_response',
      'Sending the message failed: the homeserver did not answer with an event ID.',
    );
  return { eventId: result.event_id };
}

/** The newest event of a room (to point a read receipt at), from the server. */
export async function latestEventId(requester: RoomRequester, roomId: string): Promise<string | undefined> {
  const result = await callApi<Answer>(
    requester,
    `${roomUrl(requester, roomId)}/messages?dir=b&limit=1`,
    { method: 'GET' },
    'Reading the room',
  );
  const id = result.chunk?.[0]?.event_id;
  return typeof id === 'string' ? id : undefined;
}

/** Moves our read receipt and read marker to `eventId` (the homeserver then clears the unread counts). */
export async function setReadMarkers(requester: RoomRequester, roomId: string, eventId: string): Promise<void> {
  await callApi(
    requester,
    `${roomUrl(requester, roomId)}/read_markers`,
    { method: 'POST', body: { 'm.fully_read': eventId, 'm.read': eventId } },
    'Marking the room as read',
  );
}

/** The content of our `m.direct` account data (DM rooms by user), or undefined when it cannot be read. */
export async function directAccountData(
  requester: RoomRequester,
  userId: string,
  signal?: AbortSignal,
): Promise<unknown> {
  const url = `${requester.homeserver}/_matrix/client/v3/user/${encodeURIComponent(userId)}/account_data/m.direct`;
  return callApi<unknown>(
    requester,
    url,
    { method: 'GET', ...(signal ? { signal } : {}) },
    'Reading the direct rooms',
  ).catch(() => undefined);
}

/** Joins a room we are invited to. */
export async function joinRoom(requester: RoomRequester, roomId: string): Promise<void> {
  const url = `${requester.homeserver}/_matrix/client/v3/join/${encodeURIComponent(roomId)}`;
  await callApi(requester, url, { method: 'POST', body: {} }, 'Joining the room');
}

/** A message as the room's history has it (newest first from recentMessageEvents). */
export interface RecentMessage {
  sender: string;
  /** Absent for an encrypted message or one without text. */
  body?: string;
  encrypted: boolean;
}

/** The latest messages of a room, newest first (at most `limit`), from the server's history. */
export async function recentMessageEvents(
  requester: RoomRequester,
  roomId: string,
  limit: number,
): Promise<RecentMessage[]> {
  const filter = encodeURIComponent(JSON.stringify({ types: ['m.room.message', 'm.room.encrypted'] }));
  const result = await callApi<{ chunk?: Array<{ type?: unknown; sender?: unknown; content?: { body?: unknown } }> }>(
    requester,
    `${roomUrl(requester, roomId)}/messages?dir=b&limit=${limit}&filter=${filter}`,
    { method: 'GET' },
    'Reading the room',
  );
  return (result.chunk ?? []).flatMap((event) =>
    typeof event.sender === 'string'
      ? [
          {
            sender: event.sender,
            encrypted: event.type === 'm.room.encrypted',
            ...(typeof event.content?.body === 'string' ? { body: event.content.body } : {}),
          },
        ]
      : [],
  );
}

/** Declines an invite (or leaves a room). */
export async function leaveRoom(requester: RoomRequester, roomId: string): Promise<void> {
  await callApi(requester, `${roomUrl(requester, roomId)}/leave`, { method: 'POST', body: {} }, 'Declining the invite');
}

/** The current state events of a room. */
export async function roomStateEvents(requester: RoomRequester, roomId: string): Promise<StateEvent[]> {
  const events = await callApi<unknown>(
    requester,
    `${roomUrl(requester, roomId)}/state`,
    { method: 'GET' },
    'Reading the room',
  );
  return Array.isArray(events) ? (events as StateEvent[]) : [];
}

function roomUrl(requester: RoomRequester, roomId: string): string {
  return `${requester.homeserver}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}`;
}

/** One client-server API call: the JSON answer, or a MatrixChannelError saying that `what` failed. */
export async function callApi<T>(
  requester: RoomRequester,
  url: string,
  request: { method: string; body?: unknown; signal?: AbortSignal },
  what: string,
): Promise<T> {
  let response: Response;
  try {
    response = await retryingRateLimits(requester.fetch)(url, {
      method: request.method,
      ...(request.body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(request.body) }),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (error) {
    throw new MatrixChannelError('unreachable', `${what} failed: the homeserver could not be reached.`, {
      cause: error,
    });
  }
  const result = (await response.json().catch(() => ({}))) as T & ErrorAnswer;
  if (response.ok) return result;
  if (response.status === 429) throw rateLimitedError(what, delayAsked(response.headers, result));
  const code = result.errcode ?? String(response.status);
  if (response.status === 401)
    throw new MatrixChannelError('session_expired', `${what} was refused (${code}).`, { code });
  if (response.status >= 500)
    throw new MatrixChannelError('server_error', `${what} failed on the homeserver (HTTP ${response.status}).`, {
      code,
    });
  throw new MatrixChannelError(
    'unexpected_response',
    `${what} failed (${code}${result.error ? `: ${result.error}` : ''}).`,
    { code },
  );
}
