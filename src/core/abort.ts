/** AbortSignal helpers: every flow takes a signal and a timeout, and leaves no timer behind. */
import { MatrixChannelError, abortError } from './errors.ts';
import { l10n } from './l10n.ts';

/** Settles with `promise`, or rejects with the signal's reason as a MatrixChannelError once it aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes the task's own rejection through unchanged
        reject(error);
      },
    );
  });
}

export const DEFAULT_FLOW_TIMEOUT_MS = 5 * 60_000;

/**
 * A signal that aborts when `outer` does, or with a `timed_out` error after `timeoutMs`. `dispose()` clears
 * the timer and the listener; call it when the flow ends, whichever way.
 */
export function flowSignal(
  outer: AbortSignal | undefined,
  timeoutMs = DEFAULT_FLOW_TIMEOUT_MS,
): { signal: AbortSignal; dispose: () => void } {
  const { signal, dispose } = deadlineSignal(
    timeoutMs,
    outer,
    () => new MatrixChannelError('timed_out', notFinishedWithin(timeoutMs)),
  );
  return { signal, dispose };
}

function notFinishedWithin(timeoutMs: number): string {
  if (timeoutMs < 1_000)
    return l10n.t({
      message: 'Signing in did not finish within {0} ms.',
      args: [timeoutMs],
      comment: ['{0} is a number of milliseconds'],
    });
  const seconds = Math.round(timeoutMs / 1000);
  return seconds === 1
    ? l10n.t('Signing in did not finish within 1 second.')
    : l10n.t({
        message: 'Signing in did not finish within {0} seconds.',
        args: [seconds],
        comment: ['{0} is a number of seconds, 2 or more'],
      });
}

/**
 * A request's deadline: a signal that aborts after `timeoutMs` (with a TimeoutError, as `AbortSignal.timeout`
 * does), or when an `outer` signal does. Unlike `AbortSignal.timeout`, whose timer lives on until it fires (30 s
 * after a request that took 10 ms), `dispose()` clears it the moment the request is over; `timedOut()` tells a
 * deadline from a cancellation.
 */
export function requestDeadline(
  timeoutMs: number,
  outer?: AbortSignal | ReadonlyArray<AbortSignal | undefined>,
): { signal: AbortSignal; timedOut: () => boolean; dispose: () => void } {
  return deadlineSignal(timeoutMs, outer, () => new DOMException('The request timed out.', 'TimeoutError'));
}

function deadlineSignal(
  timeoutMs: number,
  outer: AbortSignal | ReadonlyArray<AbortSignal | undefined> | undefined,
  timeoutReason: () => unknown,
): { signal: AbortSignal; timedOut: () => boolean; dispose: () => void } {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(timeoutReason());
  }, timeoutMs);
  const outers = [outer ?? []].flat().filter((signal): signal is AbortSignal => signal !== undefined);
  const onOuterAbort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  const abortedOuter = outers.find((signal) => signal.aborted);
  if (abortedOuter) controller.abort(abortedOuter.reason);
  else for (const signal of outers) signal.addEventListener('abort', onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => expired,
    dispose() {
      clearTimeout(timer);
      for (const signal of outers) signal.removeEventListener('abort', onOuterAbort);
    },
  };
}
