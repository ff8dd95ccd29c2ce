/**
 * The channel panel's HTML page and its Content Security Policy: nothing loads or runs unless it is ours.
 * Scripts need the per-page nonce. Styles come from the webview's own resource origin (the bundled
 * main.css) or carry the nonce: the toolkit's component styles are constructable stylesheets, which
 * style-src does not govern, and its one <style> element (a :focus-visible feature test in FAST) takes the
 * nonce from `<meta property="csp-nonce">` — so no 'unsafe-inline'. No connections, frames, forms or base
 * URL; images only as data URIs, and only on a page that shows pictures the host fetched and checked (the room
 * view's), so a message's markup can never make the page load anything. Pure (no VS Code API), so unit-tested.
 */

export interface PanelPage {
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce: string;
  /** The page's title (not shown: the panel's tab has its own). */
  title?: string;
  /** The editor's language (`vscode.env.language`), for the page's `lang`. */
  language?: string;
  /**
   * The extension's words in that language (`vscode.l10n.bundle`: English message → translation; absent in
   * English). The page reads it before it draws anything.
   */
  bundle?: Record<string, string>;
  /** The page shows pictures (data URIs the host made). */
  images?: boolean;
}

export function contentSecurityPolicy(cspSource: string, nonce: string, images = false): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    ...(images ? ['img-src data:'] : []),
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** 32 random bytes as hex: a nonce no page content can guess. */
export function createNonce(): string {
  const bytes = new Uint8Array(32);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function panelHtml(page: PanelPage): string {
  const attr = escapeAttribute;
  return `<!DOCTYPE html>
<html lang="${attr(page.language ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(page.cspSource, page.nonce, page.images))}">
<meta property="csp-nonce" content="${attr(page.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="l10n-bundle" content="${attr(JSON.stringify(page.bundle ?? {}))}">
<link rel="stylesheet" href="${attr(page.styleUri)}">
<title>${escapeAttribute(page.title ?? 'Matrix channel')}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${attr(page.nonce)}" src="${attr(page.scriptUri)}"></script>
</body>
</html>`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
