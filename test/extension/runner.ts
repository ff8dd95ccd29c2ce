/**
 * The suite entry VS Code loads in the extension host (`extensionTestsPath`), bundled by esbuild into
 * dist/test/index.js (see buildExtensionTests in scripts/build.mjs). `run()` runs Mocha over the modules
 * listed in ./suite/index.ts, prints Mocha's usual report to the console (which the harness forwards) and
 * writes a JSON summary to $MATRIX_TEST_RESULTS, so the harness can count even if the exit hook misbehaves.
 * Env: MATRIX_TEST_GREP (optional) runs only the tests whose full title matches it.
 */
import Mocha from 'mocha';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { format } from 'node:util';

/**
 * Under the code-server harness (MATRIX_TEST_RESULTS set) Mocha's report lines carry this prefix: every
 * console line of the extension host reaches the harness through the workbench log, and the prefix tells it
 * which ones to echo (scripts/extension-tests.mjs strips it).
 */
export const REPORT_PREFIX = '[mocha] ';

export interface TestSummary {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
}

function writeSummary(summary: TestSummary): void {
  const file = process.env.MATRIX_TEST_RESULTS;
  if (!file) return;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
  } catch (error) {
    console.error(`cannot write the test summary to ${file}: ${(error as Error).message}`);
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec' });
  if (process.env.MATRIX_TEST_GREP) mocha.grep(process.env.MATRIX_TEST_GREP);
  if (process.env.MATRIX_TEST_RESULTS) {
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(`${REPORT_PREFIX}${format(...args)}`);
  }
  const summary: TestSummary = { passed: 0, failed: 0, pending: 0, failures: [] };

  try {
    // Mocha globals (describe, it, before…) for the suite modules, then load them: they register their tests.
    mocha.suite.emit('pre-require', globalThis, 'bundle', mocha);
    await import('./suite/index.ts');
  } catch (error) {
    summary.failed = 1;
    summary.failures.push({ title: 'loading the test suite', error: describeError(error) });
    writeSummary(summary);
    throw error;
  }

  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', () => summary.passed++);
    runner.on('pending', () => summary.pending++);
    runner.on('fail', (test, error) => {
      summary.failed++;
      summary.failures.push({ title: test.fullTitle(), error: describeError(error) });
    });
  });
  if (failures > 0 && summary.failed === 0) {
    summary.failed = failures;
    summary.failures.push({ title: 'mocha', error: `${failures} failure(s) not reported as test failures` });
  }
  writeSummary(summary);
  if (summary.failed > 0) throw new Error(`${summary.failed} test(s) failed`);
}
