import type { BedInfo } from './bed.ts';

/** The bed the test command started for this run (see scripts/test.mjs). */
export function currentBed(): BedInfo {
  const raw = process.env.MATRIX_BED;
  if (!raw) {
    throw new Error(
      'MATRIX_BED is not set: run integration tests through "npm run test:integration" (it starts the test bed)',
    );
  }
  return JSON.parse(raw) as BedInfo;
}
