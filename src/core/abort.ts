/** AbortSignal helpers: every flow takes a signal and a timeout, and leaves no timer behind. */
import { MatrixChannelError, abortError } from './errors.ts';

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
  const controller = new AbortController();
  const timer = setTimeout(() => {
    const limit = timeoutMs >= 1_000 ? `${Math.round(timeoutMs / 1000)} seconds` : `${timeoutMs} ms`;
    controller.abort(new MatrixChannelError('timed_out', `Signing in did not finish within ${limit}.`));
  }, timeoutMs);
  const onOuterAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}
