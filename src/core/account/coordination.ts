/**
 * Windows that share an account. Every VS Code window runs its own extension host; one of them owns each
 * account's session: it alone renews the tokens and runs the live sync, and publishes what the others show
 * (state, rooms and which token pair is current). The others follow. In VS Code for the Web a window does not
 * see another's SecretStorage writes, so a follower's refresh token may be stale: it takes over an abandoned
 * session only when its token pair is the one the last owner published.
 */
import type { RoomSummary } from '../sync/room-list.ts';
import type { AccountStatus } from './state.ts';

/** What an account's owner publishes for the other windows: no secrets. */
export interface AccountMirror {
  /** The current token pair's generation (Session.generation). */
  generation?: string;
  status: AccountStatus;
  rooms: RoomSummary[];
  /** Epoch ms of the publication. */
  at: number;
}

export interface AccountCoordination {
  /**
   * Whether this window owns the account's session now; takes it when nobody holds it (or, with `takeOver`,
   * from whoever does: a new sign-in here makes this window the owner).
   */
  own(accountId: string, options?: { takeOver?: boolean }): Promise<boolean>;
  /** Whether another window owns the session right now. */
  ownedElsewhere(accountId: string): Promise<boolean>;
  /** Gives the session up (this window signs out, or closes). */
  release(accountId: string): Promise<void>;
  publish(accountId: string, mirror: AccountMirror): Promise<void>;
  read(accountId: string): Promise<AccountMirror | undefined>;
}

/** One window alone (tests, and hosts without shared storage): it owns every session. */
export const soleWindow: AccountCoordination = {
  own: () => Promise.resolve(true),
  ownedElsewhere: () => Promise.resolve(false),
  release: () => Promise.resolve(),
  publish: () => Promise.resolve(),
  read: () => Promise.resolve(undefined),
};
