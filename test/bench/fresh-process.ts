/**
 * Samples in fresh Node processes, so that each measures one client from a cold start: the parent runs a
 * TypeScript file through tsx, the child prints one `BENCH_RESULT {json}` line and exits.
 */
import { spawn } from 'node:child_process';
import { repoRoot } from '../bed/paths.ts';

const RESULT_PREFIX = 'BENCH_RESULT ';

/** Runs `script` (with `args`) in a fresh process and resolves with the result it printed. */
export function runFreshProcess<T>(
  label: string,
  script: string,
  options: { args?: string[]; env?: Record<string, string>; nodeOptions?: string[] } = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...(options.nodeOptions ?? []), '--import', 'tsx', script, ...(options.args ?? [])],
      { cwd: repoRoot, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    // matrix-js-sdk's warnings (push rules it adds, …) are noise here; shown when a sample fails.
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) reject(new Error(`${label} failed (exit ${code}):\n${stderr.slice(-4000)}`));
      else resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
    });
  });
}

/** In the child: prints what `work` resolves to for the parent and exits (matrix-js-sdk leaves timers behind). */
export function reportFromFreshProcess(work: Promise<unknown>): void {
  work.then(
    (result) => {
      process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
