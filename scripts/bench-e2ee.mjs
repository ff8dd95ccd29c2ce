#!/usr/bin/env node
/**
 * npm run bench:e2ee: what keeping an account's encryption store across restarts costs (size, save, restore),
 * for an account with 500 encrypted rooms. The benchmark is TypeScript (test/bench/e2ee-store.ts, run through
 * tsx); see there for the settings.
 *   npm run bench:e2ee [-- --smoke]   --smoke: 20 rooms, 2 samples (a quick run for npm test)
 * Needs no server.
 */
import { launchBench } from './bench-launch.mjs';

launchBench('e2ee-store.ts');
