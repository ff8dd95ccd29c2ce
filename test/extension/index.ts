/**
 * The suite entry VS Code loads in the extension host (`extensionTestsPath`), bundled by esbuild into
 * dist/test/index.js (see buildExtensionTests in scripts/build.mjs): runs the modules listed in ./suite/index.ts.
 * Under the code-server harness the summary goes to $MATRIX_TEST_RESULTS; $MATRIX_TEST_SHARD picks this window's
 * part of the suite (shards.ts).
 */
import { runSuite } from './runner.ts';
import { keepShard, parseShard } from './shards.ts';

export function run(): Promise<void> {
  return runSuite(
    () => import('./suite/index.ts'),
    process.env.MATRIX_TEST_RESULTS,
    (root) => keepShard(root, parseShard(process.env.MATRIX_TEST_SHARD)),
  );
}
