/**
 * The few requests a live channel makes itself, straight to the client-server API rather than through the
 * SDK (its send queue and local echo, which a notification reply does not need; its initial sync, which the
 * bootstrap replaces). The SDK's client is closed when the channel stops, and its requests never answer then
 * (matrix/sdk-requests.ts): the channel's own requests must not hang with it. The session's fetch keeps the
 * token fresh; failures become MatrixChannelErrors that say what did not happen.
 */
import { failedWithCode, isMatrixChannelError, MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';
import { delayAsked, rateLimitedError, retryingRateLimits } from '../rate-limit.ts';

export interface RoomRequester {
  homeserver: string;
  fetch: typeof fetch;
}

type Answer = { event_id?: string; chunk?: Array<{ event_id?: string }> };
export type StateEvent = import('matrix-js-sdk').IStateEventWithRoomId;
type ErrorAnswer = { errcode?: string; error?: string };

/** Sends a room event (a message by default) with the given transaction id; answers its event id. */
export async function sendRoomMessage(
  requester: RoomRequester,
  roomId: string,
  content: Record<string, unknown>,
  txnId: string,
  type: 'm.room.message' | 'm.room.encrypted' | 'm.reaction' = 'm.room.message',
): Promise<{ eventId: string }> {
  const url = `${roomUrl(requester, roomId)}/send/${type}/${encodeURIComponent(txnId)}`;
  const result = await callApi<Answer>(requester, url, { method: 'PUT', body: content }, 'send');
  if (typeof result.event_id !== 'string')
    throw new MatrixChannelError(
      'unexpected_response',
      l10n.t('Sending the message failed: the homeserver did not answer with an event ID.'),
    );
  return { eventId: result.event_id };
}

/** Deletes an event (a message, or a reaction taken back). */
export async function redactEvent(
  requester: RoomRequester,
  roomId: string,
  eventId: string,
  txnId: string,
): Promise<void> {
  const url = `${roomUrl(requester, roomId)}/redact/${encodeURIComponent(eventId)}/${encodeURIComponent(txnId)}`;
  await callApi(requester, url, { method: 'PUT', body: {} }, 'send');
}

/** The newest event of a room (to point a read receipt at), from the server. */
export async function latestEventId(requester: RoomRequester, roomId: string): Promise<string | undefined> {
  const result = await callApi<Answer>(
    requester,
    `${roomUrl(requester, roomId)}/messages?dir=b&limit=1`,
    { method: 'GET' },
    'read_room',
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
    'mark_read',
  );
}

/** The content of our `m.direct` account data (DM rooms by user), or undefined when it cannot be read. */
export async function directAccountData(
  requester: RoomRequester,
  userId: string,
  signal?: AbortSignal,
): Promise<unknown> {
  const url = `${requester.homeserver}/_matrix/client/v3/user/${encodeURIComponent(userId)}/account_data/m.direct`;
  return callApi<unknown>(requester, url, { method: 'GET', ...(signal ? { signal } : {}) }, 'read_direct_rooms').catch(
    () => undefined,
  );
}

/** Joins a room we are invited to. */
export async function joinRoom(requester: RoomRequester, roomId: string): Promise<void> {
  const url = `${requester.homeserver}/_matrix/client/v3/join/${encodeURIComponent(roomId)}`;
  await callApi(requester, url, { method: 'POST', body: {} }, 'join');
}

/** A message as the room's history has it (newest first from recentMessageEvents). */
export interface RecentMessage {
  sender: string;
  /** Absent for an encrypted message or one without text. */
  body?: string;
  encrypted: boolean;
  /** An encrypted message as the server sent it, for the crypto to decrypt. */
  raw?: Record<string, unknown>;
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
    'read_room',
  );
  return (result.chunk ?? []).flatMap((event) =>
    typeof event.sender === 'string'
      ? [
          {
            sender: event.sender,
            encrypted: event.type === 'm.room.encrypted',
            ...(typeof event.content?.body === 'string' ? { body: event.content.body } : {}),
            ...(event.type === 'm.room.encrypted' ? { raw: event } : {}),
          },
        ]
      : [],
  );
}

/** Declines an invite (or leaves a room). */
export async function leaveRoom(requester: RoomRequester, roomId: string): Promise<void> {
  await callApi(requester, `${roomUrl(requester, roomId)}/leave`, { method: 'POST', body: {} }, 'decline_invite');
}

/** The current state events of a room. */
export async function roomStateEvents(requester: RoomRequester, roomId: string): Promise<StateEvent[]> {
  const events = await callApi<unknown>(
    requester,
    `${roomUrl(requester, roomId)}/state`,
    { method: 'GET' },
    'read_room',
  );
  return Array.isArray(events) ? (events as StateEvent[]) : [];
}

/**
 * Whether the room is end-to-end encrypted, as the server says (its `m.room.encryption` state). Throws when the
 * server cannot say: a caller about to send must not take silence for "not encrypted".
 */
export async function encryptedAtServer(requester: RoomRequester, roomId: string): Promise<boolean> {
  try {
    await callApi(requester, `${roomUrl(requester, roomId)}/state/m.room.encryption/`, { method: 'GET' }, 'read_room');
    return true;
  } catch (error) {
    if (isMatrixChannelError(error) && error.code === 'M_NOT_FOUND') return false;
    throw error;
  }
}

export function roomUrl(requester: RoomRequester, roomId: string): string {
  return `${requester.homeserver}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}`;
}

/** What a client-server API call of a live channel was doing, for the words of its failure. */
export type RoomCall =
  'send' | 'read_room' | 'mark_read' | 'read_direct_rooms' | 'join' | 'decline_invite' | 'first_sync';

/** A call's failures, each in a sentence of its own (translators see the whole sentence). */
function callWords(call: RoomCall): {
  failed: string;
  refused(code: string): string;
  serverFailed(status: number): string;
} {
  switch (call) {
    case 'send':
      return {
        failed: l10n.t('Sending the message failed'),
        refused: (code) =>
          l10n.t({
            message: 'Sending the message was refused ({0}).',
            args: [code],
            comment: [
              "{0} is the server's error code, such as M_FORBIDDEN or invalid_grant, or its HTTP status number",
            ],
          }),
        serverFailed: (status) =>
          l10n.t({
            message: 'Sending the message failed on the homeserver (HTTP {0}).',
            args: [status],
            comment: ['{0} is an HTTP status number, such as 502'],
          }),
      };
    case 'read_room':
      return {
        failed: l10n.t('Reading the room failed'),
        refused: (code) =>
          l10n.t({
            message: 'Reading the room was refused ({0}).',
            args: [code],
            comment: [
              "{0} is the server's error code, such as M_FORBIDDEN or invalid_grant, or its HTTP status number",
            ],
          }),
        serverFailed: (status) =>
          l10n.t({
            message: 'Reading the room failed on the homeserver (HTTP {0}).',
            args: [status],
            comment: ['{0} is an HTTP status number, such as 502'],
          }),
      };
    case 'mark_read':
      return {
        failed: l10n.t('Marking the room as read failed'),
        refused: (code) =>
          l10n.t({
            message: 'Marking the room as read was refused ({0}).',
            args: [code],
            comment: [
              "{0} is the server's error code, such as M_FORBIDDEN or invalid_grant, or its HTTP status number",
            ],
          }),
        serverFailed: (status) =>
          l10n.t({
            message: 'Marking the room as read failed on the homeserver (HTTP {0}).',
            args: [status],
            comment: ['{0} is an HTTP status number, such as 502'],
          }),
      };
    case 'read_direct_rooms':
      return {
        failed: l10n.t('Reading the direct rooms failed'),
        refused: (code) =>
          l10n.t({
            message: 'Reading the direct rooms was refused ({0}).',
            args: [code],
            comment: [
              "{0} is the server's error code, such as M_FORBIDDEN or invalid_grant, or its HTTP status number",
            ],
          }),
        serverFailed: (status) =>
          l10n.t({
            message: 'Reading the direct rooms failed on the homeserver (HTTP {0}).',
            args: [status],
            comment: ['{0} is an HTTP status number, such as 502'],
          }),
      };
    case 'join':
      return {
        failed: l10n.t('Joining the room failed'),
        refused: (code) =>
          l10n.t({
            message: 'Joining the room was refused ({0}).',
            args: [code],
            comment: [
              "{0} is the server's error code, such as M_FORBIDDEN or invalid_grant, or its HTTP status number",
            ],
          }),
        serverFailed: (status) =>
          l10n.t({
            message: 'Joining the room failed on the homeserver (HTTP {0}).',
            args: [status],
            comment: ['{0} is an HTTP status number, such as 502'],
          }),
      };
    case 'decline_invite':
      return {
        failed: l10n.t('Declining the invite failed'),
        refused: (code) =>
          l10n.t({
            message: 'Declining the invite was refused ({0}).',
            args: [code],
            comment: [
              "{0} is the server's error code, such as M_FORBIDDEN or invalid_grant, or its HTTP status number",
            ],
          }),
        serverFailed: (status) =>
          l10n.t({
            message: 'Declining the invite failed on the homeserver (HTTP {0}).',
            args: [status],
            comment: ['{0} is an HTTP status number, such as 502'],
          }),
      };
    case 'first_sync':
      return {
        failed: l10n.t('The first sync failed'),
        refused: (code) =>
          l10n.t({
            message: 'The first sync was refused ({0}).',
            args: [code],
            comment: [
              "{0} is the server's error code, such as M_FORBIDDEN or invalid_grant, or its HTTP status number",
            ],
          }),
        serverFailed: (status) =>
          l10n.t({
            message: 'The first sync failed on the homeserver (HTTP {0}).',
            args: [status],
            comment: ['{0} is an HTTP status number, such as 502'],
          }),
      };
  }
}

/** One client-server API call: the JSON answer, or a MatrixChannelError saying that `call` failed. */
export async function callApi<T>(
  requester: RoomRequester,
  url: string,
  request: { method: string; body?: unknown; signal?: AbortSignal },
  call: RoomCall,
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
    const failed = callWords(call).failed;
    throw new MatrixChannelError(
      'unreachable',
      l10n.t({
        message: '{0}: the homeserver could not be reached.',
        args: [failed],
        comment: ['{0} says what did not happen, a clause such as "Joining the room failed"'],
      }),
      {
        cause: error,
      },
    );
  }
  const result = (await response.json().catch(() => ({}))) as T & ErrorAnswer;
  if (response.ok) return result;
  const words = callWords(call);
  if (response.status === 429) throw rateLimitedError(words.failed, delayAsked(response.headers, result));
  const code = result.errcode ?? String(response.status);
  if (response.status === 401) throw new MatrixChannelError('session_expired', words.refused(code), { code });
  if (response.status >= 500)
    throw new MatrixChannelError('server_error', words.serverFailed(response.status), { code });
  throw new MatrixChannelError('unexpected_response', failedWithCode(words.failed, code, result.error), { code });
}
