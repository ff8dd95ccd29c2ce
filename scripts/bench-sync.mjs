#!/usr/bin/env node
/**
 * npm run bench:sync: initial-sync bytes, wall time and heap of our live channel against a default
 * matrix-js-sdk client, and message → notification latency, on a Synapse of its own with a user in 500 rooms.
 * The benchmark is TypeScript (test/bench/sync.ts, run through tsx); see there for the settings (BENCH_*).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test', 'bench', 'sync.ts')], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
