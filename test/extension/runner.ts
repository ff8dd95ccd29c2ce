/**
 * Runs a Mocha suite in the extension host, for the entries VS Code loads (`extensionTestsPath`): index.ts (the
 * main suite) and after-reload.ts (the suite run after the harness reloaded the workbench). Prints Mocha's usual
 * report to the console (which the harness forwards) and writes a JSON summary to the given file, so the harness
 * can count even if the exit hook misbehaves.
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

function writeSummary(file: string | undefined, summary: TestSummary): void {
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

/**
 * @param loadSuite imports the suite's modules (they register their tests with Mocha's globals)
 * @param resultsFile where the JSON summary goes (none: not under the code-server harness)
 * @param select keeps the part of the loaded suite this window runs (see shards.ts)
 */
export async function runSuite(
  loadSuite: () => Promise<unknown>,
  resultsFile: string | undefined,
  select: (root: Mocha.Suite) => void = () => {},
): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec' });
  if (process.env.MATRIX_TEST_GREP) mocha.grep(process.env.MATRIX_TEST_GREP);
  if (resultsFile) {
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(`${REPORT_PREFIX}${format(...args)}`);
  }
  const summary: TestSummary = { passed: 0, failed: 0, pending: 0, failures: [] };

  try {
    // Mocha globals (describe, it, before…) for the suite modules, then load them: they register their tests.
    mocha.suite.emit('pre-require', globalThis, 'bundle', mocha);
    await loadSuite();
    select(mocha.suite);
  } catch (error) {
    summary.failed = 1;
    summary.failures.push({ title: 'loading the test suite', error: describeError(error) });
    writeSummary(resultsFile, summary);
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
  writeSummary(resultsFile, summary);
  if (summary.failed > 0) throw new Error(`${summary.failed} test(s) failed`);
}
