/** formatted_body sanitising: only the Matrix allow-list survives, always escaped, well-formed and bounded. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sanitizeMatrixHtml } from '../../../../src/core/timeline/sanitize-html.ts';
import { assertHarmless, HOSTILE_INPUTS, HOSTILE_ROWS } from '../../../corpus/hostile-html.ts';

const clean = (input: string): string => sanitizeMatrixHtml(input).html;

/** Every kept tag closes in order (void tags excepted), so the browser parses the tree we built. */
function assertWellFormed(html: string): void {
  const stack: string[] = [];
  for (const [, slash, name] of html.matchAll(/<(\/?)([a-z0-9]+)[^>]*>/g)) {
    if (name === 'br' || name === 'hr' || name === 'img') continue;
    if (slash) assert.equal(stack.pop(), name, `unbalanced </${name}>`);
    else stack.push(name!);
  }
  assert.deepEqual(stack, [], 'unclosed tags');
}

describe('sanitizeMatrixHtml', () => {
  for (const [input, expected] of HOSTILE_ROWS) {
    it(`${JSON.stringify(input)} -> ${JSON.stringify(expected)}`, () => {
      const out = sanitizeMatrixHtml(input);
      assert.equal(out.html, expected);
      assert.equal(out.truncated, false);
    });
  }

  it('never outputs script, event handlers, javascript: or style for hostile input', () => {
    for (const input of HOSTILE_INPUTS) {
      const { html } = sanitizeMatrixHtml(input);
      assertHarmless(html, input);
      assertWellFormed(html);
    }
  });

  it('cuts a 1 MB body at the default maxLength, and closes what is open', () => {
    const start = performance.now();
    const out = sanitizeMatrixHtml(`<blockquote><p><b>${'a & b '.repeat(180_000)}</b></p></blockquote>`);
    assert.ok(performance.now() - start < 1000);
    assert.equal(out.truncated, true);
    assert.ok(out.html.length <= 65_536, String(out.html.length));
    assert.ok(out.html.length > 65_000, String(out.html.length));
    assert.ok(out.html.endsWith('</b></p></blockquote>'));
    assert.doesNotMatch(out.html, /&[a-z]*<\//, 'an entity was split');
    assertWellFormed(out.html);
  });

  it('cuts between tags when the next one does not fit', () => {
    assert.deepEqual(sanitizeMatrixHtml('<b>ab</b><i>cd</i>', { maxLength: 12 }), {
      html: '<b>ab</b>',
      truncated: true,
    });
    assert.deepEqual(sanitizeMatrixHtml('<b>a&amp;b</b>', { maxLength: 10 }), { html: '<b>a</b>', truncated: true });
    assert.deepEqual(sanitizeMatrixHtml('<b>x</b>', { maxLength: 3 }), { html: '', truncated: true });
    assert.deepEqual(sanitizeMatrixHtml('😀😀', { maxLength: 3 }), { html: '😀', truncated: true });
  });

  it('unwraps elements deeper than maxDepth to their text', () => {
    assert.equal(clean('<div><div><b>x</b></div></div>'), '<div><div><b>x</b></div></div>');
    assert.equal(sanitizeMatrixHtml('<div><div><b>x</b>y</div></div>', { maxDepth: 1 }).html, '<div>xy</div>');
    assert.equal(sanitizeMatrixHtml('<b>a<img src="mxc://a/b">c</b>', { maxDepth: 1 }).html, '<b>ac</b>');
  });

  it('handles 100 000 nested divs quickly, without recursion, capped at maxDepth', () => {
    const start = performance.now();
    const out = sanitizeMatrixHtml(`${'<div>'.repeat(100_000)}deep${'</div>'.repeat(100_000)}`);
    assert.ok(performance.now() - start < 1000);
    assert.equal(out.html, `${'<div>'.repeat(50)}deep${'</div>'.repeat(50)}`);
    assert.equal(out.truncated, false);
  });

  it('stays linear on unclosed nesting and stray closing tags', () => {
    const start = performance.now();
    const out = sanitizeMatrixHtml(`${'<span>'.repeat(60_000)}x${'</x>'.repeat(60_000)}`);
    assert.ok(performance.now() - start < 1000);
    assertWellFormed(out.html);
  });
});
