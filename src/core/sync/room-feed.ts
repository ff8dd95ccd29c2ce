/**
 * One room of a live channel, for a room view: its history a page at a time (decrypted where the account runs
 * encryption) and its new events as the channel's sync brings them, including those decrypted only later, when
 * their key arrives. The view keeps its own window (room-timeline.ts); this only feeds it.
 */
import { undecryptableBody } from '../crypto/undecryptable.ts';
import { encryptedBody } from './messages.ts';
import { Emitter } from '../events.ts';
import type { loadSdk, MatrixClient } from '../matrix/sdk.ts';
import { RoomMediaLoader, type RoomMedia } from '../media/room-media.ts';
import { historyPage, memberAvatarAtServer, tokenBefore } from '../timeline/room-history.ts';
import type { TimelineSource } from '../timeline/room-timeline.ts';
import { threadSource } from '../timeline/thread-history.ts';
import type { RoomEvent } from '../timeline/timeline-item.ts';
import type { RoomRequester } from './room-requests.ts';
import type { SendOptions } from './types.ts';

type MatrixEvent = import('matrix-js-sdk').MatrixEvent;
type Sdk = Awaited<ReturnType<typeof loadSdk>>;

/** What a room view does in its room: send (a reply too), edit, react, take back or delete. */
export interface RoomFeedActions {
  send(text: string, options?: SendOptions): Promise<{ eventId: string }>;
  edit(eventId: string, text: string, html?: string): Promise<{ eventId: string }>;
  react(eventId: string, key: string): Promise<{ eventId: string }>;
  redact(eventId: string): Promise<void>;
}

export interface RoomFeed extends RoomFeedActions {
  readonly roomId: string;
  readonly source: TimelineSource;
  /** A member's display name, when the room knows one (members load lazily: not always). */
  memberName(userId: string): string | undefined;
  /** A member's avatar (`mxc://`), when they have one (asked of the server when the room's members lack it). */
  memberAvatar(userId: string): Promise<string | undefined>;
  /** One thread of the room (by its first message), paged as the room is. */
  threadSource(rootId: string): TimelineSource;
  /** The room's pictures and files, fetched with the account's token. */
  readonly media: RoomMedia;
  /** A new event of the room, or (`replaces`) one decrypted since it was handed on. */
  onEvent(listener: (change: { event: RoomEvent; replaces: boolean }) => void): { dispose(): void };
  dispose(): void;
}

const PAGE_SIZE = 50;

export function openRoomFeed(
  client: MatrixClient,
  sdk: Sdk,
  requester: RoomRequester,
  roomId: string,
  actions: RoomFeedActions,
): RoomFeed {
  const events = new Emitter<{ event: RoomEvent; replaces: boolean }>();
  const avatars = new Map<string, Promise<string | undefined>>();
  const { RoomEvent: RoomEvents, MatrixEventEvent } = sdk;
  const roomEventOf = (event: MatrixEvent) => timelineEventOf(event, client.getCrypto() !== undefined);
  const onTimeline = (
    event: MatrixEvent,
    room: { roomId: string } | undefined,
    toStart?: boolean,
    removed?: boolean,
  ) => {
    if (room?.roomId === roomId && !toStart && !removed && event.getId()) {
      events.fire({ event: roomEventOf(event), replaces: false });
    }
  };
  // An event whose key arrived late: the SDK decrypts it again and says so.
  const onDecrypted = (event: MatrixEvent) => {
    if (event.getRoomId() === roomId && event.getId()) events.fire({ event: roomEventOf(event), replaces: true });
  };
  client.on(RoomEvents.Timeline, onTimeline);
  client.on(MatrixEventEvent.Decrypted, onDecrypted);
  const source: TimelineSource = {
    page: (from) => historyPage(requester, roomId, { limit: PAGE_SIZE, ...(from ? { from } : {}) }),
    tokenBefore: (eventId) => tokenBefore(requester, roomId, eventId),
    decrypt: async (raw) => {
      const event = new sdk.MatrixEvent({ ...raw, room_id: roomId } as ConstructorParameters<
        typeof sdk.MatrixEvent
      >[0]);
      // Fails only without encryption running; the event then says it cannot be read here.
      await client.decryptEventIfNeeded(event).catch(() => undefined);
      // Decrypted later (its key arrives): handed on as a replacement, like a live event's.
      if (event.isDecryptionFailure()) event.once(MatrixEventEvent.Decrypted, () => onDecrypted(event));
      return roomEventOf(event);
    },
  };
  return {
    ...actions,
    roomId,
    source,
    memberName: (userId) => client.getRoom(roomId)?.getMember(userId)?.name,
    memberAvatar: (userId) => {
      const known = client.getRoom(roomId)?.getMember(userId)?.getMxcAvatarUrl();
      if (known) return Promise.resolve(known);
      // Members load lazily: one request per person the view shows, remembered (none too) while it is open.
      let asked = avatars.get(userId);
      if (!asked) {
        asked = memberAvatarAtServer(requester, roomId, userId).catch(() => undefined);
        avatars.set(userId, asked);
      }
      return asked;
    },
    threadSource: (rootId) => threadSource(requester, roomId, rootId, (event) => source.decrypt!(event)),
    media: new RoomMediaLoader(requester),
    onEvent: (listener) => events.on(listener),
    dispose: () => {
      client.off(RoomEvents.Timeline, onTimeline);
      client.off(MatrixEventEvent.Decrypted, onDecrypted);
      events.clear();
    },
  };
}

/** An SDK event as the timeline takes it: clear where decrypted, with the reason where not. */
function timelineEventOf(event: MatrixEvent, encryptionRunning: boolean): RoomEvent {
  const sender = event.getSender() ?? '';
  const base: RoomEvent = {
    event_id: event.getId() ?? '',
    type: event.getType(),
    sender,
    origin_server_ts: event.getTs(),
    content: event.getContent(),
    ...(event.event.redacts ? { redacts: event.event.redacts } : {}),
    ...(event.getUnsigned().redacted_because ? { unsigned: { redacted_because: true } } : {}),
  };
  // An encrypted event's relation stays in the clear: it keeps a reply that cannot be read in its thread.
  const relation = event.getWireContent()['m.relates_to'];
  if (relation !== undefined && base.content['m.relates_to'] === undefined)
    base.content = { ...base.content, 'm.relates_to': relation };
  if (event.isDecryptionFailure())
    return { ...base, undecryptable: undecryptableBody(event.decryptionFailureReason, sender) };
  if (event.getType() === 'm.room.encrypted')
    return { ...base, undecryptable: encryptionRunning ? undecryptableBody(undefined, sender) : encryptedBody() };
  return base;
}
