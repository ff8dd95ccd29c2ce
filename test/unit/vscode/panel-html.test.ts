import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentSecurityPolicy, createNonce, panelHtml } from '../../../src/vscode/channel-panel/panel-html.ts';

const source = 'https://file+.vscode-resource.vscode-cdn.net';

describe('channel panel page', () => {
  it('has a strict CSP: nothing by default, scripts only with the nonce, styles and fonts only from the webview origin (or with the nonce)', () => {
    assert.equal(
      contentSecurityPolicy(source, 'n0nce'),
      `default-src 'none'; script-src 'nonce-n0nce'; style-src ${source} 'nonce-n0nce'; font-src ${source}; base-uri 'none'; form-action 'none'`,
    );
    assert.doesNotMatch(contentSecurityPolicy(source, 'n0nce'), /unsafe-(inline|eval)|\*/);
  });

  it("a page with pictures (the room view's) takes them as data URIs only", () => {
    const policy = contentSecurityPolicy(source, 'n0nce', true);
    assert.match(policy, /; img-src data:;/);
    assert.doesNotMatch(policy, /img-src[^;]*(https?:|\*|mxc)/);
    assert.doesNotMatch(contentSecurityPolicy(source, 'n0nce'), /img-src/, 'the channel form shows none');
  });

  it('loads exactly one script, with the nonce, and gives the toolkit the nonce for its style', () => {
    const html = panelHtml({
      cspSource: source,
      scriptUri: `${source}/dist/webview/main.js`,
      styleUri: `${source}/dist/webview/main.css`,
      nonce: 'n0nce',
    });
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(
      html,
      /<script nonce="n0nce" src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/dist\/webview\/main\.js"><\/script>/,
    );
    assert.match(html, /<meta property="csp-nonce" content="n0nce">/);
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-n0nce';/,
    );
    assert.match(html, /<link rel="stylesheet" href="[^"]+main\.css">/);
    assert.doesNotMatch(html, /style="/, 'no inline style attributes');
  });

  it('escapes what it puts into attributes', () => {
    const html = panelHtml({ cspSource: source, scriptUri: 'x"><script>alert(1)</script>', styleUri: 's', nonce: 'n' });
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /src="x&quot;&gt;&lt;script&gt;/);
  });

  it('makes a fresh, unguessable nonce every time', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.match(nonce, /^[0-9a-f]{64}$/);
  });

  it('carries the editor language and its translations, escaped so no translation can end the attribute', () => {
    const html = panelHtml({
      cspSource: source,
      scriptUri: 'a.js',
      styleUri: 'a.css',
      nonce: 'n',
      language: 'de',
      bundle: { Save: 'Speichern', 'Say "hi"': '<b>"Hallo"</b> & tschüss' },
    });
    assert.match(html, /<html lang="de">/);
    const content = /<meta name="l10n-bundle" content="([^"]*)">/.exec(html)?.[1];
    assert.ok(content, 'the bundle is in the page');
    const decoded = content
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
    assert.deepEqual(JSON.parse(decoded), { Save: 'Speichern', 'Say "hi"': '<b>"Hallo"</b> & tschüss' });
    assert.equal(html.match(/<script/g)?.length, 1, 'no markup from a translation');
  });
});
