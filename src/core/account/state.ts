/**
 * An account's connection state, as the tree and status bar show it. "connected" means the homeserver
 * accepts the session right now, not merely that a session exists.
 */
import type { EncryptionStatus } from '../crypto/status-types.ts';
import { l10n } from '../l10n.ts';

export type AccountState =
  'signed_out' | 'authorizing' | 'connecting' | 'syncing' | 'connected' | 'reconnecting' | 'needs_sign_in' | 'error';

export type AccountEvent =
  | { type: 'sign_in_started' }
  | { type: 'sign_in_failed'; reason: string }
  | { type: 'sign_in_cancelled' }
  | { type: 'session_ready' }
  | { type: 'syncing' }
  | { type: 'connected' }
  | { type: 'connection_lost'; reason: string; retryAt?: number }
  | { type: 'session_ended'; reason: string }
  | { type: 'failed'; reason: string }
  | { type: 'signed_out' }
  | { type: 'renewal_failing'; renewal: RenewalStatus }
  | { type: 'renewed' }
  | { type: 'followed'; status?: AccountStatus; current: boolean }
  | { type: 'owned' }
  | { type: 'encryption'; encryption: EncryptionStatus };

/** Renewing the session keeps failing for a passing reason (the sign-in server is down); it is retried. */
export interface RenewalStatus {
  /** A few words ("sign-in server unavailable"). */
  summary: string;
  reason: string;
  /** When the next attempt happens (epoch ms). */
  retryAt: number;
}

export interface AccountStatus {
  state: AccountState;
  /** Why the account is in an error, reconnecting or needs-sign-in state. */
  reason?: string;
  /** Reconnecting: when the next attempt happens (epoch ms). */
  retryAt?: number;
  /** When the account entered this state (epoch ms), e.g. how long a reload took to reconnect it. */
  since?: number;
  /** Alongside a state with a session: its renewal keeps failing and is being retried. */
  renewal?: RenewalStatus;
  /**
   * Another window owns the session, and this status is the one it published ('live'); or nobody does and this
   * window's tokens are no longer the current ones ('stale': reloading the window picks up the current ones).
   */
  follows?: 'live' | 'stale';
  /** Alongside a state with a session: what this device's end-to-end encryption looks like. */
  encryption?: EncryptionStatus;
}

/** Why an account that follows no window is stale: another window renewed its session. */
export function staleReason(): string {
  return l10n.t('Another window renewed this session; reload this window to continue here.');
}

/**
 * The next status; `before` is what to return to when a sign-in is cancelled or fails. A renewal in trouble and
 * the encryption's status stay across the states of the same session (the token may expire meanwhile:
 * connected → reconnecting) and go with the session (signed out, needs sign-in, a new sign-in).
 */
export function transition(
  status: AccountStatus,
  event: AccountEvent,
  before: AccountStatus = { state: 'signed_out' },
): AccountStatus {
  const next = nextState(status, event, before);
  if (event.type === 'followed' || event.type === 'session_ready' || !hasSession(next.state)) return next;
  const carried = { ...next };
  if (status.renewal && event.type !== 'renewal_failing' && event.type !== 'renewed') carried.renewal = status.renewal;
  if (status.encryption && event.type !== 'encryption') carried.encryption = status.encryption;
  return carried;
}

function nextState(status: AccountStatus, event: AccountEvent, before: AccountStatus): AccountStatus {
  switch (event.type) {
    case 'sign_in_started':
      return { state: 'authorizing' };
    case 'sign_in_cancelled':
      return before;
    case 'sign_in_failed':
      return before.state === 'signed_out'
        ? { state: 'signed_out', reason: event.reason }
        : { ...before, reason: event.reason };
    case 'session_ready':
      return { state: 'connecting' };
    case 'syncing':
      return { state: 'syncing' };
    case 'connected':
      return { state: 'connected' };
    case 'connection_lost':
      return { state: 'reconnecting', reason: event.reason, ...(event.retryAt ? { retryAt: event.retryAt } : {}) };
    case 'session_ended':
      return { state: 'needs_sign_in', reason: event.reason };
    case 'failed':
      return { state: 'error', reason: event.reason };
    case 'signed_out':
      return { state: 'signed_out' };
    case 'renewal_failing':
      return hasSession(status.state) ? { ...status, renewal: event.renewal } : status;
    case 'renewed': {
      const { renewal: _renewal, ...rest } = status;
      return rest;
    }
    case 'encryption':
      return hasSession(status.state) ? { ...status, encryption: event.encryption } : status;
    case 'followed': {
      const { state, reason, retryAt, renewal, encryption } = event.status ?? status;
      const shown: AccountStatus = { state, ...(reason ? { reason } : {}), ...(retryAt ? { retryAt } : {}) };
      if (renewal) shown.renewal = renewal;
      if (encryption) shown.encryption = encryption;
      return event.current ? { ...shown, follows: 'live' } : { ...shown, reason: staleReason(), follows: 'stale' };
    }
    case 'owned': {
      const { follows: _follows, ...rest } = status;
      return rest;
    }
    default:
      return status;
  }
}

/** States in which the account holds a usable (or recoverable) session. */
export function hasSession(state: AccountState): boolean {
  return state === 'connecting' || state === 'syncing' || state === 'connected' || state === 'reconnecting';
}
