/**
 * One homeserver process of the bed: started with its output appended to a log file (a restarted server's log
 * follows the first run's), ready once a URL answers, stopped with SIGTERM (SIGKILL after 5 s).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export class ServerProcess {
  private process?: ChildProcess;
  private exited?: Promise<void>;

  constructor(
    /** How errors name it, e.g. 'Synapse "classic"'. */
    private readonly name: string,
    private readonly logFile: string,
  ) {}

  /** Spawns the server and resolves once `readyUrl` answers 2xx; throws if it exits or takes longer. */
  async start(
    command: string,
    args: string[],
    options: { cwd: string; env?: NodeJS.ProcessEnv; readyUrl: string; timeoutMs: number },
  ): Promise<void> {
    const out = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: options.env });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    this.process = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + options.timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`${this.name} exited during start-up; see ${this.logFile}`);
      try {
        if ((await fetch(options.readyUrl)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.name} did not answer in ${options.timeoutMs / 1000}s; see ${this.logFile}`);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}
