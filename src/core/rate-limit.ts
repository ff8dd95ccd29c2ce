/**
 * A homeserver (or sign-in service) that answers 429 says how long to wait: `Retry-After` (seconds, or a date) or,
 * in Matrix's error body, `retry_after_ms`. The requests we make ourselves wait that long and try again, a few
 * times, while the wait is short enough for a person waiting on them; past that the 429 is answered, and callers
 * say when to try again. (matrix-js-sdk does the same for its own requests.)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { MatrixChannelError, retryAfterMs } from './errors.ts';
import { l10n } from './l10n.ts';

export interface RateLimitPatience {
  /** Tries in all, the first included. */
  attempts: number;
  /** The longest single wait taken; a server asking for more gets its 429 answered at once. */
  maxWaitMs: number;
}

export const DEFAULT_PATIENCE: RateLimitPatience = { attempts: 3, maxWaitMs: 10_000 };

/** When the server gives no delay: one second, as matrix-js-sdk assumes. */
const UNSAID_DELAY_MS = 1_000;

/** The delay a 429 asks for, in milliseconds (the header first, then the Matrix body); undefined if unsaid. */
export function delayAsked(headers: Headers, body: unknown, now = Date.now()): number | undefined {
  const header = retryAfterMs(headers.get('retry-after'), now);
  if (header !== undefined) return header;
  const ms = (body as { retry_after_ms?: unknown } | undefined)?.retry_after_ms;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** The delay a 429 response asks for (its body is read from a clone). */
export async function rateLimitDelay(response: Response): Promise<number | undefined> {
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => undefined);
  return delayAsked(response.headers, body);
}

/**
 * What a 429 left after our retries tells the person: the server is busy, and when to try again. `failed` says
 * what did not happen, as a clause of its own ("Joining the room failed").
 */
export function rateLimitedError(failed: string, delayMs: number | undefined): MatrixChannelError {
  return new MatrixChannelError('server_error', rateLimitedReason(failed, delayMs), { code: 'M_LIMIT_EXCEEDED' });
}

/** "… failed: the homeserver is limiting requests (HTTP 429); try again in 2 minutes." for a 429's delay. */
function rateLimitedReason(failed: string, delayMs: number | undefined): string {
  if (delayMs === undefined || delayMs < 1_000)
    return l10n.t({
      message: '{0}: the homeserver is limiting requests (HTTP 429); try again in a moment.',
      args: [failed],
      comment: ['{0} says what did not happen, a clause such as "Joining the room failed"'],
    });
  const seconds = Math.ceil(delayMs / 1000);
  if (seconds === 1)
    return l10n.t({
      message: '{0}: the homeserver is limiting requests (HTTP 429); try again in 1 s.',
      args: [failed],
      comment: ['{0} says what did not happen, a clause such as "Joining the room failed"'],
    });
  if (seconds < 120)
    return l10n.t({
      message: '{0}: the homeserver is limiting requests (HTTP 429); try again in {1} s.',
      args: [failed, seconds],
      comment: [
        '{0} says what did not happen, a clause such as "Joining the room failed"; {1} is a number of seconds, 2 or more',
      ],
    });
  // Two minutes at the least.
  return l10n.t({
    message: '{0}: the homeserver is limiting requests (HTTP 429); try again in {1} minutes.',
    args: [failed, Math.ceil(seconds / 60)],
    comment: [
      '{0} says what did not happen, a clause such as "Joining the room failed"; {1} is a number of minutes, 2 or more',
    ],
  });
}

/**
 * `fetchFn`, waiting and trying again on a 429 as the server asks. The request must be repeatable (a URL and a
 * string body, as ours are). A wait ends with the request's signal, as the request would.
 */
export function retryingRateLimits(
  fetchFn: typeof fetch,
  patience: RateLimitPatience = DEFAULT_PATIENCE,
): typeof fetch {
  return async (input, init) => {
    for (let attempt = 1; ; attempt++) {
      const response = await fetchFn(input, init);
      if (response.status !== 429 || attempt >= patience.attempts) return response;
      const delay = (await rateLimitDelay(response)) ?? UNSAID_DELAY_MS;
      if (delay > patience.maxWaitMs) return response;
      await response.body?.cancel().catch(() => undefined);
      await sleep(delay, undefined, init?.signal ? { signal: init.signal } : {});
    }
  };
}
