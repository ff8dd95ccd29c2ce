import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../bed/paths.ts';

/** Static import, dynamic import() or require() of the `vscode` module. */
export function importsVscode(source: string): boolean {
  return /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]vscode['"]/.test(source);
}

describe('architecture', () => {
  it('recognises every way of importing vscode, and nothing else', () => {
    for (const source of [
      "import * as vscode from 'vscode';",
      'import { window } from "vscode";',
      "import 'vscode';",
      "const v = await import('vscode');",
      "const v = require( 'vscode' );",
      "import type { Uri } from 'vscode';",
    ])
      assert.ok(importsVscode(source), source);
    for (const source of [
      "import { URI } from 'vscode-uri';",
      "// talks to 'vscode' through an interface",
      "const s = 'vscode';",
    ]) {
      assert.ok(!importsVscode(source), source);
    }
  });

  it('nothing under src/core imports vscode', () => {
    const core = join(repoRoot, 'src', 'core');
    let files: string[] = [];
    try {
      files = readdirSync(core, { recursive: true })
        .map(String)
        .filter((f) => /\.[cm]?tsx?$/.test(f));
    } catch {
      // no src/core yet
    }
    assert.deepEqual(
      files.filter((f) => importsVscode(readFileSync(join(core, f), 'utf8'))),
      [],
    );
  });
});
