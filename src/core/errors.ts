/**
 * Errors a user can act on. Every sign-in and session failure surfaces as a MatrixChannelError whose
 * message says what happened and what to do next; `kind` lets the UI choose actions ("Try again", …).
 * Messages never contain tokens, passwords, codes or full authorization URLs.
 */
import { l10n } from './l10n.ts';

export type ErrorKind =
  | 'invalid_config'
  | 'unreachable'
  | 'not_matrix'
  | 'oauth_not_offered'
  | 'password_not_offered'
  | 'registration_refused'
  | 'consent_denied'
  | 'authorization_failed'
  | 'timed_out'
  | 'cancelled'
  | 'invalid_credentials'
  | 'session_expired'
  | 'session_revoked'
  | 'server_error'
  | 'storage_failed'
  | 'encrypted_room'
  | 'live_elsewhere'
  | 'no_recovery'
  | 'unexpected_response';

/** What to do next after an error of this kind: one sentence, in the person's language. */
function nextStepFor(kind: ErrorKind): string {
  switch (kind) {
    case 'invalid_config':
      return l10n.t('Correct the channel settings and try again.');
    case 'unreachable':
      return l10n.t('Check the address and your network connection, then try again.');
    case 'not_matrix':
      return l10n.t('Check that the address is your Matrix homeserver (or its server name).');
    case 'oauth_not_offered':
      return l10n.t('Sign in with a password or an access token instead.');
    case 'password_not_offered':
      return l10n.t('Sign in with the browser (OAuth) instead.');
    case 'registration_refused':
      return l10n.t('The server does not accept this client; ask its administrator, or sign in another way.');
    case 'consent_denied':
      return l10n.t('Sign in again and allow access if you want to connect this account.');
    case 'authorization_failed':
      return l10n.t('Try signing in again; if it keeps failing, try another sign-in method.');
    case 'timed_out':
      return l10n.t('Try again and finish signing in within the time limit.');
    case 'cancelled':
      return l10n.t('Sign in again whenever you are ready.');
    case 'invalid_credentials':
      return l10n.t('Check what you entered and try again.');
    case 'session_expired':
      return l10n.t('Sign in again to reconnect this account.');
    case 'session_revoked':
      return l10n.t('The session was ended on the server; sign in again to reconnect.');
    case 'server_error':
      return l10n.t('The server had a problem; try again in a moment.');
    case 'storage_failed':
      return l10n.t('Check that the system keychain (secret storage) is available, then try again.');
    case 'encrypted_room':
      return l10n.t(
        'Try again in a moment; if it keeps failing, reconnect the account (Show Log says why), or send it from another Matrix app.',
      );
    case 'live_elsewhere':
      return l10n.t('Use that window, or close it to move the account here.');
    case 'no_recovery':
      return l10n.t(
        'Set up recovery in another Matrix app (in Element: Settings, Encryption), or verify with another device.',
      );
    case 'unexpected_response':
      return l10n.t('The server answered in an unexpected way; try again or check the server.');
  }
}

/**
 * The mark every MatrixChannelError carries, from the process-wide symbol registry. The extension and its lazily
 * loaded engine are two bundles with a copy of this class each: an error made by one must be recognised by the
 * other, so `instanceof` looks for this mark rather than at the prototype chain.
 */
const BRAND = Symbol.for('matrix-channels.MatrixChannelError');

export class MatrixChannelError extends Error {
  /** An error from any copy of this class (any bundle) is one: see BRAND. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  readonly [BRAND] = true;
  override readonly name = 'MatrixChannelError';
  readonly kind: ErrorKind;
  /** What happened, without the next step (for logs and tooltips). */
  readonly reason: string;
  /** HTTP status or OAuth/Matrix error code when the server gave one. */
  readonly code?: string;
  /** How long the server asked us to wait before trying again (HTTP Retry-After), in milliseconds. */
  readonly retryAfterMs?: number;

  constructor(
    kind: ErrorKind,
    reason: string,
    options: { code?: string; cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(
      l10n.t({
        message: '{0} {1}',
        args: [reason, nextStepFor(kind)],
        comment: [
          '{0} is a sentence saying what went wrong; {1} is a sentence saying what to do next, such as "Check your network connection, then try again."',
        ],
      }),
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.kind = kind;
    this.reason = reason;
    if (options.code !== undefined) this.code = options.code;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  get nextStep(): string {
    return nextStepFor(this.kind);
  }
}

export function isMatrixChannelError(error: unknown, kind?: ErrorKind): error is MatrixChannelError {
  return error instanceof MatrixChannelError && (kind === undefined || error.kind === kind);
}

/**
 * An HTTP Retry-After value (delay in seconds, or an HTTP date) in milliseconds from `now`; undefined when absent
 * or unreadable.
 */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its month ("Wed, 21 Oct 2026 07:28:00 GMT"); anything else is not one.
  const at = /[a-z]{3}/i.test(trimmed) ? Date.parse(trimmed) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** An answer's Retry-After as MatrixChannelError options: `{ retryAfterMs }`, or nothing when it has none. */
export function retryAfterOf(headers: Headers): { retryAfterMs?: number } {
  const wait = retryAfterMs(headers.get('retry-after'));
  return wait === undefined ? {} : { retryAfterMs: wait };
}

/** The AbortSignal's reason as a MatrixChannelError (timeouts and cancellations keep their kind). */
export function abortError(signal: AbortSignal): MatrixChannelError {
  const reason: unknown = signal.reason;
  if (reason instanceof MatrixChannelError) return reason;
  if (reason instanceof DOMException && reason.name === 'TimeoutError') {
    return new MatrixChannelError('timed_out', l10n.t('Signing in took too long.'));
  }
  return new MatrixChannelError('cancelled', l10n.t('Signing in was cancelled.'));
}

/**
 * A failure with the server's code and, when it gave one, its own description: "Signing out failed
 * (M_FORBIDDEN: You are not allowed to do that)." `failed` is the clause that says what did not happen.
 */
export function failedWithCode(failed: string, code: string, description?: string): string {
  return description
    ? l10n.t({
        message: '{0} ({1}: {2}).',
        args: [failed, code, description],
        comment: [
          '{0} says what did not happen, a clause such as "Signing out failed"; {1} is the server\'s error code, such as M_FORBIDDEN or invalid_grant, or its HTTP status number; {2} is the server\'s description of the error, in its words',
        ],
      })
    : l10n.t({
        message: '{0} ({1}).',
        args: [failed, code],
        comment: [
          '{0} says what did not happen, a clause such as "Signing out failed"; {1} is the server\'s error code, such as M_FORBIDDEN or invalid_grant, or its HTTP status number',
        ],
      });
}
