#!/usr/bin/env node
/**
 * npm run bench:sign-in: the HTTP requests from Sign In to connected per sign-in method, counted by the test
 * bed, against the floor the protocol needs. The benchmark is TypeScript (test/bench/sign-in-round-trips.ts, run
 * through tsx); see there for the settings.
 *   npm run bench:sign-in [-- --smoke]   --smoke: one sign-in per method, no device flow (a quick run for npm test)
 * Reuses the bed in MATRIX_BED when set, else starts its own.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', join(root, 'test', 'bench', 'sign-in-round-trips.ts'), ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
