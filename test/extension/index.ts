/**
 * The suite entry VS Code loads in the extension host (`extensionTestsPath`), bundled by esbuild into
 * dist/test/index.js (see buildExtensionTests in scripts/build.mjs): runs the modules listed in ./suite/index.ts.
 * Under the code-server harness the summary goes to $MATRIX_TEST_RESULTS.
 */
import { runSuite } from './runner.ts';

export function run(): Promise<void> {
  return runSuite(() => import('./suite/index.ts'), process.env.MATRIX_TEST_RESULTS);
}
