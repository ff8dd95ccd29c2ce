#!/usr/bin/env node
/**
 * npm run bench:sync: initial-sync bytes, wall time and heap of our live channel against a default
 * matrix-js-sdk client, and message → notification latency, on a Synapse of its own with a user in 500 rooms.
 * The benchmark is TypeScript (test/bench/sync.ts, run through tsx); see there for the settings (BENCH_*).
 *   npm run bench:sync [-- --smoke]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
// --smoke: a quick run inside `npm test`, so that the benchmark cannot rot: a few rooms, one sample per client.
const SMOKE = { BENCH_ROOMS: '6', BENCH_HISTORY: '1', BENCH_SAMPLES: '1', BENCH_MESSAGES: '3' };
const env = process.argv.includes('--smoke') ? { ...SMOKE, ...process.env } : process.env;
const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test', 'bench', 'sync.ts')], {
  env,
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
