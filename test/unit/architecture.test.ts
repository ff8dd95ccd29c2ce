import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../bed/paths.ts';

describe('architecture', () => {
  it('nothing under src/core imports vscode', () => {
    const core = join(repoRoot, 'src', 'core');
    let files: string[] = [];
    try {
      files = readdirSync(core, { recursive: true }).map(String).filter((f) => /\.[cm]?tsx?$/.test(f));
    } catch {
      // no core yet: nothing can import vscode
    }
    const offenders = files.filter((f) =>
      /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]vscode['"]/.test(readFileSync(join(core, f), 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
