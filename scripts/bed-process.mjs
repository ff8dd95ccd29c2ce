// The test bed (test/bed/run.ts) in a child process, for the test runners. It prints its BedInfo as one JSON
// line once up, and stops on SIGTERM or when its stdin closes (so a crashed runner never leaves servers behind).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Starts the bed and resolves with `{ info, child }` once it is up.
 * @param {string} logDir server logs (oauth.log, synapse-*)
 * @param {{ dendrite?: boolean }} [options] also run Dendrite, a second homeserver implementation
 * @returns {Promise<{ info: any, child: import('node:child_process').ChildProcess }>}
 */
export function startBedProcess(logDir, options = {}) {
  return new Promise((resolveBed, rejectBed) => {
    const args = [
      '--import',
      'tsx',
      'test/bed/run.ts',
      '--log-dir',
      logDir,
      ...(options.dendrite ? ['--dendrite'] : []),
    ];
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolveBed({ info: JSON.parse(line), child }));
    child.once('exit', (code) => rejectBed(new Error(`the test bed exited (code ${code}) before it was up`)));
  });
}

/** @param {import('node:child_process').ChildProcess} child */
export function stopBedProcess(child) {
  return new Promise((resolveStop) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolveStop();
    child.once('exit', () => resolveStop());
    child.kill('SIGTERM');
  });
}
