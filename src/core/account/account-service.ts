/**
 * The accounts ("channels") of this editor: their configuration, sessions and connection states, and what
 * can be done to them. Free of VS Code: the glue supplies a configuration store and the sign-in engine
 * (loaded lazily, since it pulls in matrix-js-sdk and openid-client), and renders the events.
 */
import type { ChannelConfig, ChannelSecrets } from '../channel/config.ts';
import type { DeviceTrust, EncryptionStatus, IncomingVerification } from '../crypto/status-types.ts';
import { Emitter } from '../events.ts';
import { MatrixChannelError, type ErrorKind } from '../errors.ts';
import { l10n } from '../l10n.ts';
import type { Logger } from '../log.ts';
import type { SignInEngine, SignInRequest } from '../auth/sign-in-engine.ts';
import type { ManagedSession } from '../session/managed-session.ts';
import type { Session } from '../session/session.ts';
import type { ChannelInvite, ChannelMessage, ChannelSyncState, SendOptions } from '../sync/channel-sync.ts';
import type { RoomSummary } from '../sync/room-list.ts';
import type { RecentMessage } from '../sync/room-requests.ts';
import type { RoomFeed } from '../sync/room-feed.ts';
import { AccountRuntime } from './account-runtime.ts';
import { isReplaced } from './replaced-session.ts';
import type { AccountCoordination } from './coordination.ts';
import { transition, type AccountEvent, type AccountStatus } from './state.ts';

/** Where channel configurations live (VS Code: settings). Never holds secrets. */
export interface ChannelConfigStore {
  list(): ChannelConfig[];
  upsert(config: ChannelConfig): Promise<void>;
  remove(id: string): Promise<void>;
}

export interface AccountView {
  id: string;
  config: ChannelConfig;
  status: AccountStatus;
  userId?: string;
  deviceId?: string;
}

export type AuthEvent =
  | { type: 'connected'; account: AccountView }
  | { type: 'sign_in_failed'; account: AccountView; error: MatrixChannelError }
  | { type: 'session_expired'; account: AccountView; error: MatrixChannelError };

/** What the service needs of a live channel (src/core/sync/channel-sync.ts's ChannelSync). */
export interface LiveChannel {
  start(): Promise<void>;
  stop(options?: { forget?: boolean }): Promise<void>;
  retryNow(): Promise<void>;
  sendText(roomId: string, text: string, options?: SendOptions): Promise<{ eventId: string }>;
  markRead(roomId: string): Promise<void>;
  answerInvite(roomId: string, accept: boolean): Promise<void>;
  recentMessages(roomId: string, limit: number): Promise<Array<RecentMessage & { senderName?: string }>>;
  /** One room's history and new events, for a room view; test stand-ins omit it. */
  roomFeed?(roomId: string): Promise<RoomFeed>;
  rooms(): RoomSummary[];
  onMessage(listener: (message: ChannelMessage) => void): { dispose(): void };
  onState(listener: (state: ChannelSyncState) => void): { dispose(): void };
  onRooms(listener: (rooms: readonly RoomSummary[]) => void): { dispose(): void };
  onInvite(listener: (invite: ChannelInvite) => void): { dispose(): void };
  /** Recovery and verification of this device (failing while its encryption is not running); test stand-ins omit it. */
  deviceTrust?: DeviceTrust;
  onVerificationRequest?(listener: (request: IncomingVerification) => void): { dispose(): void };
  /** Absent: the channel runs no encryption. */
  onEncryption?(listener: (status: EncryptionStatus) => void): { dispose(): void };
}

/** Creates the live channel of a signed-in account (the glue: a ChannelSync over globalState). */
export type LiveChannelFactory = (input: {
  accountId: string;
  session: ManagedSession;
  config: () => ChannelConfig;
}) => LiveChannel | Promise<LiveChannel>;

export interface AccountServiceOptions {
  configs: ChannelConfigStore;
  engine: () => Promise<SignInEngine>;
  log: Logger;
  /** Absent: accounts are not synced; restored ones are verified with /whoami (tests of sign-in alone). */
  channels?: LiveChannelFactory;
  /** Windows sharing the accounts (absent: this window is alone and owns every session). */
  coordination?: AccountCoordination;
  /** Whether this window is the one the person looks at (it owns sessions when it can). */
  focused?(): boolean;
  /** Deletes what the account keeps besides its session (its encryption store and key), at sign-out. */
  forget?(accountId: string): Promise<void>;
}

export class AccountService {
  private readonly statuses = new Map<string, AccountStatus>();
  /** The live parts of each signed-in account; replaced as a whole, so an old one cannot touch the state. */
  private readonly runtimes = new Map<string, AccountRuntime>();
  /** New channels being signed in: visible while authorizing, never persisted unless it succeeds. */
  private readonly pending = new Map<string, ChannelConfig>();
  private readonly changed = new Emitter<void>();
  private readonly authEvents = new Emitter<AuthEvent>();
  private readonly messages = new Emitter<ChannelMessage>();
  private readonly roomChanges = new Emitter<string>();
  private readonly invites = new Emitter<ChannelInvite>();
  private readonly verificationRequests = new Emitter<IncomingVerification>();

  readonly onDidChange = this.changed.on.bind(this.changed);
  readonly onAuthEvent = this.authEvents.on.bind(this.authEvents);
  /** Messages that passed the channel's policy, from every live account. */
  readonly onMessage = this.messages.on.bind(this.messages);
  /** The joined rooms of an account (by id) changed, or went away with its live channel. */
  readonly onDidChangeRooms = this.roomChanges.on.bind(this.roomChanges);
  /** Invites the live channels decided on (joined or ignored, with the policy's reason). */
  readonly onInvite = this.invites.on.bind(this.invites);
  /** Another device of a live account's person asks to verify this one. */
  readonly onVerificationRequest = this.verificationRequests.on.bind(this.verificationRequests);

  constructor(private readonly options: AccountServiceOptions) {}

  accounts(): AccountView[] {
    const configs = [...this.options.configs.list(), ...[...this.pending.values()]];
    return configs.map((config) => this.view(config));
  }

  account(id: string): AccountView | undefined {
    return this.accounts().find((account) => account.id === id);
  }

  /** The live session of an account, if it has one. */
  session(id: string): ManagedSession | undefined {
    return this.runtimes.get(id)?.managed;
  }

  /** Restores every stored session without prompting; accounts without one show as signed out. */
  async restoreAll(): Promise<void> {
    const configs = this.options.configs.list();
    if (configs.length === 0) return;
    const engine = await this.options.engine();
    await Promise.all(
      configs.map(async (config) => {
        const session = await engine.restore(config.id).catch(() => undefined);
        if (session) await this.start(engine, config.id, session);
      }),
    );
  }

  /**
   * Signs a channel in (new or existing). A new channel is saved only once the sign-in succeeded; a failed
   * or cancelled one leaves no trace.
   */
  async signIn(
    config: ChannelConfig,
    secrets: ChannelSecrets,
    options: Omit<SignInRequest, 'accountId' | 'config' | 'secrets'> & {
      /** Failures the caller shows the person itself (e.g. a wrong password, asked again): not announced. */
      quietFailures?: readonly ErrorKind[];
    } = {},
  ): Promise<AccountView> {
    const { quietFailures = [], ...request } = options;
    const known = this.options.configs.list().some((c) => c.id === config.id);
    const before = this.statusOf(config.id);
    if (!known) this.pending.set(config.id, config);
    this.apply(config.id, { type: 'sign_in_started' });
    const engine = await this.options.engine();
    try {
      // Signing in again after an expiry keeps the device (and its keys, history and verification).
      const previous =
        this.runtimes.get(config.id)?.managed.session ?? (known ? await engine.restore(config.id) : undefined);
      const { session, mode } = await engine.signIn({
        accountId: config.id,
        config,
        secrets,
        ...(previous ? { previous } : {}),
        ...request,
      });
      // A new channel for a Matrix user that already has one is that one, signed in again: no second account.
      const existing = known ? undefined : this.options.configs.list().find((c) => c.userId === session.userId);
      const id = existing?.id ?? config.id;
      const previousOfExisting = existing
        ? (this.runtimes.get(id)?.managed.session ?? (await engine.restore(id)))
        : undefined;
      if (existing) {
        await engine.moveSession(config.id, id);
        this.statuses.delete(config.id);
      }
      await this.options.configs.upsert({ ...(existing ?? config), authMode: mode, userId: session.userId });
      this.pending.delete(config.id);
      // What the old session holds now (it may have renewed while the person signed in).
      const replaced = this.runtimes.get(id)?.managed.session ?? (existing ? previousOfExisting : previous);
      // The homeserver accepted this session a moment ago (it issued the token, or answered /whoami for it).
      await this.start(engine, id, session, { accepted: true, takeOver: true, signedInNow: true });
      if (replaced && isReplaced(replaced, session)) void engine.endReplacedSession(id, replaced);
      return this.view(this.configOf(id)!);
    } catch (error) {
      const failure =
        error instanceof MatrixChannelError ? error : new MatrixChannelError('unexpected_response', String(error));
      const view = this.view(config);
      this.pending.delete(config.id);
      if (failure.kind === 'cancelled') this.apply(config.id, { type: 'sign_in_cancelled' }, before);
      else {
        // What "Show Log" next to the failure leads to.
        this.options.log.warn(`signing in to ${config.homeserver} failed (${failure.kind}): ${failure.message}`);
        this.apply(config.id, { type: 'sign_in_failed', reason: failure.reason }, before);
        if (!quietFailures.includes(failure.kind))
          this.authEvents.fire({ type: 'sign_in_failed', account: view, error: failure });
      }
      if (!known) this.statuses.delete(config.id);
      this.changed.fire();
      throw failure;
    }
  }

  /** Ends the session at the server and forgets its secrets; the channel stays, signed out. */
  async signOut(id: string): Promise<{ revoked: boolean; error?: MatrixChannelError }> {
    const managed = this.runtimes.get(id)?.managed;
    const engine = await this.options.engine();
    const session = managed?.session ?? (await engine.restore(id));
    // The sync position means nothing without the session: forget it. Other windows follow the sign-out.
    await this.stop(id, { forget: true, final: { state: 'signed_out' } });
    this.apply(id, { type: 'signed_out' });
    await this.options.forget?.(id).catch((error: unknown) => this.options.log.warn(`account ${id}: ${String(error)}`));
    if (!session) return { revoked: false };
    return engine.signOut(id, session);
  }

  /** Signs out (when signed in) and removes the channel's configuration. */
  async remove(id: string): Promise<{ revoked: boolean; error?: MatrixChannelError }> {
    const result = await this.signOut(id);
    await this.options.configs.remove(id);
    this.statuses.delete(id);
    this.changed.fire();
    return result;
  }

  /** Checks the session with the homeserver again (after an error or a network change), or renews it now. */
  async reconnect(id: string): Promise<void> {
    const runtime = this.runtimes.get(id);
    if (!runtime) throw new MatrixChannelError('session_expired', l10n.t('This account is not signed in.'));
    const { managed, channel } = runtime;
    if (managed.renewalTrouble) {
      await managed.retryNow();
      // Still failing: the new trouble (and its next try) is on show. Renewed: the channel may wait for it.
      if (managed.renewalTrouble) return;
    }
    if (channel && this.statusOf(id).state === 'reconnecting') await channel.retryNow();
    else if (!runtime.gone) await runtime.verify();
  }

  /** Sends text (optionally as a reply) from a live account; refuses encrypted rooms. */
  async sendText(id: string, roomId: string, text: string, options: SendOptions = {}): Promise<{ eventId: string }> {
    return this.liveChannel(id).sendText(roomId, text, options);
  }

  /** Moves the read receipt of a room to its newest message. */
  async markRead(id: string, roomId: string): Promise<void> {
    await this.liveChannel(id).markRead(roomId);
  }

  /** Recovery and verification of a live account's device. */
  deviceTrust(id: string): DeviceTrust {
    const trust = this.liveChannel(id).deviceTrust;
    if (!trust) throw new MatrixChannelError('encrypted_room', l10n.t('End-to-end encryption is not running here.'));
    return trust;
  }

  /** The latest messages of a room of a live account, oldest first. */
  async recentMessages(
    id: string,
    roomId: string,
    limit: number,
  ): Promise<Array<RecentMessage & { senderName?: string }>> {
    return this.liveChannel(id).recentMessages(roomId, limit);
  }

  /** One room's history and new events, for a room view (dispose it when the view closes). */
  async roomFeed(id: string, roomId: string): Promise<RoomFeed> {
    const channel = this.liveChannel(id);
    if (!channel.roomFeed)
      throw new MatrixChannelError('unexpected_response', l10n.t('This account cannot show rooms.'));
    return channel.roomFeed(roomId);
  }

  /** Joins (accept) or declines a room an invite asked the person about. */
  async answerInvite(id: string, roomId: string, accept: boolean): Promise<void> {
    await this.liveChannel(id).answerInvite(roomId, accept);
  }

  /** The joined rooms of a live account (none while it is not live; another window's, while it owns it). */
  rooms(id: string): RoomSummary[] {
    return this.runtimes.get(id)?.rooms() ?? [];
  }

  /** Another window changed the stored session: adopt its tokens, or follow its sign-out. */
  async storedSessionChanged(id: string): Promise<void> {
    // A sign-in in this window stores its session itself and starts it: nothing to follow.
    if (this.statusOf(id).state === 'authorizing') return;
    const engine = await this.options.engine();
    const stored = await engine.restore(id);
    const runtime = this.runtimes.get(id);
    if (this.statusOf(id).state === 'authorizing') return;
    if (!stored) {
      if (runtime) this.followSignOut(id);
      return;
    }
    if (runtime) runtime.managed.adopt(stored);
    else if (this.configOf(id)) await this.start(engine, id, stored);
  }

  /** Stops every account of this window; resolves once their channels have stopped (encryption stores saved). */
  dispose(): Promise<void> {
    const stopping = Promise.all([...this.runtimes.keys()].map((id) => this.stop(id)));
    this.changed.clear();
    this.authEvents.clear();
    this.messages.clear();
    this.roomChanges.clear();
    this.invites.clear();
    this.verificationRequests.clear();
    return stopping.then(() => undefined);
  }

  private async start(
    engine: SignInEngine,
    id: string,
    session: Session,
    options: { accepted?: boolean; takeOver?: boolean; signedInNow?: boolean } = {},
  ): Promise<void> {
    void this.stop(id);
    // "Connected" is news only right after the person signed in, not on every window load or reconnect.
    let announce = options.signedInNow === true;
    const runtime = new AccountRuntime(id, (callbacks) => engine.manage(id, session, callbacks), {
      apply: (event) => this.apply(id, event),
      status: () => this.statusOf(id),
      config: () => this.configOf(id),
      ended: (error) =>
        this.authEvents.fire({ type: 'session_expired', account: this.view(this.configOf(id)!), error }),
      connected: () => {
        const config = this.configOf(id);
        if (!config || !announce) return;
        announce = false;
        this.authEvents.fire({ type: 'connected', account: this.view(config) });
      },
      signedOutElsewhere: () => this.followSignOut(id),
      message: (message) => this.messages.fire(message),
      roomsChanged: () => this.roomChanges.fire(id),
      invite: (invite) => this.invites.fire(invite),
      verificationRequest: (request) => this.verificationRequests.fire(request),
      log: this.options.log,
      ...(this.options.channels ? { channels: this.options.channels } : {}),
      ...(this.options.coordination ? { coordination: this.options.coordination } : {}),
      ...(this.options.focused ? { focused: () => this.options.focused?.() ?? false } : {}),
    });
    this.runtimes.set(id, runtime);
    await runtime.begin(options);
  }

  /** Another window signed the account out: so is it here (its secret is gone, or going). */
  private followSignOut(id: string): void {
    void this.stop(id);
    this.apply(id, { type: 'signed_out' });
  }

  private stop(id: string, options: { forget?: boolean; final?: AccountStatus } = {}): Promise<void> {
    const runtime = this.runtimes.get(id);
    this.runtimes.delete(id);
    return runtime?.dispose(options) ?? Promise.resolve();
  }

  private apply(id: string, event: AccountEvent, before?: AccountStatus): void {
    const current = this.statusOf(id);
    const next = transition(current, event, before);
    const since = next.state === current.state ? (current.since ?? Date.now()) : Date.now();
    this.statuses.set(id, { ...next, since });
    this.changed.fire();
  }

  private liveChannel(id: string): LiveChannel {
    const runtime = this.runtimes.get(id);
    const channel = runtime?.channel;
    if (channel) return channel;
    if (this.statusOf(id).follows === 'live') {
      throw new MatrixChannelError('live_elsewhere', l10n.t('This account is live in another VS Code window.'));
    }
    throw new MatrixChannelError('session_expired', l10n.t('This account is not connected.'));
  }

  private statusOf(id: string): AccountStatus {
    return this.statuses.get(id) ?? { state: 'signed_out' };
  }

  private configOf(id: string): ChannelConfig | undefined {
    return this.options.configs.list().find((c) => c.id === id) ?? this.pending.get(id);
  }

  private view(config: ChannelConfig): AccountView {
    const session = this.runtimes.get(config.id)?.managed.session;
    return {
      id: config.id,
      config,
      status: this.statusOf(config.id),
      ...((session?.userId ?? config.userId) ? { userId: session?.userId ?? config.userId } : {}),
      ...(session?.deviceId ? { deviceId: session.deviceId } : {}),
    };
  }
}
