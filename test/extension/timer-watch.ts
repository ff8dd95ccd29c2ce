/**
 * Which timers a piece of work leaves behind, in an extension host where other timers come and go (each live
 * channel's sync requests arm matrix-js-sdk timers of up to 110 s). Only timers created while the watch is on
 * are followed, with where they were made; `leftovers` are those not yet fired or cleared.
 */
import { createHook } from 'node:async_hooks';

export interface WatchedTimer {
  delayMs: number;
  repeats: boolean;
  stack: string;
}

export class TimerWatch {
  private readonly alive = new Map<number, WatchedTimer>();
  private recording = true;
  /** Timers made while recording (to know the watch saw the work at all). */
  seen = 0;
  private readonly hook = createHook({
    init: (id, type, _trigger, resource) => {
      if (type !== 'Timeout' || !this.recording) return;
      this.seen++;
      const timer = resource as { _idleTimeout?: number; _repeat?: unknown };
      this.alive.set(id, {
        delayMs: timer._idleTimeout ?? 0,
        repeats: timer._repeat != null,
        stack: new Error().stack?.split('\n').slice(2, 9).join('\n') ?? '',
      });
    },
    destroy: (id) => {
      this.alive.delete(id);
    },
  });

  constructor() {
    this.hook.enable();
  }

  /** Stops following new timers; the ones already followed are still watched until they go. */
  freeze(): void {
    this.recording = false;
  }

  leftovers(): WatchedTimer[] {
    return [...this.alive.values()];
  }

  dispose(): void {
    this.hook.disable();
    this.alive.clear();
  }
}
