#!/usr/bin/env node
/**
 * npm run bench:sign-in: the HTTP requests from Sign In to connected per sign-in method, counted by the test
 * bed, against the floor the protocol needs. The benchmark is TypeScript (test/bench/sign-in-round-trips.ts, run
 * through tsx); see there for the settings.
 *   npm run bench:sign-in [-- --smoke]   --smoke: one sign-in per method, no device flow (a quick run for npm test)
 * Reuses the bed in MATRIX_BED when set, else starts its own.
 */
import { launchBench } from './bench-launch.mjs';

launchBench('sign-in-round-trips.ts');
