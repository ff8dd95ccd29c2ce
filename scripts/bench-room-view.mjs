#!/usr/bin/env node
/**
 * npm run bench:room-view: opening a room view for a room of 10 000 messages (first page ready, heap of a view
 * paged back to its bound), against matrix-js-sdk's own timeline in the same run. The benchmark is TypeScript
 * (test/bench/room-view.ts, run through tsx); see there for the settings (BENCH_*).
 *   npm run bench:room-view [-- --smoke]   --smoke: 300 messages, 2 samples
 * Uses the bed in MATRIX_BED, or starts its own.
 */
import { launchBench } from './bench-launch.mjs';

launchBench('room-view.ts');
