/**
 * One signed-in account's live parts in this window: its managed session, its share in the session's ownership
 * across windows and, while this window owns the session, its live channel. A runtime is replaced as a whole
 * (sign-in again, sign-out, another window's sign-out) and, once disposed, nothing it owns can change the
 * account's state: a late answer of an old session, or an orphaned sync loop, is ignored.
 */
import type { IncomingVerification } from '../crypto/status-types.ts';
import type { ChannelConfig } from '../channel/config.ts';
import type { MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';
import { rateLimitDelay, rateLimitedError, retryingRateLimits } from '../rate-limit.ts';
import type { Logger } from '../log.ts';
import type { ManagedSession, ManagedSessionOptions } from '../session/managed-session.ts';
import type { ChannelInvite, ChannelMessage } from '../sync/channel-sync.ts';
import type { RoomSummary } from '../sync/room-list.ts';
import type { LiveChannel, LiveChannelFactory } from './account-service.ts';
import { startLiveChannel, type ChannelOwner } from './channel-start.ts';
import { soleWindow, type AccountCoordination, type AccountMirror } from './coordination.ts';
import { SessionOwnership } from './ownership.ts';
import type { AccountEvent, AccountState, AccountStatus } from './state.ts';

export interface RuntimeHooks {
  apply(event: AccountEvent): void;
  /** The session ended (refused at the server): the account needs a sign-in. */
  ended(reason: MatrixChannelError): void;
  /** The homeserver accepted the session. */
  connected(): void;
  /** The window that owned the session signed out: follow it. */
  signedOutElsewhere(): void;
  status(): AccountStatus;
  config(): ChannelConfig | undefined;
  message(message: ChannelMessage): void;
  roomsChanged(): void;
  invite(invite: ChannelInvite): void;
  verificationRequest(request: IncomingVerification): void;
  log: Logger;
  /** Absent: the account is not synced (tests of sign-in alone). */
  channels?: LiveChannelFactory;
  coordination?: AccountCoordination;
  /** Whether this window should own sessions when it can (it is the one the person looks at). */
  focused?(): boolean;
}

/** The session's options the runtime answers (and ignores once it is over). */
export type SessionCallbacks = Pick<
  ManagedSessionOptions,
  'onEnded' | 'onRenewalTrouble' | 'onChange' | 'passive' | 'mayRenew'
>;

export class AccountRuntime implements ChannelOwner {
  readonly managed: ManagedSession;
  readonly log: Logger;
  private live?: LiveChannel;
  private over = false;
  private readonly ownership: SessionOwnership;
  private mirrored: RoomSummary[] = [];

  constructor(
    readonly id: string,
    manage: (callbacks: SessionCallbacks) => ManagedSession,
    private readonly hooks: RuntimeHooks,
  ) {
    this.log = hooks.log;
    this.managed = manage({
      onEnded: (reason) => {
        if (this.over) return;
        this.apply({ type: 'session_ended', reason: reason.reason });
        this.hooks.ended(reason);
      },
      onRenewalTrouble: (trouble) =>
        this.apply(
          trouble
            ? {
                type: 'renewal_failing',
                renewal: { summary: trouble.summary, reason: trouble.reason, retryAt: trouble.retryAt },
              }
            : { type: 'renewed' },
        ),
      // A renewed pair is published at once: its generation tells the other windows which pair is current.
      onChange: () => this.ownership.changed(),
      // Nothing is renewed before this window knows it owns the session.
      passive: true,
      mayRenew: () => this.ownership.mayRenew(),
    });
    this.ownership = new SessionOwnership({
      accountId: id,
      coordination: hooks.coordination ?? soleWindow,
      log: hooks.log,
      session: () => this.managed.session,
      takeStored: () =>
        this.managed.refresh().then(
          () => undefined,
          () => undefined,
        ),
      snapshot: () => ({ status: this.hooks.status(), rooms: this.rooms() }),
      onOwner: () => void this.own(false),
      onFollower: (mirror, current) => this.follow(mirror, current),
      ...(hooks.focused ? { preferred: () => hooks.focused?.() ?? false } : {}),
    });
  }

  get disposed(): boolean {
    return this.over;
  }

  /** Put away, or following another window: no live channel of its own. */
  get gone(): boolean {
    return this.over || this.ownership.role !== 'owner';
  }

  get channel(): LiveChannel | undefined {
    return this.live;
  }

  /** The joined rooms: the live channel's, or, while following, the ones the owner published. */
  rooms(): RoomSummary[] {
    return this.live?.rooms() ?? this.mirrored;
  }

  /**
   * Decides this window's part (a fresh sign-in here takes the session over) and, as the owner, connects:
   * resolves once the account is live, or known not to be.
   */
  async begin(options: { accepted?: boolean; takeOver?: boolean } = {}): Promise<void> {
    const role = await this.ownership.start({ takeOver: options.takeOver ?? false });
    if (role === 'owner') await this.own(options.accepted ?? false);
  }

  /** Changes the account's state, unless this runtime is over; an owner publishes the change. */
  apply(event: AccountEvent): void {
    if (this.over) return;
    this.hooks.apply(event);
    this.ownership.changed();
  }

  state(): AccountState {
    return this.hooks.status().state;
  }

  config(): ChannelConfig | undefined {
    return this.hooks.config();
  }

  message(message: ChannelMessage): void {
    this.hooks.message(message);
  }

  roomsChanged(): void {
    this.hooks.roomsChanged();
    this.ownership.changed();
  }

  invite(invite: ChannelInvite): void {
    this.hooks.invite(invite);
  }

  verificationRequest(request: IncomingVerification): void {
    this.hooks.verificationRequest(request);
  }

  attach(channel: LiveChannel): boolean {
    if (this.gone || this.live) return false;
    this.live = channel;
    return true;
  }

  /**
   * "connected" only once the homeserver accepts the session: asked with /whoami, unless it just did (a fresh
   * sign-in), so that signing in does not wait for the same answer twice.
   */
  async verify(accepted = false): Promise<void> {
    const { homeserver } = this.managed.session;
    try {
      // A homeserver limiting requests (many accounts restoring at once) is waited out as it asks.
      const response = accepted
        ? undefined
        : await retryingRateLimits(this.managed.fetch)(`${homeserver}/_matrix/client/v3/account/whoami`);
      if (this.gone) return;
      if (!response || response.ok) {
        // With a live channel, "connected" waits for the first sync.
        const factory = this.hooks.channels;
        if (factory && !this.live) this.apply({ type: 'syncing' });
        else if (!this.live) this.apply({ type: 'connected' });
        this.hooks.connected();
        if (factory && !this.live) await startLiveChannel(this, factory);
      } else if (response.status === 429) {
        const failed = l10n.t('Connecting failed');
        this.apply({ type: 'failed', reason: rateLimitedError(failed, await rateLimitDelay(response)).reason });
      } else if (!this.managed.endedReason) {
        this.apply({
          type: 'failed',
          reason: l10n.t({
            message: 'The homeserver answered HTTP {0}.',
            args: [response.status],
            comment: ['{0} is an HTTP status number, such as 502'],
          }),
        });
      }
    } catch (error) {
      this.hooks.log.warn(`account ${this.id}: cannot reach ${new URL(homeserver).host}: ${String(error)}`);
      this.apply({
        type: 'failed',
        reason: l10n.t({
          message: 'Cannot reach {0}.',
          args: [new URL(homeserver).host],
          comment: ['{0} is a host name, such as matrix.example.org'],
        }),
      });
    }
  }

  /**
   * Ends this runtime: the channel stops, the session stops renewing. With `final` (a sign-out here), the other
   * windows are told, and the session's ownership is given up. Resolves once both are done (the channel's
   * encryption store saved).
   */
  async dispose(options: { forget?: boolean; final?: AccountStatus } = {}): Promise<void> {
    if (this.over) return;
    this.over = true;
    const stopping = this.stopChannel(options);
    this.managed.dispose();
    await Promise.all([stopping, this.ownership.dispose(options.final)]);
  }

  private async own(accepted: boolean): Promise<void> {
    if (this.over) return;
    this.managed.follow(false);
    this.mirrored = [];
    this.apply({ type: 'owned' });
    this.apply({ type: 'session_ready' });
    await this.verify(accepted);
  }

  private follow(mirror: AccountMirror | undefined, current: boolean): void {
    if (this.over) return;
    if (mirror?.status.state === 'signed_out') {
      this.hooks.signedOutElsewhere();
      return;
    }
    void this.stopChannel();
    this.managed.follow(true);
    this.mirrored = mirror?.rooms ?? this.mirrored;
    this.hooks.apply({ type: 'followed', ...(mirror ? { status: mirror.status } : {}), current });
    this.hooks.roomsChanged();
  }

  /** Stops the live channel, if any; resolves once it has (never rejects). */
  private stopChannel(options: { forget?: boolean } = {}): Promise<void> {
    const channel = this.live;
    this.live = undefined;
    if (!channel) return Promise.resolve();
    this.hooks.roomsChanged();
    return channel
      .stop(options)
      .catch((error: unknown) =>
        this.hooks.log.warn(`account ${this.id}: stopping the live channel failed: ${String(error)}`),
      );
  }
}
