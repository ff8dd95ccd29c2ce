/**
 * The room view page's part of a first paint, for the room-view benchmark: the built page (dist/webview/room.js
 * and room.css) in headless Chromium gets the first page's view as the host posts it, and the time until the
 * browser has drawn the next frame is taken; against the same messages drawn as a bare list (one text line
 * each), so the ratio is what the page's rendering costs over the least any page could do. A fresh page per
 * sample. Chromium is the one the extension tests drive; without it the draw is skipped, saying why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TimelineView } from '../../src/shared/room-view-protocol.ts';
import { repoRoot } from '../bed/paths.ts';
// @ts-expect-error: a plain ES module script, without types
import { chromiumPath } from '../../scripts/prerequisites.mjs';
// @ts-expect-error: a plain ES module script, without types
import { build } from '../../scripts/build.mjs';

export interface DrawTimes {
  /** Milliseconds from the view posted to the frame after it drawn, per sample. */
  page: number[];
  bare: number[];
}

/** The page of a room view without its host: a stand-in for the webview API that keeps what the page posts. */
function pageHtml(script: string, style: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>${style}</style></head>
<body><div id="app"></div>
<script>window.acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });</script>
<script>${script}</script></body></html>`;
}

const BARE = `<!doctype html><html><body><div id="app"></div><script>
window.addEventListener('message', (event) => {
  const list = document.getElementById('app');
  list.replaceChildren(...event.data.items.map((item) => {
    const line = document.createElement('div');
    line.textContent = item.sender + ': ' + item.body;
    return line;
  }));
});
</script></body></html>`;

/** Posts the view as the host would, and waits for the frame after the page handled it. */
const TIME_ONE_DRAW = `(view) => new Promise((resolve) => {
  const started = performance.now();
  window.postMessage(view, '*');
  // The message is handled in its own task; the frame after it shows what the page drew.
  setTimeout(() => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started))));
})`;

export async function drawTimes(view: TimelineView, samples: number): Promise<DrawTimes | string> {
  const chromium = (chromiumPath as () => string)();
  if (!existsSync(chromium)) return `Chromium not found at ${chromium} (apt-get install chromium)`;
  const dist = join(repoRoot, 'dist', 'webview');
  if (!existsSync(join(dist, 'room.js')))
    await (build as (options: { production: boolean }) => Promise<unknown>)({ production: true });
  const page = pageHtml(readFileSync(join(dist, 'room.js'), 'utf8'), readFileSync(join(dist, 'room.css'), 'utf8'));
  const { chromium: playwright } = await import('playwright-core');
  const browser = await playwright.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox'] });
  try {
    const times: DrawTimes = { page: [], bare: [] };
    for (let i = 0; i < samples; i++) {
      for (const [kind, html] of [
        ['page', page],
        ['bare', BARE],
      ] as const) {
        const tab = await browser.newPage({ viewport: { width: 1200, height: 900 } });
        await tab.setContent(html, { waitUntil: 'load' });
        const ms = await tab.evaluate(`(${TIME_ONE_DRAW})(${JSON.stringify(view)})`);
        const drawn = await tab.evaluate(`document.querySelectorAll('#app article, #app > div').length`);
        if (!drawn) throw new Error(`the ${kind} page drew nothing`);
        times[kind].push(ms as number);
        await tab.close();
      }
    }
    return times;
  } finally {
    await browser.close();
  }
}
