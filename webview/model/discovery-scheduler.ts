/**
 * Asks the host about the homeserver once the user pauses typing, and only about the latest input: a newer
 * input clears the pending timer and cancels the request in flight (the host aborts its lookup too), so a
 * slow answer about an old value can never overwrite the hint for the new one. Timers are injected so the
 * logic runs in Node tests.
 */
import type { DiscoveryResult } from '../../src/shared/webviewProtocol.ts';

export interface DiscoverySchedulerDeps {
  delayMs: number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  request(homeserver: string): { id: number; answer: Promise<{ ok: true; result: DiscoveryResult } | { ok: false }> };
  cancel(id: number): void;
  /** The answer for `homeserver` (undefined: no answer, e.g. the input became empty or the lookup failed). */
  onResult(homeserver: string, result: DiscoveryResult | undefined): void;
}

export class DiscoveryScheduler {
  private wanted = '';
  private timer: unknown;
  private inFlight: number | undefined;

  constructor(private readonly deps: DiscoverySchedulerDeps) {}

  /** The homeserver input changed; `checkable`: it is well-formed enough to look up. */
  update(input: string, checkable: boolean): void {
    const homeserver = checkable ? input.trim() : '';
    if (homeserver === this.wanted) return;
    this.wanted = homeserver;
    this.stop();
    if (homeserver === '') return;
    this.timer = this.deps.setTimer(() => this.run(homeserver), this.deps.delayMs);
  }

  dispose(): void {
    this.stop();
    this.wanted = '';
  }

  private stop(): void {
    if (this.timer !== undefined) this.deps.clearTimer(this.timer);
    this.timer = undefined;
    if (this.inFlight !== undefined) this.deps.cancel(this.inFlight);
    this.inFlight = undefined;
  }

  private run(homeserver: string): void {
    this.timer = undefined;
    const { id, answer } = this.deps.request(homeserver);
    this.inFlight = id;
    void answer.then((outcome) => {
      if (this.inFlight !== id) return; // superseded meanwhile
      this.inFlight = undefined;
      this.deps.onResult(homeserver, outcome.ok ? outcome.result : undefined);
    });
  }
}
