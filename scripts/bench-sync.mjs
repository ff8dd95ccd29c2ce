#!/usr/bin/env node
/**
 * npm run bench:sync: initial-sync bytes, wall time and heap of our live channel against a default
 * matrix-js-sdk client, and message → notification latency, on a Synapse of its own with a user in 500 rooms.
 * The benchmark is TypeScript (test/bench/sync.ts, run through tsx); see there for the settings (BENCH_*).
 *   npm run bench:sync [-- --smoke]
 */
import { launchBench } from './bench-launch.mjs';

// --smoke: a few rooms, one sample per client.
launchBench('sync.ts', { smokeEnv: { BENCH_ROOMS: '6', BENCH_HISTORY: '1', BENCH_SAMPLES: '1', BENCH_MESSAGES: '3' } });
