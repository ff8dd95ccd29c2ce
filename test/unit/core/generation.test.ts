import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstGeneration, isCurrentGeneration, nextGeneration } from '../../../src/core/session/generation.ts';

describe('session generations', () => {
  it('counts renewals within a lineage, and starts a new lineage per sign-in', () => {
    const first = firstGeneration();
    assert.match(first, /^[0-9a-f-]{36}\.0$/);
    const second = nextGeneration(first);
    assert.equal(second, first.replace(/\.0$/, '.1'));
    assert.equal(nextGeneration(second), first.replace(/\.0$/, '.2'));
    assert.notEqual(firstGeneration().split('.')[0], first.split('.')[0]);
    assert.match(nextGeneration(undefined), /\.0$/, 'a session stored without one starts a lineage');
  });

  const lineage = 'b6f1c1d2-0000-4000-8000-000000000000';
  const other = 'c7a2d3e4-0000-4000-8000-000000000000';
  const ROWS: Array<[string, string | undefined, string | undefined, boolean]> = [
    ['nothing published yet', `${lineage}.3`, undefined, true],
    ['the published pair', `${lineage}.3`, `${lineage}.3`, true],
    ['a renewal saved but not yet published', `${lineage}.4`, `${lineage}.3`, true],
    ['an older pair of the lineage: already rotated', `${lineage}.2`, `${lineage}.3`, false],
    ['another sign-in’s pair', `${other}.9`, `${lineage}.3`, false],
    ['a pair without a generation, when one is published', undefined, `${lineage}.0`, false],
    ['an unreadable published value', `${lineage}.1`, 'garbage', false],
  ];
  for (const [name, mine, published, current] of ROWS) {
    it(`${name}: ${current ? 'current' : 'not current'}`, () => {
      assert.equal(isCurrentGeneration(mine, published), current);
    });
  }
});
