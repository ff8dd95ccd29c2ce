/**
 * Maps openid-client failures to errors a user can act on. `failed` says what did not happen, as a clause of its
 * own ("Renewing the session failed"); the cause follows it.
 */
import { ClientError, ResponseBodyError } from 'openid-client';
import { MatrixChannelError, abortError, failedWithCode, retryAfterOf, type ErrorKind } from '../../errors.ts';
import { l10n } from '../../l10n.ts';

export function toChannelError(error: unknown, failed: string, signal?: AbortSignal): MatrixChannelError {
  if (error instanceof MatrixChannelError) return error;
  if (signal?.aborted) return abortError(signal);
  if (error instanceof ResponseBodyError) {
    const kind: ErrorKind =
      error.status >= 500 || error.status === 429
        ? 'server_error'
        : error.error === 'access_denied'
          ? 'consent_denied'
          : error.error === 'expired_token'
            ? 'timed_out'
            : 'authorization_failed';
    const reason = failedWithCode(failed, error.error, error.error_description);
    return new MatrixChannelError(kind, reason, {
      code: error.error,
      cause: error,
      ...retryAfterOf(error.response.headers),
    });
  }
  // An answer that is not an OAuth answer at all (an HTML error page, a proxy's 502): the sign-in server had a
  // problem, which passes; it is not a refusal.
  if (error instanceof ClientError && error.cause instanceof Response) {
    return fromUnexpectedAnswer(error.cause, failed, error);
  }
  // openid-client's own checks of what came back (iss, state, response shape): treat as a failed sign-in.
  if (error instanceof ClientError && error.code === 'OAUTH_INVALID_RESPONSE') {
    const reason =
      error.cause instanceof Error
        ? l10n.t({
            message: '{0}: the sign-in answer was not valid: {1}.',
            args: [failed, error.cause.message],
            comment: [
              '{0} says what did not happen, a clause such as "Renewing the session failed"; {1} says what was wrong with the answer, in English',
            ],
          })
        : l10n.t({
            message: '{0}: the sign-in answer was not valid.',
            args: [failed],
            comment: ['{0} says what did not happen, a clause such as "Renewing the session failed"'],
          });
    return new MatrixChannelError('authorization_failed', reason, { code: error.code, cause: error });
  }
  if (isNetworkError(error))
    return new MatrixChannelError(
      'unreachable',
      l10n.t({
        message: '{0}: the sign-in server could not be reached.',
        args: [failed],
        comment: ['{0} says what did not happen, a clause such as "Renewing the session failed"'],
      }),
      {
        cause: error,
      },
    );
  const message = error instanceof Error ? error.message : String(error);
  return new MatrixChannelError(
    'unexpected_response',
    l10n.t({
      message: '{0}: {1}',
      args: [failed, message],
      comment: [
        '{0} says what did not happen, a clause such as "Signing out failed"; {1} is the error\'s own text, often in English',
      ],
    }),
    { cause: error },
  );
}

export function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError' || (error instanceof TypeError && /fetch failed/i.test(error.message))) return true;
  const cause = (error as { cause?: { code?: string } }).cause;
  return (
    typeof cause?.code === 'string' &&
    /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|UND_ERR_)/.test(cause.code)
  );
}

function fromUnexpectedAnswer(response: Response, failed: string, cause: unknown): MatrixChannelError {
  const { status } = response;
  return (
    serverTrouble(status, failed, { cause, ...retryAfterOf(response.headers) }) ??
    new MatrixChannelError(
      'unexpected_response',
      l10n.t({
        message: '{0}: the sign-in server answered in an unexpected way (HTTP {1}).',
        args: [failed, status],
        comment: [
          '{0} says what did not happen, a clause such as "Renewing the session failed"; {1} is an HTTP status number, such as 502',
        ],
      }),
      { code: String(status), cause },
    )
  );
}

/**
 * A sign-in server in trouble (5xx) or busy (429): a server_error, which passes, never a refusal. Undefined for
 * any other status.
 */
export function serverTrouble(
  status: number,
  failed: string,
  options: { cause?: unknown; retryAfterMs?: number } = {},
): MatrixChannelError | undefined {
  const details = { code: String(status), ...options };
  if (status === 429) {
    return new MatrixChannelError(
      'server_error',
      l10n.t({
        message: '{0}: the sign-in server is busy (HTTP 429).',
        args: [failed],
        comment: ['{0} says what did not happen, a clause such as "Renewing the session failed"'],
      }),
      details,
    );
  }
  if (status >= 500) {
    return new MatrixChannelError(
      'server_error',
      l10n.t({
        message: '{0}: the sign-in server had an error (HTTP {1}).',
        args: [failed, status],
        comment: [
          '{0} says what did not happen, a clause such as "Renewing the session failed"; {1} is an HTTP status number, such as 502',
        ],
      }),
      details,
    );
  }
  return undefined;
}
