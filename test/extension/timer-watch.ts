/**
 * Which timers a piece of work leaves behind, in an extension host where other timers come and go. Only timers
 * created while the watch is on are followed, with where they were made; `leftovers` are those not yet fired or
 * cleared, except the ones `unrelated` recognises from their stack as another piece of work's (for example the
 * live channels of accounts signed in before: each request of theirs has a deadline until it is answered, a long
 * poll up to its poll timeout, and sessions renew their tokens on a timer).
 */
import { createHook } from 'node:async_hooks';

export interface WatchedTimer {
  delayMs: number;
  repeats: boolean;
  stack: string;
}

/** Deep enough to reach the code that asked for the timer through the SDK's and our own helpers. */
const STACK_FRAMES = 40;

/**
 * A timer that is not the test's own work: the accounts signed in before it (matrix-js-sdk's sync loop of a live
 * channel, the renewal of a session's tokens, the countdown the tree shows while one of them waits to retry), or
 * VS Code's own bookkeeping of a message to the workbench (the extension host protocol's acknowledgement check,
 * armed when, say, the status bar text changes).
 */
export const isOtherAccountsTimer = (stack: string) =>
  /\b(SyncApi\.|doSyncRequest|doSync|refreshTokenGrant|refreshUnderLock|RetryCountdown|_recvAckCheck)\b/.test(stack);

export class TimerWatch {
  private readonly alive = new Map<number, WatchedTimer>();
  private recording = true;
  private readonly stackTraceLimit = Error.stackTraceLimit;
  /** Timers made while recording (to know the watch saw the work at all). */
  seen = 0;
  private readonly hook = createHook({
    init: (id, type, _trigger, resource) => {
      if (type !== 'Timeout' || !this.recording) return;
      const stack = new Error().stack?.split('\n').slice(2).join('\n') ?? '';
      if (this.unrelated(stack)) return;
      this.seen++;
      const timer = resource as { _idleTimeout?: number; _repeat?: unknown };
      this.alive.set(id, { delayMs: timer._idleTimeout ?? 0, repeats: timer._repeat != null, stack });
    },
    destroy: (id) => {
      this.alive.delete(id);
    },
  });

  constructor(private readonly unrelated: (stack: string) => boolean = () => false) {
    Error.stackTraceLimit = Math.max(this.stackTraceLimit, STACK_FRAMES);
    this.hook.enable();
  }

  /** Stops following new timers; the ones already followed are still watched until they go. */
  freeze(): void {
    this.recording = false;
    Error.stackTraceLimit = this.stackTraceLimit;
  }

  leftovers(): WatchedTimer[] {
    return [...this.alive.values()];
  }

  dispose(): void {
    this.freeze();
    this.hook.disable();
    this.alive.clear();
  }
}
