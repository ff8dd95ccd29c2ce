/**
 * Starting an account's live channel: created by the factory, wired to the account's state, and started;
 * resolves once the account is live, or known not to be (the first sync's outcome). A runtime put away while
 * the channel was being created stops it instead of keeping it.
 */
import type { ChannelConfig } from '../channel/config.ts';
import type { IncomingVerification } from '../crypto/status-types.ts';
import { l10n } from '../l10n.ts';
import type { Logger } from '../log.ts';
import type { ManagedSession } from '../session/managed-session.ts';
import type { ChannelInvite, ChannelMessage } from '../sync/channel-sync.ts';
import type { LiveChannel, LiveChannelFactory } from './account-service.ts';
import type { AccountEvent, AccountState } from './state.ts';

export interface ChannelOwner {
  readonly id: string;
  readonly managed: ManagedSession;
  /** Put away (or no longer the owner of the session): a channel must not start, or must stop. */
  readonly gone: boolean;
  /** Takes the new channel; false when it is no longer wanted (another started, or the owner is gone). */
  attach(channel: LiveChannel): boolean;
  apply(event: AccountEvent): void;
  state(): AccountState;
  config(): ChannelConfig | undefined;
  message(message: ChannelMessage): void;
  roomsChanged(): void;
  invite(invite: ChannelInvite): void;
  verificationRequest(request: IncomingVerification): void;
  log: Logger;
}

export async function startLiveChannel(owner: ChannelOwner, factory: LiveChannelFactory): Promise<void> {
  try {
    let last = owner.config();
    if (!last) return;
    const channel = await factory({
      accountId: owner.id,
      session: owner.managed,
      config: () => (last = owner.config() ?? last!),
    });
    if (!owner.attach(channel)) {
      await channel.stop();
      return;
    }
    channel.onMessage((message) => !owner.gone && owner.message(message));
    channel.onRooms(() => !owner.gone && owner.roomsChanged());
    channel.onInvite((invite) => !owner.gone && owner.invite(invite));
    channel.onEncryption?.((encryption) => !owner.gone && owner.apply({ type: 'encryption', encryption }));
    channel.onVerificationRequest?.((request) => !owner.gone && owner.verificationRequest(request));
    channel.onState((state) => {
      switch (state.state) {
        case 'syncing':
          if (owner.state() !== 'connected') owner.apply({ type: 'syncing' });
          return;
        case 'connected':
          owner.apply({ type: 'connected' });
          return;
        case 'reconnecting':
          owner.apply({ type: 'connection_lost', reason: state.reason, retryAt: state.retryAt });
          return;
        case 'needs_sign_in':
          // The managed session reports its own end (onEnded); this covers a token refused without it.
          if (!owner.managed.endedReason) owner.apply({ type: 'session_ended', reason: state.reason });
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
    if (owner.gone) return;
    owner.log.error(`account ${owner.id}: the live channel could not start`, error);
    owner.apply({
      type: 'failed',
      reason: l10n.t({
        message: 'Receiving messages could not start: {0}',
        args: [error instanceof Error ? error.message : String(error)],
        comment: ["{0} is the error's own text, often in English"],
      }),
    });
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
