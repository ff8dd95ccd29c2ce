/** Allowlist matching: exact values and `*` globs, case-insensitive, every other character literal. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowlistMatcher, compileAllowlist, matchesPattern } from '../../../src/core/policy/glob.ts';

describe('matchesPattern', () => {
  const rows: Array<[pattern: string, value: string, expected: boolean]> = [
    // exact entries
    ['@bob:example.org', '@bob:example.org', true],
    ['@bob:example.org', '@BOB:Example.ORG', true],
    ['@BOB:EXAMPLE.ORG', '@bob:example.org', true],
    ['@bob:example.org', '@bob:example.org.evil.com', false],
    ['@bob:example.org', '@bob:example.or', false],
    ['@bob:example.org', '@bobby:example.org', false],
    ['@bob:example.org', 'x@bob:example.org', false],
    ['!abc:example.org', '!ABC:example.org', true],
    ['#Café:example.org', '#CAFÉ:EXAMPLE.ORG', true],
    // `*` matches any run, including none
    ['@*:example.org', '@alice:example.org', true],
    ['@*:example.org', '@:example.org', true],
    ['@*:example.org', '@alice:evil.org', false],
    ['@*:example.org', '@alice:example.org.evil.com', false],
    ['@*:example.org', '@alice:sub.example.org', false],
    ['@*:example.org', 'alice:example.org', false],
    ['#dev-*:example.org', '#dev-frontend:example.org', true],
    ['#dev-*:example.org', '#DEV-Ops:EXAMPLE.org', true],
    ['#dev-*:example.org', '#dev-:example.org', true],
    ['#dev-*:example.org', '#devops:example.org', false],
    ['#dev-*:example.org', '#general:example.org', false],
    ['#dev-*:example.org', '!dev-x:example.org', false],
    ['*', '@anyone:anywhere.org', true],
    ['*', '', true],
    ['*:example.org', '!abc:example.org', true],
    ['@*bot*:*', '@ci-bot-1:example.org', true],
    ['@*bot*:*', '@cibo-t:example.org', false],
    ['@a**b:x.org', '@ab:x.org', true],
    // pieces never overlap each other or the ends
    ['@a*a:x.org', '@a:x.org', false],
    ['@a*a:x.org', '@aa:x.org', true],
    ['*aa*aa*', 'aaa', false],
    ['*aa*aa*', 'aaaa', true],
    ['ab*ba', 'aba', false],
    ['ab*ba', 'abba', true],
    ['a*bc*c', 'abc', false],
    ['a*b*c', 'acbc', true],
    ['a*b*c', 'acb', false],
    ['a*cc*c', 'axcc', false],
    ['a*cc*c', 'accc', true],
    // regex metacharacters are literal
    ['@a.b:example.org', '@axb:example.org', false],
    ['@a.b:example.org', '@a.b:example.org', true],
    ['@*.bot:example.org', '@ci.bot:example.org', true],
    ['@*.bot:example.org', '@cixbot:example.org', false],
    ['@a+:x.org', '@aa:x.org', false],
    ['@a+:x.org', '@a+:x.org', true],
    ['@a?:x.org', '@:x.org', false],
    ['@a?:x.org', '@a?:x.org', true],
    ['@[ab]:x.org', '@a:x.org', false],
    ['@[ab]:x.org', '@[ab]:x.org', true],
    ['@(a|b):x.org', '@a:x.org', false],
    ['@(a|b):x.org', '@(a|b):x.org', true],
    ['@a{2}:x.org', '@aa:x.org', false],
    ['@a\\d:x.org', '@a1:x.org', false],
    ['@a\\d:x.org', '@a\\d:x.org', true],
    ['^@a$:x.org', '^@a$:x.org', true],
    ['^@a$:x.org', '@a:x.org', false],
    ['#c++-*:x.org', '#c++-devs:x.org', true],
    ['#c++-*:x.org', '#cc-devs:x.org', false],
    ['@*[ab]:x.org', '@xa:x.org', false],
    ['@*(a|b)?:x.org', '@xa:x.org', false],
    ['@*(a|b)?:x.org', '@x(a|b)?:x.org', true],
  ];
  for (const [pattern, value, expected] of rows) {
    it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(value)}`, () => {
      assert.equal(matchesPattern(pattern, value), expected);
    });
  }
});

describe('compileAllowlist', () => {
  it('matches any entry of the list and counts the entries', () => {
    const matcher = compileAllowlist(['@bob:example.org', '@*:corp.example', '#ops:example.org']);
    assert.equal(matcher.size, 3);
    assert.equal(matcher.matches('@BOB:example.org'), true);
    assert.equal(matcher.matches('@carol:corp.example'), true);
    assert.equal(matcher.matches('@carol:example.org'), false);
    assert.equal(matcher.matchesAny(['!x:example.org', '#OPS:example.org']), true);
    assert.equal(matcher.matchesAny(['!x:example.org', '#dev:example.org']), false);
    assert.equal(matcher.matchesAny([]), false);
  });

  it('is empty for an empty list, or one of blank entries, and then matches nothing', () => {
    for (const list of [[], [''], ['  ', '\t']]) {
      const matcher = compileAllowlist(list);
      assert.equal(matcher.size, 0, JSON.stringify(list));
      assert.equal(matcher.matches(''), false);
      assert.equal(matcher.matches('@bob:example.org'), false);
    }
  });

  it('trims entries', () => {
    assert.equal(compileAllowlist(['  @bob:example.org \n']).matches('@bob:example.org'), true);
  });

  // As a backtracking RegExp (^@.*a.*a.*a.*a.*b:x\.org$) this value takes seconds (~n⁴ steps); bounded, so a
  // regression fails instead of hanging the run.
  it('stays fast on a many-star glob against a hostile value (no regex backtracking)', () => {
    const matcher = compileAllowlist([`@${'*a'.repeat(4)}*b:x.org`]);
    const value = `@${'a'.repeat(200)}:x.org`;
    const started = performance.now();
    assert.equal(matcher.matches(value), false);
    assert.ok(performance.now() - started < 250, `took ${performance.now() - started} ms`);
  });
});

describe('allowlistMatcher (compiled once per list)', () => {
  it('returns the same matcher for the same unchanged list', () => {
    const list = ['@bob:example.org'];
    assert.equal(allowlistMatcher(list), allowlistMatcher(list));
  });

  it('notices a list changed in place', () => {
    const list = ['@bob:example.org'];
    assert.equal(allowlistMatcher(list).matches('@carol:example.org'), false);
    list.push('@carol:example.org');
    assert.equal(allowlistMatcher(list).matches('@carol:example.org'), true);
    list[0] = '@dave:example.org';
    assert.equal(allowlistMatcher(list).matches('@bob:example.org'), false);
    assert.equal(allowlistMatcher(list).matches('@dave:example.org'), true);
  });

  it('keeps separate lists apart', () => {
    assert.equal(allowlistMatcher(['@a:x.org']).matches('@b:x.org'), false);
    assert.equal(allowlistMatcher(['@b:x.org']).matches('@b:x.org'), true);
  });
});
