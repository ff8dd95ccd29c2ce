#!/usr/bin/env node
/**
 * npm run bench:reload: window reload → every signed-in account connected, for 2 and 10 accounts, against a
 * default matrix-js-sdk client in the same run. Builds the bundles first (the reload loads dist/engine.js).
 * The benchmark is TypeScript (test/bench/reload.ts, run through tsx); see there for the settings (BENCH_*).
 *   npm run bench:reload [-- --smoke]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..');
// --smoke: a quick run inside `npm test`, so that the benchmark cannot rot: 2 accounts, one reload per variant.
const SMOKE = { BENCH_RELOAD_ACCOUNTS: '2', BENCH_SAMPLES: '1' };
const env = process.argv.includes('--smoke') ? { ...SMOKE, ...process.env } : process.env;
await build();
const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test', 'bench', 'reload.ts')], {
  env,
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
