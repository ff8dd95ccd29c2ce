/**
 * The order of a live channel's starts and stops. A run lasts from a start until a stop, or until the session is
 * over. One start at a time: calls while it starts or runs are that start. A stop wins over a start in progress:
 * the run's signal aborts, and the start gives up at its next step (it checks the signal after every await).
 * A stop for good is final: later starts do nothing.
 */
export class RunLifecycle {
  private run?: AbortController;
  private starting?: Promise<void>;
  private final = false;

  /** `onEnd` closes what a run made; it is called each time a run ends. */
  constructor(private readonly onEnd: () => void) {}

  /** A run is on: started, and not ended since. */
  get running(): boolean {
    return this.run !== undefined && !this.run.signal.aborted;
  }

  /** The signal of the run that is on; undefined when none is. */
  get signal(): AbortSignal | undefined {
    return this.running ? this.run?.signal : undefined;
  }

  /** Starts a run with `begin` unless one is on or the channel stopped for good. A start that fails ends its run. */
  start(begin: (signal: AbortSignal) => Promise<void>): Promise<void> {
    if (this.final) return Promise.resolve();
    if (this.running) return this.starting ?? Promise.resolve();
    const run = new AbortController();
    this.run = run;
    const starting = begin(run.signal)
      .catch((error: unknown) => {
        if (this.run === run) this.end();
        throw error;
      })
      .finally(() => {
        if (this.starting === starting) this.starting = undefined;
      });
    this.starting = starting;
    return starting;
  }

  /** Ends the run that is on, if any; `forGood`: no start after this. True for the first stop for good. */
  end(forGood = false): boolean {
    const first = forGood && !this.final;
    if (forGood) this.final = true;
    this.run?.abort();
    this.onEnd();
    return first;
  }
}
