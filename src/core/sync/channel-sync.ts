/**
 * The live channel of one account (issue 6): matrix-js-sdk's sync loop with a notification-oriented filter
 * (sdk-client.ts), our own reconnect backoff, the sync token and the room list kept across runs, every new
 * timeline event through the message policy and every invite through the invite policy (invites.ts), and
 * typed events for the glue.
 *
 * Starting: with a stored token (and its room list) the SDK resumes from it, and `m.direct` is read once.
 * Without one, a one-off bootstrap (bootstrap.ts) takes the place of the SDK's initial sync: a fresh token,
 * the room list, the pending invites and `m.direct`, for a fraction of the bytes and memory; from then on it
 * is a resume like any other. Either way the SDK knows nothing of rooms that did not change since the token,
 * so a room's facts (name, aliases, encryption, members) are fetched once, on demand, from /rooms/{id}/state
 * when an event or a send needs them (RoomStateLoader).
 *
 * Live versus history: nothing from before the start is delivered. After a bootstrap every event is new by
 * construction (it came after the bootstrap's token). Events of the first response after a resume (what
 * happened while we were away) go through the policy's `startedAt` rule (older than this start: history).
 * Events of every later response are live by construction, so a server clock behind ours cannot swallow them.
 * Delivered event IDs are remembered (bounded), so nothing is notified twice across reconnects and restarts
 * of the loop.
 */
import type { ChannelConfig } from '../channel/config.ts';
import { Emitter } from '../events.ts';
import { MatrixChannelError } from '../errors.ts';
import { describeError, type Logger } from '../log.ts';
import { loadSdk, type MatrixClient } from '../matrix/sdk.ts';
import { Backoff, SYNC_BACKOFF, type BackoffOptions } from './backoff.ts';
import { fetchBootstrap, type SavedSync } from './bootstrap.ts';
import { InviteHandler } from './invites.ts';
import { judgeMessage, RecentEvents } from './messages.ts';
import {
  directAccountData,
  latestEventId,
  sendRoomMessage,
  setReadMarkers,
  type RoomRequester,
} from './room-requests.ts';
import { RoomList, type RoomSummary } from './room-list.ts';
import { createChannelClient, startSyncLoop } from './sdk-client.ts';
import { directRoomIds, observeRoom, RoomStateLoader, type NotificationCounts } from './sdk-rooms.ts';
import type { SyncStateStore } from './sync-state-store.ts';
import type { ChannelInvite, ChannelMessage, ChannelSyncState, SendOptions, SyncSession } from './types.ts';

export type { ChannelInvite, ChannelMessage, ChannelSyncState, SendOptions, SyncSession } from './types.ts';
export { ENCRYPTED_BODY } from './messages.ts';

type Room = import('matrix-js-sdk').Room;
type MatrixEvent = import('matrix-js-sdk').MatrixEvent;

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
   * How to judge the age of the events being processed: a time drops older ones (the catch-up after resuming
   * a stored token: history), 0 takes them all (live).
   */
  private historyBefore = 0;
  /** Where the SDK resumes (the stored token, or the bootstrap's); the token the store holds. */
  private resumeToken?: string;
  private storedToken?: string;
  /** A bootstrap's invites and account data, until the SDK takes them. */
  private savedSync?: SavedSync;
  /** Aborts a bootstrap in flight when the channel stops. */
  private stopping = new AbortController();
  private readonly delivered = new RecentEvents();
  private readonly roomStates = new RoomStateLoader(
    () => this.requireClient(),
    (message) => this.options.log.warn(`account ${this.options.accountId}: ${message}`),
  );
  private readonly inviteHandler: InviteHandler;
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
    this.inviteHandler = new InviteHandler({
      accountId: options.accountId,
      userId: this.userId,
      config: options.config,
      log: options.log,
      join: (roomId) => this.requireClient().joinRoom(roomId),
      report: (invite) => this.invites.fire(invite),
    });
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

  /** Starts the loop: resuming from the stored token when there is one, else after a bootstrap. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.stopping = new AbortController();
    this.startedAt = this.now();
    const { store, accountId, session } = this.options;
    const [token, rooms] = await Promise.all([store.get(accountId), store.getRooms(accountId)]);
    // A token without its room list (stored by an older version) would leave the list incomplete: start over.
    this.resumeToken = this.storedToken = rooms ? (token ?? undefined) : undefined;
    this.roomList = new RoomList(rooms ?? []);
    this.roomList.onChange((list) => this.roomListeners.fire(list));
    this.historyBefore = this.startedAt;
    const sdk = await loadSdk();
    this.counts = sdk.NotificationCountType;
    const client = await createChannelClient({
      session: session.session,
      fetch: session.fetch,
      log: this.options.log,
      resumeToken: () => this.resumeToken,
      takeSavedSync: () => {
        const saved = this.savedSync ?? null;
        this.savedSync = undefined;
        return saved;
      },
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
      if (membership !== 'invite') return;
      this.enqueue(async () => {
        if (this.running) await this.inviteHandler.handle(room);
      });
    });
    client.on(sdk.ClientEvent.AccountData, (event) => {
      if (event.getType() === 'm.direct') this.directRooms = directRoomIds(event.getContent());
    });
    if (this.resumeToken !== undefined) {
      // Account data comes only when it changes: after a resume, read m.direct once.
      const direct = await directAccountData(this.requester(), this.userId);
      if (direct !== undefined) this.directRooms = directRoomIds(direct);
    }
    this.setState({ state: 'syncing' });
    await this.startLoop();
  }

  /** Stops for good (sign-out, removal, dispose). The stored token is kept unless `forget`. */
  async stop(options: { forget?: boolean } = {}): Promise<void> {
    this.running = false;
    this.stopping.abort();
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
    await this.roomStates.load(room);
    return room.hasEncryptionStateEvent();
  }

  /** Sends plain text; refuses an encrypted room (no cleartext there, ever). */
  async sendText(roomId: string, text: string, options: SendOptions = {}): Promise<{ eventId: string }> {
    this.requireClient();
    if (await this.isEncrypted(roomId)) {
      throw new MatrixChannelError(
        'encrypted_room',
        'This room is end-to-end encrypted, and Matrix Channels cannot encrypt messages yet, so nothing was sent (it would have gone out unencrypted).',
      );
    }
    const content: Record<string, unknown> = { msgtype: 'm.text', body: text };
    if (options.html !== undefined)
      Object.assign(content, { format: 'org.matrix.custom.html', formatted_body: options.html });
    if (options.replyTo) content['m.relates_to'] = { 'm.in_reply_to': { event_id: options.replyTo } };
    const txn = `mc${this.now().toString(36)}${(this.txnCounter++).toString(36)}`;
    return sendRoomMessage(this.requester(), roomId, content, txn);
  }

  /** Sends a read receipt for the room's newest event; the unread count drops to zero at once. */
  async markRead(roomId: string): Promise<void> {
    const client = this.requireClient();
    const live = client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? [];
    const newest = [...live]
      .reverse()
      .find((event) => event.getId() && !event.getId()!.startsWith('~'))
      ?.getId();
    const eventId = newest ?? (await latestEventId(this.requester(), roomId));
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
    if (this.resumeToken === undefined) {
      // The SDK asks for /versions before its sync loop starts: ask alongside the bootstrap rather than after
      // it. The SDK keeps the answer for startClient (and asks again there if this failed).
      void client.getVersions().catch(() => undefined);
      if (!(await this.bootstrap())) return;
    }
    if (!this.running || this.client !== client) return;
    await startSyncLoop(client, this.userId, {
      timelineLimit: this.options.timelineLimit ?? 5,
      pollTimeoutMs: this.options.pollTimeoutMs ?? 30_000,
    });
  }

  /**
   * A first start: one small /sync instead of the SDK's initial sync (bootstrap.ts). The room list is whole at
   * once; the SDK gets the invites and m.direct from its store and resumes from the token. False when it
   * failed (then it is retried with backoff, like a failed sync).
   */
  private async bootstrap(): Promise<boolean> {
    try {
      const boot = await fetchBootstrap(this.requester(), this.stopping.signal);
      if (!this.running) return false;
      this.directRooms = boot.directRooms;
      this.roomList.replace(boot.rooms);
      this.savedSync = boot.saved;
      this.resumeToken = boot.nextBatch;
      // Everything after the bootstrap's token happened after this start.
      this.historyBefore = 0;
      return true;
    } catch (error) {
      if (this.running) this.failed(error);
      return false;
    }
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
        if (data?.nextSyncToken && data.nextSyncToken !== this.storedToken) {
          const token = data.nextSyncToken;
          this.storedToken = this.resumeToken = token;
          // After what this response brought (invites joined, events delivered), and the rooms first: a
          // stored token must never be ahead of the stored room list.
          this.enqueue(async () => {
            await this.storeRooms();
            await this.options.store.set(this.options.accountId, token);
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
    const errcode =
      error instanceof MatrixChannelError ? error.code : (error as { errcode?: string } | undefined)?.errcode;
    const { endedReason: ended, renewable } = this.options.session;
    if (ended || (errcode === 'M_UNKNOWN_TOKEN' && !renewable)) {
      this.running = false;
      this.client?.stopClient();
      this.setState({
        state: 'needs_sign_in',
        reason: ended?.reason ?? 'The homeserver no longer accepts this session.',
      });
      return;
    }
    const delay = this.backoff.failure(this.now());
    const retryAt = this.now() + delay;
    this.pausedUntil = retryAt;
    this.client?.stopClient();
    const reason = lostConnectionReason(error);
    this.options.log.warn(
      `account ${this.options.accountId}: sync failed (${error === undefined ? 'no detail' : describeError(error)}); retrying in ${(delay / 1000).toFixed(1)} s`,
    );
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
    if (client && this.counts)
      this.roomList.observe(
        client.getRooms().map((room) => observeRoom(room, this.directRooms.has(room.roomId), this.counts!)),
      );
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

  private async handleTimelineEvent(event: MatrixEvent, room: Room, historyBefore: number): Promise<void> {
    if (!this.running) return;
    const eventId = event.getId();
    if (!eventId || eventId.startsWith('~') || this.delivered.has(eventId)) return;
    const type = event.getWireType();
    if (type !== 'm.room.message' && type !== 'm.room.encrypted') return;
    // Only joined rooms have timelines in a sync (a room the SDK met through an incremental sync may not
    // know our membership yet, so it is not checked here).
    const membership = room.getMyMembership();
    if (membership === 'invite' || membership === 'ban') return;
    await this.roomStates.load(room);
    const { accountId, config } = this.options;
    const judged = judgeMessage({
      accountId,
      ownUserId: this.userId,
      config: config(),
      event,
      room,
      inDirectRooms: this.directRooms.has(room.roomId),
      // After the first response everything is new to us, whatever the server's clock says.
      startedAt: historyBefore,
    });
    this.options.log.debug(
      `account ${accountId}: ${eventId} in ${room.roomId}: ${judged.deliver ? 'deliver' : 'drop'} (${judged.reason})`,
    );
    if (!judged.message) return;
    this.delivered.add(eventId);
    this.messages.fire(judged.message);
  }
}

/** The words for a lost connection: what a person can act on, not the SDK's error chain. */
function lostConnectionReason(error: unknown): string {
  const errcode = (error as { errcode?: unknown } | undefined)?.errcode;
  if (errcode === 'M_UNKNOWN_TOKEN') return 'Waiting to renew the session: the sign-in server is not answering.';
  const status = (error as { httpStatus?: unknown } | undefined)?.httpStatus;
  if (typeof status === 'number' && status >= 500) return `The homeserver is having trouble (HTTP ${status}).`;
  if (
    error instanceof Error &&
    (error.name === 'ConnectionError' || /fetch failed|ECONNREFUSED|network/i.test(error.message))
  ) {
    return 'The homeserver cannot be reached.';
  }
  return error === undefined
    ? 'The connection to the homeserver was lost.'
    : `The connection to the homeserver was lost (${describeError(error)}).`;
}
