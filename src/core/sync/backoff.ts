/**
 * Reconnect backoff for a channel's sync: 5 s, doubling to 5 min; back to 5 s once the connection
 * has been healthy for a minute. Pure (the clock is passed in), so it is tested without timers.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** A connection healthy this long resets the delay. */
  healthyMs: number;
}

export const SYNC_BACKOFF: BackoffOptions = Object.freeze({ initialMs: 5_000, maxMs: 300_000, healthyMs: 60_000 });

export class Backoff {
  private nextDelay: number;
  private healthySince?: number;

  constructor(private readonly options: BackoffOptions = SYNC_BACKOFF) {
    this.nextDelay = options.initialMs;
  }

  /** The connection works (again) from `now` on. */
  healthy(now: number): void {
    this.healthySince ??= now;
  }

  /** A failure at `now`: how long to wait before the next attempt. */
  failure(now: number): number {
    if (this.healthySince !== undefined && now - this.healthySince >= this.options.healthyMs)
      this.nextDelay = this.options.initialMs;
    this.healthySince = undefined;
    const delay = this.nextDelay;
    this.nextDelay = Math.min(this.nextDelay * 2, this.options.maxMs);
    return delay;
  }
}
