/**
 * The live channel of one account (issue 6): matrix-js-sdk's sync loop with a notification-oriented filter,
 * our own reconnect backoff, the sync token kept across runs, every new timeline event through the message
 * policy and every invite through the invite policy, and typed events for the glue.
 *
 * Resuming: the SDK asks its store for a saved sync token (`getSavedSyncToken`) before the first /sync; our
 * store (a MemoryStore) answers with the token the SyncStateStore kept, so a restart asks only for what
 * happened since (an incremental sync) instead of a new initial sync. The SDK then knows nothing about rooms
 * that did not change, so a room's facts (name, aliases, encryption, members) are fetched once, on demand,
 * from /rooms/{id}/state when an event or a send needs them ("cold" rooms), and `m.direct` is fetched once
 * at a resumed start. We do not persist the SDK's whole sync accumulator: for hundreds of rooms it is large,
 * and the channel needs almost none of it.
 *
 * Live versus history: events of an initial sync (no token) are history and never delivered. Events of the
 * first response after a resume (what happened while we were away) go through the policy's `startedAt`
 * rule (older than this start: history). Events of every later response are live by construction (they
 * arrived after we started), so a server clock behind ours cannot swallow them. Delivered event IDs are
 * remembered (bounded), so nothing is notified twice across reconnects and restarts of the loop.
 */
import type { ChannelConfig } from '../channel/config.ts';
import { Emitter } from '../events.ts';
import { MatrixChannelError } from '../errors.ts';
import { describeError, type Logger } from '../log.ts';
import { createMatrixClient, loadSdk, type MatrixClient } from '../matrix/sdk.ts';
import { decideInvite, decideMessage, isDirectRoom } from '../policy/index.ts';
import { Backoff, SYNC_BACKOFF, type BackoffOptions } from './backoff.ts';
import { latestEventId, sendRoomMessage, setReadMarkers, type RoomRequester } from './room-requests.ts';
import { RoomList, type RoomSummary } from './room-list.ts';
import { directRoomIds, hasRoomState, observeRoom, policyRoomOf, type NotificationCounts } from './sdk-rooms.ts';
import type { SyncStateStore } from './sync-state-store.ts';

type Room = import('matrix-js-sdk').Room;
type MatrixEvent = import('matrix-js-sdk').MatrixEvent;

/** What the channel needs of a session: where, who, and an authenticated fetch that keeps tokens fresh. */
export interface SyncSession {
  readonly session: { homeserver: string; userId: string; deviceId: string };
  readonly fetch: typeof fetch;
  /** Set once the session is over for good (the managed session could not renew it). */
  readonly endedReason?: MatrixChannelError | undefined;
}

export type ChannelSyncState =
  | { state: 'syncing' }
  | { state: 'connected' }
  | { state: 'reconnecting'; reason: string; retryAt: number }
  | { state: 'needs_sign_in'; reason: string }
  | { state: 'stopped' };

export interface ChannelMessage {
  accountId: string;
  roomId: string;
  roomName: string;
  eventId: string;
  sender: string;
  senderName: string;
  /** The text; "encrypted message" for an encrypted event. */
  body: string;
  encrypted: boolean;
  isDirect: boolean;
  ts: number;
}

export interface ChannelInvite {
  accountId: string;
  roomId: string;
  roomName: string;
  inviter: string;
  isDirect: boolean;
  joined: boolean;
  reason: string;
}

export interface ChannelSyncOptions {
  accountId: string;
  session: SyncSession;
  /** Read on every event, so edited policies apply at once. */
  config: () => ChannelConfig;
  store: SyncStateStore;
  log: Logger;
  backoff?: BackoffOptions;
  /** Timeline events per room in a sync response (default 5). */
  timelineLimit?: number;
  /** The /sync long-poll timeout (default 30 s). */
  pollTimeoutMs?: number;
  now?: () => number;
}

export interface SendOptions {
  /** The event this message answers (`m.relates_to.m.in_reply_to`). */
  replyTo?: string;
  /** An HTML rendering of the text (`org.matrix.custom.html`), for clients that show formatting. */
  html?: string;
}

export const ENCRYPTED_BODY = 'encrypted message';
const REMEMBERED_EVENTS = 2_000;

export class ChannelSync {
  private client?: MatrixClient;
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private readonly messages = new Emitter<ChannelMessage>();
  private readonly invites = new Emitter<ChannelInvite>();
  private readonly states = new Emitter<ChannelSyncState>();
  private roomList = new RoomList();
  private readonly roomListeners = new Emitter<readonly RoomSummary[]>();
  private counts?: NotificationCounts;
  private current: ChannelSyncState = { state: 'stopped' };
  private startedAt = 0;
  private running = false;
  /** The loop is paused by us (backoff); the SDK's STOPPED is ours then, not news. */
  private pausedUntil?: number;
  private retryTimer?: ReturnType<typeof setTimeout>;
  /**
   * How to judge the age of the events being processed: 'all' drops them all (an initial sync: history),
   * a time drops older ones (the catch-up after resuming a stored token), 0 takes them all (live).
   */
  private historyBefore: number | 'all' = 'all';
  private savedToken?: string;
  private readonly delivered = new Set<string>();
  private readonly handledInvites = new Set<string>();
  private readonly hydrated = new Map<string, Promise<void>>();
  private directRooms = new Set<string>();
  /** Serializes event handling (cold rooms are looked up asynchronously; order must hold). */
  private queue: Promise<void> = Promise.resolve();
  private txnCounter = 0;

  readonly onMessage = this.messages.on.bind(this.messages);
  readonly onInvite = this.invites.on.bind(this.invites);
  readonly onState = this.states.on.bind(this.states);
  /** The joined rooms changed (names, unread counts, joins and leaves); fired at most once per sync response. */
  readonly onRooms = this.roomListeners.on.bind(this.roomListeners);

  constructor(private readonly options: ChannelSyncOptions) {
    this.backoff = new Backoff(options.backoff ?? SYNC_BACKOFF);
    this.now = options.now ?? Date.now;
  }

  get state(): ChannelSyncState {
    return this.current;
  }

  get userId(): string {
    return this.options.session.session.userId;
  }

  /** The joined rooms, unread first. */
  rooms(): RoomSummary[] {
    return this.roomList.list();
  }

  /** Starts the loop (resuming from the stored token when there is one). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.startedAt = this.now();
    const { session } = this.options.session;
    const { store, accountId } = this.options;
    const [token, rooms] = await Promise.all([store.get(accountId), store.getRooms(accountId)]);
    // A token without its room list (stored by an older version) would leave the list incomplete: start over.
    this.savedToken = rooms ? token ?? undefined : undefined;
    this.roomList = new RoomList(rooms ?? []);
    this.roomList.onChange((list) => this.roomListeners.fire(list));
    this.historyBefore = this.savedToken !== undefined ? this.startedAt : 'all';
    const sdk = await loadSdk();
    this.counts = sdk.NotificationCountType;
    const saved = (): string | undefined => this.savedToken;
    /** The SDK's memory store, answering "where were we?" with the token we kept. */
    class ResumingStore extends sdk.MemoryStore {
      override getSavedSyncToken(): Promise<string | null> {
        return Promise.resolve(this.getSyncToken() ?? saved() ?? null);
      }
    }
    const client = await createMatrixClient({
      baseUrl: session.homeserver,
      userId: session.userId,
      deviceId: session.deviceId,
      // The managed session's fetch sets the current token on every request; the SDK needs some token to
      // send at all, so it gets a placeholder that the fetch replaces.
      accessToken: 'managed-by-session',
      fetchFn: this.options.session.fetch,
      store: new ResumingStore(),
      log: this.options.log,
    });
    if (!this.running) return;
    this.client = client;
    client.on(sdk.ClientEvent.Sync, (state, _previous, data) => this.onSync(state, data));
    client.on(sdk.RoomEvent.Timeline, (event, room, toStart, removed, data) => {
      if (toStart || removed || !room || data?.liveEvent === false) return;
      const historyBefore = this.historyBefore;
      this.enqueue(() => this.handleTimelineEvent(event, room, historyBefore));
    });
    client.on(sdk.RoomEvent.MyMembership, (room, membership) => {
      if (membership === 'invite') this.enqueue(() => this.handleInvite(room));
    });
    client.on(sdk.ClientEvent.AccountData, (event) => {
      if (event.getType() === 'm.direct') this.directRooms = directRoomIds(event.getContent());
    });
    if (this.savedToken !== undefined) {
      // Account data comes only when it changes: after a resume, read m.direct once.
      const url = `${session.homeserver}/_matrix/client/v3/user/${encodeURIComponent(session.userId)}/account_data/m.direct`;
      const response = await this.options.session.fetch(url).catch(() => undefined);
      if (response?.ok) this.directRooms = directRoomIds(await response.json().catch(() => ({})));
    }
    this.setState({ state: 'syncing' });
    await this.startLoop();
  }

  /** Stops for good (sign-out, removal, dispose). The stored token is kept unless `forget`. */
  async stop(options: { forget?: boolean } = {}): Promise<void> {
    this.running = false;
    this.clearRetry();
    this.client?.stopClient();
    this.client?.removeAllListeners();
    this.client = undefined;
    if (options.forget) {
      await this.options.store.set(this.options.accountId, undefined);
      await this.options.store.setRooms(this.options.accountId, undefined);
    } else {
      await this.storeRooms();
    }
    this.setState({ state: 'stopped' });
    this.messages.clear();
    this.invites.clear();
    this.states.clear();
    this.roomListeners.clear();
    this.roomList.dispose();
  }

  /** Tries again now (the user asked to reconnect). */
  async retryNow(): Promise<void> {
    if (!this.running || this.pausedUntil === undefined) return;
    this.clearRetry();
    await this.startLoop();
  }

  /** Whether a room is end-to-end encrypted (fetching its state when the SDK has not seen it). */
  async isEncrypted(roomId: string): Promise<boolean> {
    const client = this.requireClient();
    const room = client.getRoom(roomId);
    if (!room) {
      const state = await client.roomState(roomId).catch(() => []);
      return state.some((event) => event.type === 'm.room.encryption');
    }
    await this.hydrate(room);
    return room.hasEncryptionStateEvent();
  }

  /** Sends plain text; refuses an encrypted room (no cleartext there, ever). */
  async sendText(roomId: string, text: string, options: SendOptions = {}): Promise<{ eventId: string }> {
    this.requireClient();
    if (await this.isEncrypted(roomId)) {
      throw new MatrixChannelError('encrypted_room',
        'This room is end-to-end encrypted, and Matrix Channels cannot encrypt messages yet, so nothing was sent (it would have gone out unencrypted).');
    }
    const content: Record<string, unknown> = { msgtype: 'm.text', body: text };
    if (options.html !== undefined) Object.assign(content, { format: 'org.matrix.custom.html', formatted_body: options.html });
    if (options.replyTo) content['m.relates_to'] = { 'm.in_reply_to': { event_id: options.replyTo } };
    const txn = `mc${this.now().toString(36)}${(this.txnCounter++).toString(36)}`;
    return sendRoomMessage(this.requester(), roomId, content, txn);
  }

  /** Sends a read receipt for the room's newest event; the unread count drops to zero at once. */
  async markRead(roomId: string): Promise<void> {
    const client = this.requireClient();
    const live = client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? [];
    const newest = [...live].reverse().find((event) => event.getId() && !event.getId()!.startsWith('~'))?.getId();
    const eventId = newest ?? await latestEventId(this.requester(), roomId);
    if (!eventId) return;
    await setReadMarkers(this.requester(), roomId, eventId);
    this.roomList.markRead(roomId);
  }

  private requester(): RoomRequester {
    return { homeserver: this.options.session.session.homeserver, fetch: this.options.session.fetch };
  }

  private requireClient(): MatrixClient {
    if (!this.client) throw new MatrixChannelError('session_expired', 'This account is not connected.');
    return this.client;
  }

  private async startLoop(): Promise<void> {
    const client = this.client;
    if (!client || !this.running) return;
    this.pausedUntil = undefined;
    await client.startClient({
      filter: await this.filter(),
      initialSyncLimit: this.options.timelineLimit ?? 5,
      lazyLoadMembers: true,
      disablePresence: true,
      pollTimeout: this.options.pollTimeoutMs ?? 30_000,
      threadSupport: false,
    });
  }

  /**
   * Only what notifications need: a few timeline events per room, lazily loaded members, no presence, no
   * typing or receipts, and of the account data only `m.direct` (DM detection).
   */
  private async filter(): Promise<import('matrix-js-sdk').Filter> {
    const { Filter } = await loadSdk();
    const filter = new Filter(this.userId);
    filter.setDefinition({
      presence: { types: [] },
      account_data: { types: ['m.direct'] },
      room: {
        timeline: { limit: this.options.timelineLimit ?? 5 },
        state: { lazy_load_members: true },
        ephemeral: { types: [] },
        account_data: { types: [] },
        include_leave: false,
      },
    });
    return filter;
  }

  private onSync(state: string, data: { nextSyncToken?: string; error?: unknown } | undefined): void {
    if (!this.running) return;
    switch (state) {
      case 'PREPARED':
      case 'SYNCING':
        // From here on every response only holds what happened since the last one: live events. (A restart
        // of the loop after a failure resumes from the token too, so it stays live.)
        this.historyBefore = 0;
        this.backoff.healthy(this.now());
        this.observeRooms();
        if (data?.nextSyncToken && data.nextSyncToken !== this.savedToken) {
          this.savedToken = data.nextSyncToken;
          this.enqueue(async () => {
            // The rooms first: a stored token must never be ahead of the stored room list.
            await this.storeRooms();
            await this.options.store.set(this.options.accountId, data.nextSyncToken);
          });
        }
        if (this.current.state !== 'connected') this.setState({ state: 'connected' });
        return;
      case 'RECONNECTING':
      case 'ERROR':
      case 'CATCHUP':
        this.failed(data?.error);
        return;
      case 'STOPPED':
        if (this.pausedUntil === undefined) this.setState({ state: 'stopped' });
        return;
      default:
    }
  }

  /** A failed sync: needs sign-in when the token is gone for good, otherwise pause and retry with backoff. */
  private failed(error: unknown): void {
    if (this.pausedUntil !== undefined) return;
    const errcode = (error as { errcode?: string } | undefined)?.errcode;
    const ended = this.options.session.endedReason;
    if (ended || errcode === 'M_UNKNOWN_TOKEN') {
      this.running = false;
      this.client?.stopClient();
      this.setState({ state: 'needs_sign_in', reason: ended?.reason ?? 'The homeserver no longer accepts this session.' });
      return;
    }
    const delay = this.backoff.failure(this.now());
    const retryAt = this.now() + delay;
    this.pausedUntil = retryAt;
    this.client?.stopClient();
    const reason = error === undefined ? 'The connection to the homeserver was lost.' : `The connection to the homeserver was lost (${describeError(error)}).`;
    this.options.log.warn(`account ${this.options.accountId}: sync failed; retrying in ${Math.round(delay / 1000)}s`);
    this.setState({ state: 'reconnecting', reason, retryAt });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.startLoop().catch((cause: unknown) => this.failed(cause));
    }, delay);
    (this.retryTimer as { unref?: () => void }).unref?.();
  }

  /** What this sync response showed of each room the SDK knows, into the room list. */
  private observeRooms(): void {
    const client = this.client;
    if (client && this.counts) this.roomList.observe(client.getRooms().map((room) => observeRoom(room, this.directRooms.has(room.roomId), this.counts!)));
  }

  private async storeRooms(): Promise<void> {
    const rooms = this.roomList.takeChanges();
    if (rooms) await this.options.store.setRooms(this.options.accountId, rooms);
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private setState(state: ChannelSyncState): void {
    this.current = state;
    this.states.fire(state);
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((error: unknown) => {
      this.options.log.error(`account ${this.options.accountId}: handling a sync event failed`, error);
    });
  }

  /** Resolves once every event seen so far has been handled (tests, orderly shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  private async handleTimelineEvent(event: MatrixEvent, room: Room, historyBefore: number | 'all'): Promise<void> {
    if (!this.running) return;
    const eventId = event.getId();
    if (!eventId || eventId.startsWith('~') || this.delivered.has(eventId)) return;
    const type = event.getWireType();
    if (type !== 'm.room.message' && type !== 'm.room.encrypted') return;
    // An initial sync (nothing to resume from) shows only history.
    if (historyBefore === 'all') return;
    // Only joined rooms have timelines in a sync (a room the SDK met through an incremental sync may not
    // know our membership yet, so it is not checked here).
    const membership = room.getMyMembership();
    if (membership === 'invite' || membership === 'ban') return;
    await this.hydrate(room);
    const config = this.options.config();
    const policyRoom = policyRoomOf(room, this.directRooms.has(room.roomId));
    const sender = event.getSender() ?? '';
    const decision = decideMessage({
      config,
      ownUserId: this.userId,
      event: { sender, roomId: room.roomId, type, content: event.getWireContent(), originServerTs: event.getTs() },
      room: policyRoom,
      // After the first response everything is new to us, whatever the server's clock says.
      startedAt: historyBefore,
      senderMayNotifyRoom: room.currentState.mayTriggerNotifOfType('room', sender),
    });
    this.options.log.debug(`account ${this.options.accountId}: ${eventId} in ${room.roomId}: ${decision.deliver ? 'deliver' : 'drop'} (${decision.reason})`);
    if (!decision.deliver) return;
    this.remember(eventId);
    const encrypted = type === 'm.room.encrypted';
    const body = event.getWireContent()['body'];
    this.messages.fire({
      accountId: this.options.accountId,
      roomId: room.roomId,
      roomName: room.name || room.roomId,
      eventId,
      sender,
      senderName: room.getMember(sender)?.name ?? event.sender?.name ?? sender,
      body: encrypted ? ENCRYPTED_BODY : typeof body === 'string' ? body : '',
      encrypted,
      isDirect: isDirectRoom(policyRoom),
      ts: event.getTs(),
    });
  }

  private async handleInvite(room: Room): Promise<void> {
    if (!this.running || this.handledInvites.has(room.roomId)) return;
    this.handledInvites.add(room.roomId);
    const client = this.requireClient();
    const memberEvent = room.currentState.getStateEvents('m.room.member', this.userId) ?? room.getMember(this.userId)?.events.member;
    const inviter = memberEvent?.getSender() ?? room.getDMInviter() ?? '';
    const isDirect = memberEvent?.getContent()['is_direct'] === true;
    const aliases = [room.getCanonicalAlias(), ...room.getAltAliases()].filter((alias): alias is string => !!alias);
    const decision = decideInvite({ config: this.options.config(), invite: { roomId: room.roomId, inviter, isDirect, roomAliases: aliases } });
    this.options.log.info(`account ${this.options.accountId}: invite to ${room.roomId} from ${inviter}: ${decision.join ? 'join' : 'ignore'} (${decision.reason})`);
    let joined = false;
    if (decision.join) {
      try {
        await client.joinRoom(room.roomId);
        joined = true;
      } catch (error) {
        this.options.log.warn(`account ${this.options.accountId}: joining ${room.roomId} failed: ${describeError(error)}`);
        this.handledInvites.delete(room.roomId);
      }
    }
    this.invites.fire({ accountId: this.options.accountId, roomId: room.roomId, roomName: room.name || room.roomId, inviter, isDirect, joined, reason: decision.reason });
  }

  /** A room the SDK met only through an incremental sync lacks its state: fetch it once. */
  private hydrate(room: Room): Promise<void> {
    if (hasRoomState(room)) return Promise.resolve();
    let pending = this.hydrated.get(room.roomId);
    if (!pending) {
      const client = this.requireClient();
      pending = client.roomState(room.roomId).then((events) => {
        const mapper = client.getEventMapper();
        // Newer state from the sync wins over the snapshot: only add what the room does not know.
        const missing = events.filter((event) => !room.currentState.getStateEvents(event.type, event.state_key ?? ''));
        room.currentState.setStateEvents(missing.map((event) => mapper(event)));
        room.recalculate();
      }, (error: unknown) => {
        this.hydrated.delete(room.roomId);
        this.options.log.warn(`account ${this.options.accountId}: reading the state of ${room.roomId} failed: ${describeError(error)}`);
      });
      this.hydrated.set(room.roomId, pending);
    }
    return pending;
  }

  private remember(eventId: string): void {
    this.delivered.add(eventId);
    if (this.delivered.size > REMEMBERED_EVENTS) {
      const oldest = this.delivered.values().next().value;
      if (oldest !== undefined) this.delivered.delete(oldest);
    }
  }
}
