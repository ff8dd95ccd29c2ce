/**
 * The live channel of one account: matrix-js-sdk's sync loop with a notification-oriented filter
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
 * Live versus history: nothing from before the start is delivered; which events are history is the run's
 * phase's to say (sync-machine.ts, with the run's other states and transitions). Delivered event IDs are remembered (bounded), so nothing is notified twice across reconnects and restarts
 * of the loop.
 */
import type { ChannelConfig } from '../channel/config.ts';
import type { CryptoPlace } from '../crypto/channel-crypto.ts';
import { ChannelEncryption } from '../crypto/channel-encryption.ts';
import { SecretStorageKeys } from '../crypto/recovery.ts';
import type { DeviceTrust, EncryptionStatus } from '../crypto/status-types.ts';
import { Emitter } from '../events.ts';
import { MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';
import { describeError, type Logger } from '../log.ts';
import { loadSdk, type MatrixClient } from '../matrix/sdk.ts';
import { Backoff, SYNC_BACKOFF, type BackoffOptions } from './backoff.ts';
import { fetchBootstrap } from './bootstrap.ts';
import { eventHandlers, type ChannelHandlers } from './channel-handlers.ts';
import { RunLifecycle } from './lifecycle.ts';
import { RoomActions } from './room-actions.ts';
import { directAccountData, roomStateEvents, type RoomRequester } from './room-requests.ts';
import { RoomList, type RoomSummary } from './room-list.ts';
import { createChannelClient, haltClient, startSyncLoop } from './sdk-client.ts';
import { directRoomIds, newestFromOthers, observeRoom, RoomStateLoader, type NotificationCounts } from './sdk-rooms.ts';
import { lostConnectionReason, sessionOverReason } from './sync-failure.ts';
import {
  historyBefore,
  isAttempting,
  needsBootstrap,
  nextPhase,
  shownState,
  type SyncEvent,
  type SyncPhase,
} from './sync-machine.ts';
import { SyncPosition } from './sync-position.ts';
import type { SyncStateStore } from './sync-state-store.ts';
import type { ChannelInvite, ChannelMessage, ChannelSyncState, SendOptions, SyncSession } from './types.ts';

export type { ChannelInvite, ChannelMessage, ChannelSyncState, SendOptions, SyncSession } from './types.ts';
export { encryptedBody } from './messages.ts';

export interface ChannelSyncOptions {
  accountId: string;
  session: SyncSession;
  /** Read on every event, so edited policies apply at once. */
  config: () => ChannelConfig;
  store: SyncStateStore;
  log: Logger;
  /** Where the account's encryption keeps its store; absent: no encryption (encrypted rooms stay unreadable). */
  crypto?: CryptoPlace;
  backoff?: BackoffOptions;
  /** Timeline events per room in a sync response (default 5). */
  timelineLimit?: number;
  /** The /sync long-poll timeout (default 30 s). */
  pollTimeoutMs?: number;
  now?: () => number;
}

export class ChannelSync {
  private client?: MatrixClient;
  private readonly e2ee = new ChannelEncryption();
  private readonly backoff: Backoff;
  private readonly now: () => number;
  private readonly messages = new Emitter<ChannelMessage>();
  private readonly invites = new Emitter<ChannelInvite>();
  private readonly states = new Emitter<ChannelSyncState>();
  private roomList = new RoomList();
  private readonly roomListeners = new Emitter<readonly RoomSummary[]>();
  private counts?: NotificationCounts;
  /** Where the run stands (sync-machine.ts); what the account shows follows from it. */
  private phase: SyncPhase = { name: 'idle' };
  /** What the account was last told; nothing before the run's first news. */
  private shown?: ChannelSyncState;
  /** Its end closes the run's client: none of its requests answers any more, and nothing of the SDK runs on. */
  private readonly lifecycle = new RunLifecycle(() => this.closeClient());
  private retryTimer?: ReturnType<typeof setTimeout>;
  private readonly position: SyncPosition;
  private readonly roomStates = new RoomStateLoader(
    () => this.requireClient(),
    (roomId) => roomStateEvents(this.requester(), roomId),
    (message) => this.options.log.warn(`account ${this.options.accountId}: ${message}`),
  );
  private readonly handlers: ChannelHandlers;
  private directRooms = new Set<string>();
  /** Serializes event handling (cold rooms are looked up asynchronously; order must hold). */
  private queue: Promise<void> = Promise.resolve();
  private readonly actions = new RoomActions({
    client: () => this.requireClient(),
    requester: () => this.requester(),
    loadState: (room) => this.roomStates.load(room),
    crypto: () => this.e2ee.crypto,
    markedRead: (roomId) => this.roomList.markRead(roomId, newestFromOthers(this.client?.getRoom(roomId))),
    now: () => this.now(),
  });

  readonly onMessage = this.messages.on.bind(this.messages);
  readonly onInvite = this.invites.on.bind(this.invites);
  readonly onState = this.states.on.bind(this.states);
  /** The joined rooms changed (names, unread counts, joins and leaves); fired at most once per sync response. */
  readonly onRooms = this.roomListeners.on.bind(this.roomListeners);
  /** What the account's encryption looks like from this device changed (encryption-status.ts). */
  readonly onEncryption = this.e2ee.onStatus;
  /** Another of the person's devices asks to verify this one. */
  readonly onVerificationRequest = this.e2ee.onRequest;
  /** Recovery and verification of this device (where the encryption runs). */
  readonly deviceTrust: DeviceTrust = this.e2ee;

  constructor(private readonly options: ChannelSyncOptions) {
    this.backoff = new Backoff(options.backoff ?? SYNC_BACKOFF);
    this.position = new SyncPosition(options.store, options.accountId);
    this.now = options.now ?? Date.now;
    this.handlers = eventHandlers(options, {
      userId: this.userId,
      requester: () => this.requester(),
      loadState: (room) => this.roomStates.load(room),
      isDirect: (roomId) => this.directRooms.has(roomId),
      client: () => this.client,
      invite: (invite) => this.invites.fire(invite),
      message: (message) => this.messages.fire(message),
      later: (task) => this.enqueue(async () => (this.running ? task() : undefined)),
      history: () => historyBefore(this.phase),
      sync: (state, data) => this.onSync(state, data),
      directRooms: (content) => (this.directRooms = directRoomIds(content)),
    });
  }

  get state(): ChannelSyncState {
    return this.shown ?? { state: 'stopped' };
  }

  get userId(): string {
    return this.options.session.session.userId;
  }

  /** The account's encryption as this device sees it; undefined while it is not running (yet). */
  get encryption(): EncryptionStatus | undefined {
    return this.e2ee.status;
  }

  /** The joined rooms, unread first. */
  rooms(): RoomSummary[] {
    return this.roomList.list();
  }

  private get running(): boolean {
    return this.lifecycle.running;
  }

  /**
   * Starts the loop: resuming from the stored token when there is one, else after a bootstrap. Calls while it
   * starts or runs are the same start; after stop() it does nothing (a stopped channel stays stopped).
   */
  start(): Promise<void> {
    return this.lifecycle.start((signal) => this.begin(signal));
  }

  /** One start; after every step, a stop that came meanwhile ends it (and what it made is closed by the stop). */
  private async begin(signal: AbortSignal): Promise<void> {
    this.move({ type: 'start', at: this.now() });
    const { session } = this.options;
    const rooms = await this.position.load();
    if (signal.aborted) return;
    this.roomList = new RoomList(rooms);
    this.roomList.onChange((list) => this.roomListeners.fire(list));
    const sdk = await loadSdk();
    this.counts = sdk.NotificationCountType;
    const keys = new SecretStorageKeys();
    const client = await createChannelClient({
      session: session.session,
      fetch: session.fetch,
      log: this.options.log,
      resumeToken: () => this.position.resumeToken,
      takeSavedSync: () => this.position.takeSaved(),
      signal,
      cryptoCallbacks: keys.callbacks,
    });
    // Made after a stop, the client is closed already and never started: nothing to stop.
    if (signal.aborted) return;
    const { crypto, accountId, log } = this.options;
    if (crypto) await this.e2ee.start(client, { ...crypto, accountId, log, keys });
    if (signal.aborted) return;
    this.client = client;
    this.handlers.watch(client, sdk);
    const hasToken = this.position.resumeToken !== undefined;
    if (hasToken) {
      // Account data comes only when it changes: after a resume, read m.direct once.
      const direct = await directAccountData(this.requester(), this.userId, signal);
      if (signal.aborted) return;
      if (direct !== undefined) this.directRooms = directRoomIds(direct);
    }
    this.move({ type: 'ready', hasToken });
    await this.startLoop();
  }

  /**
   * Stops for good (sign-out, removal, dispose), also while starting: the start gives up, nothing of the SDK
   * runs on and no request of it is left. The stored token is kept unless `forget`.
   */
  async stop(options: { forget?: boolean } = {}): Promise<void> {
    const first = this.lifecycle.end(true);
    // After the client: its last sync's keys are in the store before the token below.
    await this.e2ee.crypto?.stop();
    this.handlers.messages.dispose();
    if (options.forget) await this.position.forget();
    else await this.position.persist(this.roomList);
    if (!first) return;
    this.move({ type: 'stop' });
    for (const emitter of [this.messages, this.invites, this.states, this.roomListeners]) emitter.clear();
    this.e2ee.clear();
    this.roomList.dispose();
  }

  /** After a run: no retry, and its client (closed by the run's end) halted and unheard. */
  private closeClient(): void {
    this.clearRetry();
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    haltClient(client);
    client.removeAllListeners();
  }

  /** Tries again now (the user asked to reconnect). */
  async retryNow(): Promise<void> {
    if (!this.running || !this.move({ type: 'retry' }, 'retrying')) return;
    this.clearRetry();
    await this.startLoop();
  }

  // What a person does in a room (room-actions.ts): whether it is encrypted, send (encrypted in an encrypted
  // room; refused there when this account cannot encrypt), mark read, the latest messages, answer an invite.
  readonly isEncrypted = (roomId: string) => this.actions.isEncrypted(roomId);
  readonly sendText = (roomId: string, text: string, options: SendOptions = {}) =>
    this.actions.sendText(roomId, text, options);
  readonly markRead = (roomId: string) => this.actions.markRead(roomId);
  readonly recentMessages = (roomId: string, limit: number) => this.actions.recentMessages(roomId, limit);
  readonly roomFeed = (roomId: string) => this.actions.roomFeed(roomId);
  readonly answerInvite = (roomId: string, accept: boolean) => this.actions.answerInvite(roomId, accept);

  private requester(): RoomRequester {
    return { homeserver: this.options.session.session.homeserver, fetch: this.options.session.fetch };
  }

  private requireClient(): MatrixClient {
    if (!this.client) throw new MatrixChannelError('session_expired', l10n.t('This account is not connected.'));
    return this.client;
  }

  private async startLoop(): Promise<void> {
    const client = this.client;
    const signal = this.lifecycle.signal;
    if (!client || !signal) return;
    if (needsBootstrap(this.phase)) {
      // The SDK asks for /versions before its sync loop starts: ask alongside the bootstrap rather than after
      // it. The SDK keeps the answer for startClient (and asks again there if this failed).
      void client.getVersions().catch(() => undefined);
      if (!(await this.bootstrap(signal))) return;
    }
    if (signal.aborted || this.client !== client) return;
    await startSyncLoop(
      client,
      this.userId,
      { timelineLimit: this.options.timelineLimit ?? 5, pollTimeoutMs: this.options.pollTimeoutMs ?? 30_000 },
      signal,
    );
  }

  /**
   * A first start: one small /sync instead of the SDK's initial sync (bootstrap.ts). The room list is whole at
   * once; the SDK gets the invites and m.direct from its store and resumes from the token. False when it
   * failed (then it is retried with backoff, like a failed sync).
   */
  private async bootstrap(signal: AbortSignal): Promise<boolean> {
    try {
      const boot = await fetchBootstrap(this.requester(), signal);
      if (signal.aborted) return false;
      // Room keys in the first response are not sent again: into the store before the token moves past them.
      await this.e2ee.crypto?.receive(boot.crypto);
      await this.e2ee.crypto?.flush();
      if (signal.aborted) return false;
      this.directRooms = boot.directRooms;
      this.roomList.replace(boot.rooms);
      this.position.bootstrapped(boot.nextBatch, boot.saved);
      this.move({ type: 'bootstrapped' });
      return true;
    } catch (error) {
      if (!signal.aborted) this.failed(error);
      return false;
    }
  }

  private onSync(state: string, data: { nextSyncToken?: string; error?: unknown } | undefined): void {
    if (!this.running) return;
    switch (state) {
      case 'PREPARED':
      case 'SYNCING':
        this.backoff.healthy(this.now());
        this.observeRooms();
        if (state === 'PREPARED') void this.e2ee.crypto?.readStatus();
        if (this.position.advance(data?.nextSyncToken)) {
          const token = this.position.resumeToken;
          // After what this response brought (invites joined, events delivered, keys stored).
          this.enqueue(async () => {
            await this.e2ee.crypto?.flush();
            await this.position.persist(this.roomList, token);
          });
        }
        this.move({ type: 'synced' });
        return;
      case 'RECONNECTING':
      case 'ERROR':
      case 'CATCHUP':
        this.failed(data?.error);
        return;
      case 'STOPPED':
        this.move({ type: 'sdk_stopped' });
        return;
      default:
    }
  }

  /** A failed sync: needs sign-in when the token is gone for good, otherwise pause and retry with backoff. */
  private failed(error: unknown): void {
    if (!this.running) return;
    const over = sessionOverReason(error, this.options.session);
    if (over !== undefined) {
      this.lifecycle.end();
      this.move({ type: 'session_over', reason: over });
      return;
    }
    // Already paused (or stopped): nothing more to do.
    if (!isAttempting(this.phase)) return;
    const delay = this.backoff.failure(this.now());
    const retryAt = this.now() + delay;
    // Paused before the SDK stops: its STOPPED is then ours, not news.
    this.move({ type: 'failed', reason: lostConnectionReason(error), retryAt });
    this.client?.stopClient();
    this.options.log.warn(
      `account ${this.options.accountId}: sync failed (${error === undefined ? 'no detail' : describeError(error)}); retrying in ${(delay / 1000).toFixed(1)} s`,
    );
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.move({ type: 'retry' }, 'retrying')) void this.startLoop().catch((cause: unknown) => this.failed(cause));
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

  private clearRetry(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /**
   * Moves the run to its next phase, and tells the glue when what the account shows changed. With `expected`:
   * whether the event did move the run into that phase (an event that does not apply leaves it where it is).
   */
  private move(event: SyncEvent, expected?: SyncPhase['name']): boolean {
    const before = this.phase;
    this.phase = nextPhase(before, event);
    const shown = shownState(this.phase);
    if (shown && JSON.stringify(shown) !== JSON.stringify(this.shown)) {
      this.shown = shown;
      this.states.fire(shown);
    }
    return expected === undefined || (this.phase !== before && this.phase.name === expected);
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
}
