/**
 * Mocha global setup for desktop VS Code runs (`npm run test:desktop`, .vscode-test.mjs): starts the test bed
 * with the system `node` (unless MATRIX_BED is already set) and stops it afterwards. Bundled into
 * dist/test/desktop-setup.js; `vscode-test`'s runner requires it in the extension host before the suite.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(__dirname, '..', '..');
let bed: ChildProcess | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  if (process.env.MATRIX_BED) return;
  const child = spawn(
    process.env.MATRIX_NODE || 'node',
    ['--import', 'tsx', 'test/bed/run.ts', '--log-dir', join(root, 'test-results', 'bed-desktop')],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } },
  );
  bed = child;
  process.env.MATRIX_BED = await new Promise<string>((resolveLine, reject) => {
    createInterface({ input: child.stdout }).once('line', resolveLine);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the test bed exited (code ${code}) before it was up`)));
  });
}

export async function mochaGlobalTeardown(): Promise<void> {
  const child = bed;
  bed = undefined;
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}
