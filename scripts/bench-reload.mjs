#!/usr/bin/env node
/**
 * npm run bench:reload: window reload → every signed-in account connected, for 2 and 10 accounts, against a
 * default matrix-js-sdk client in the same run. Builds the bundles first (the reload loads dist/engine.js).
 * The benchmark is TypeScript (test/bench/reload.ts, run through tsx); see there for the settings (BENCH_*).
 *   npm run bench:reload [-- --smoke]
 */
import { launchBench } from './bench-launch.mjs';
import { build } from './build.mjs';

await build();
// --smoke: 2 accounts, one reload per variant.
launchBench('reload.ts', { smokeEnv: { BENCH_RELOAD_ACCOUNTS: '2', BENCH_SAMPLES: '1' } });
