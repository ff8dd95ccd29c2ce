/**
 * One signed-in account's live parts: its managed session and, once started, its live channel. A runtime is
 * replaced as a whole (sign-in again, sign-out, another window's sign-out) and, once disposed, nothing it owns
 * can change the account's state: a late answer of an old session, or an orphaned sync loop, is ignored.
 */
import type { Logger } from '../log.ts';
import type { MatrixChannelError } from '../errors.ts';
import type { ManagedSession, ManagedSessionOptions } from '../session/managed-session.ts';
import type { ChannelInvite, ChannelMessage } from '../sync/channel-sync.ts';
import type { LiveChannel, LiveChannelFactory } from './account-service.ts';
import type { ChannelConfig } from '../channel/config.ts';
import type { AccountEvent, AccountState } from './state.ts';

export interface RuntimeHooks {
  apply(event: AccountEvent): void;
  /** The session ended (refused at the server): the account needs a sign-in. */
  ended(reason: MatrixChannelError): void;
  state(): AccountState;
  config(): ChannelConfig | undefined;
  message(message: ChannelMessage): void;
  roomsChanged(): void;
  invite(invite: ChannelInvite): void;
  log: Logger;
}

/** The session's callbacks, which the runtime answers (and ignores once it is over). */
export type SessionCallbacks = Pick<ManagedSessionOptions, 'onEnded' | 'onRenewalTrouble'>;

export class AccountRuntime {
  readonly managed: ManagedSession;
  private live?: LiveChannel;
  private over = false;

  constructor(
    readonly id: string,
    manage: (callbacks: SessionCallbacks) => ManagedSession,
    private readonly hooks: RuntimeHooks,
  ) {
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
    });
  }

  get disposed(): boolean {
    return this.over;
  }

  get channel(): LiveChannel | undefined {
    return this.live;
  }

  /** Changes the account's state, unless this runtime is over. */
  apply(event: AccountEvent): void {
    if (!this.over) this.hooks.apply(event);
  }

  /**
   * Starts the live channel and resolves once the account is live, or known not to be (the first sync's
   * outcome). A runtime disposed meanwhile stops the channel it was creating.
   */
  async startChannel(factory: LiveChannelFactory): Promise<void> {
    if (this.live || this.over) return;
    try {
      let last = this.hooks.config();
      if (!last) return;
      const channel = await factory({
        accountId: this.id,
        session: this.managed,
        config: () => (last = this.hooks.config() ?? last!),
      });
      if (this.over || this.live) {
        await channel.stop();
        return;
      }
      this.live = channel;
      channel.onMessage((message) => !this.over && this.hooks.message(message));
      channel.onRooms(() => !this.over && this.hooks.roomsChanged());
      channel.onInvite((invite) => !this.over && this.hooks.invite(invite));
      channel.onState((state) => {
        switch (state.state) {
          case 'syncing':
            if (this.hooks.state() !== 'connected') this.apply({ type: 'syncing' });
            return;
          case 'connected':
            this.apply({ type: 'connected' });
            return;
          case 'reconnecting':
            this.apply({ type: 'connection_lost', reason: state.reason, retryAt: state.retryAt });
            return;
          case 'needs_sign_in':
            // The managed session reports its own end (onEnded); this covers a token refused without it.
            if (!this.managed.endedReason) this.apply({ type: 'session_ended', reason: state.reason });
            return;
          default:
        }
      });
      const outcome = firstOutcome(channel);
      await channel.start().catch((error: unknown) => {
        outcome.cancel();
        throw error;
      });
      await outcome.settled;
    } catch (error) {
      if (this.over) return;
      this.hooks.log.error(`account ${this.id}: the live channel could not start`, error);
      this.apply({
        type: 'failed',
        reason: `Receiving messages could not start: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  /** Ends this runtime: the channel stops (in the background), the session stops renewing. */
  dispose(options: { forget?: boolean } = {}): void {
    if (this.over) return;
    this.over = true;
    const channel = this.live;
    this.live = undefined;
    if (channel) {
      this.hooks.roomsChanged();
      void channel
        .stop(options)
        .catch((error: unknown) =>
          this.hooks.log.warn(`account ${this.id}: stopping the live channel failed: ${String(error)}`),
        );
    }
    this.managed.dispose();
  }
}

/** Resolves at the channel's first state past "syncing" (or after `capMs`, for a very large first sync). */
function firstOutcome(channel: LiveChannel, capMs = 60_000): { settled: Promise<void>; cancel(): void } {
  let cancel = () => {};
  const settled = new Promise<void>((resolve) => {
    const timer = setTimeout(() => cancel(), capMs);
    const subscription = channel.onState((state) => {
      if (state.state !== 'syncing') cancel();
    });
    cancel = () => {
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    };
  });
  return { settled, cancel };
}
