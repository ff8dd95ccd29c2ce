/**
 * The second entry (dist/test/after-reload.js): the code-server harness loads it after reloading the workbench,
 * when a test of the main suite registered work for after a reload (`registerAfterReload` in harness.ts). Runs
 * the modules listed in ./suite-after-reload/index.ts; the summary goes to $MATRIX_TEST_RESULTS_AFTER_RELOAD.
 */
import { runSuite } from './runner.ts';

export function run(): Promise<void> {
  return runSuite(() => import('./suite-after-reload/index.ts'), process.env.MATRIX_TEST_RESULTS_AFTER_RELOAD);
}
