import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ensureSynapseInstalled } from '../../bed/synapse.ts';

describe('bed prerequisites', () => {
  it('fails clearly, naming what to install, when Python with venv is missing', () => {
    const cache = mkdtempSync(join(tmpdir(), 'bed-cache-'));
    const saved = { cache: process.env.MATRIX_CHANNELS_CACHE, python: process.env.PYTHON };
    process.env.MATRIX_CHANNELS_CACHE = cache;
    process.env.PYTHON = join(cache, 'no-such-python3');
    try {
      assert.throws(() => ensureSynapseInstalled(), /apt-get install python3 python3-venv/);
    } finally {
      for (const [key, value] of [
        ['MATRIX_CHANNELS_CACHE', saved.cache],
        ['PYTHON', saved.python],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
