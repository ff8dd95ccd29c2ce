import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Downloads and venvs (git-ignored). MATRIX_CHANNELS_CACHE moves it, e.g. to share it between clones. */
export function cacheDir(): string {
  return process.env.MATRIX_CHANNELS_CACHE ? resolve(process.env.MATRIX_CHANNELS_CACHE) : join(repoRoot, '.cache');
}

/** Where a test run keeps its server logs (git-ignored). */
export const resultsDir = join(repoRoot, 'test-results');
