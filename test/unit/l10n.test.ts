/**
 * Every word the manifest shows (its summary, command titles, the view's name, settings' descriptions, …) comes from
 * package.nls.json, so a translation (package.nls.<language>.json) reaches all of it; no key is left unused.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  description: string;
  contributes: unknown;
};
const words = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;

/** Fields of `contributes` that VS Code shows to the person. */
const SHOWN = /^(title|name|label|contents|category|description|markdownDescription|(markdown)?[eE]numDescriptions)$/;

/** [path, value] of every string under a shown field. */
function shownStrings(value: unknown, path: string, field = ''): Array<[string, string]> {
  if (typeof value === 'string') return SHOWN.test(field) ? [[path, value]] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => shownStrings(item, `${path}[${i}]`, field));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => shownStrings(item, `${path}.${key}`, key));
  return [];
}

describe('the manifest in every language', () => {
  const shown: Array<[string, string]> = [
    // The summary in the Extensions view. (The name, "Matrix Channels", is the product's in every language: it
    // names the OAuth client too.)
    ['description', manifest.description],
    ...shownStrings(manifest.contributes, 'contributes'),
  ];

  it('shows only words from package.nls.json', () => {
    assert.ok(shown.length > 20, 'found the shown strings');
    const literal = shown.filter(([, value]) => !/^%[\w.-]+%$/.test(value));
    assert.deepEqual(literal, [], 'strings written into package.json instead of package.nls.json');
    const missing = shown.filter(([, value]) => !(value.slice(1, -1) in words));
    assert.deepEqual(missing, [], 'keys with no words in package.nls.json');
  });

  it('leaves no key unused', () => {
    const used = new Set(shown.map(([, value]) => value.slice(1, -1)));
    assert.deepEqual(
      Object.keys(words).filter((key) => !used.has(key)),
      [],
    );
  });
});
