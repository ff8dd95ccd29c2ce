/**
 * The composer's Markdown: plain text goes without a formatted body; formatting, code and links get their HTML
 * twin; raw HTML in what was typed stays text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markdownHtml } from '../../../src/core/text/markdown.ts';

describe("the composer's Markdown", () => {
  for (const [typed, html] of [
    ['ship it', undefined],
    ['ship it\ntoday', undefined],
    ['a < b & c > d', undefined],
    ['**ship** it', '<p><strong>ship</strong> it</p>'],
    ['run `npm test` first', '<p>run <code>npm test</code> first</p>'],
    ['```ts\nconst x = 1;\n```', '<pre><code class="language-ts">const x = 1;\n</code></pre>'],
    ['see https://example.org', '<p>see <a href="https://example.org">https://example.org</a></p>'],
    ['- one\n- two', '<ul>\n<li>one</li>\n<li>two</li>\n</ul>'],
    ['<script>alert(1)</script> **hi**', '<p>&lt;script&gt;alert(1)&lt;/script&gt; <strong>hi</strong></p>'],
  ] as const) {
    it(`${JSON.stringify(typed)} → ${html === undefined ? 'no formatted body' : JSON.stringify(html)}`, () => {
      assert.equal(markdownHtml(typed), html);
    });
  }
});
