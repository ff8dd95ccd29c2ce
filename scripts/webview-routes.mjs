// Inside the active webview, for the browser control server (scripts/browser-control.mjs): the visible
// `iframe.webview`, then its `iframe#active-frame`; selectors are Playwright's, so CSS pierces open shadow roots
// (`#homeserver input` is the toolkit text field's <input>):
//
//   POST /webview/fill {selector, value}    types into an input (fills it) → read result
//   POST /webview/click {selector}          clicks the first match → read result
//   POST /webview/press {selector, key}     focuses the first match and presses a key (Playwright key name)
//   POST /webview/read {selector, attribute?, property?}   { count, visible, text, attribute?, property? } of the
//                                    first match (text: innerText; attribute: null when absent)
//   POST /webview/wait {selector, state?, attribute?, value?, text?, timeoutMs?}   waits until the first match is
//                                    in `state` ('attached' | 'detached' | 'visible' | 'hidden'; default
//                                    'visible'), and `attribute` has `value` (null: absent) / its text contains
//                                    `text` → read result; on timeout 408 with what it saw last
//   GET  /webview/html                { html }: the whole page, open shadow roots and the values of inputs included
import { errorMessage, httpError } from './control-http.mjs';

/** Default wait of /webview/wait, and the timeout of webview actions. */
const WEBVIEW_WAIT_MS = 15_000;
/** The active webview's document: the visible outer frame, then the frame holding the extension's page. */
const WEBVIEW_OUTER = 'iframe.webview.ready >> visible=true';

/** @param {() => import('playwright-core').Page} workbenchPage  the workbench page (throws while there is none) */
export function webviewRoutes(workbenchPage) {
  return {
    'POST /webview/fill': async (body) => {
      const target = webviewTarget(workbenchPage(), body);
      await target.fill(stringField(body, 'value'), { timeout: WEBVIEW_WAIT_MS });
      return readWebview(target, body);
    },
    'POST /webview/click': async (body) => {
      const target = webviewTarget(workbenchPage(), body);
      await target.click({ timeout: WEBVIEW_WAIT_MS });
      return readWebview(target, body);
    },
    'POST /webview/press': async (body) => {
      const target = webviewTarget(workbenchPage(), body);
      await target.press(stringField(body, 'key'), { timeout: WEBVIEW_WAIT_MS });
      return readWebview(target, body);
    },
    'POST /webview/read': async (body) => readWebview(webviewTarget(workbenchPage(), body), body),
    'POST /webview/wait': async (body) => {
      const workbench = workbenchPage();
      const target = webviewTarget(workbench, body);
      const state = body.state ?? 'visible';
      if (!['attached', 'detached', 'visible', 'hidden'].includes(state))
        throw httpError(400, "state must be 'attached', 'detached', 'visible' or 'hidden'");
      if (body.attribute !== undefined && typeof body.attribute !== 'string')
        throw httpError(400, 'attribute must be a string');
      if (body.text !== undefined && typeof body.text !== 'string') throw httpError(400, 'text must be a string');
      const timeoutMs = typeof body.timeoutMs === 'number' ? body.timeoutMs : WEBVIEW_WAIT_MS;
      const deadline = Date.now() + timeoutMs;
      let seen;
      for (;;) {
        seen = await readWebview(target, body).catch((e) => ({ error: errorMessage(e) }));
        if (!seen.error && matches(seen)) return seen;
        if (Date.now() > deadline) {
          throw httpError(
            408,
            `${body.selector}: not ${describeWait(body, state)} within ${timeoutMs} ms; last seen ${JSON.stringify(seen).slice(0, 500)}`,
          );
        }
        await workbench.waitForTimeout(100);
      }
      function matches(read) {
        const present = read.count > 0;
        if (state === 'detached') return !present;
        if (state === 'hidden') return !read.visible;
        if (state === 'visible' && !read.visible) return false;
        if (state === 'attached' && !present) return false;
        if (body.attribute !== undefined && read.attribute !== (body.value ?? null)) return false;
        if (body.text !== undefined && !read.text.includes(body.text)) return false;
        return true;
      }
    },
    'GET /webview/html': async () => {
      const root = webviewFrame(workbenchPage()).locator(':root');
      // (A string, evaluated in the page.) Shadow roots and the live values of inputs are not part of outerHTML.
      const html = await root.evaluate(
        `(function serialize(node) {
        if (node.nodeType === Node.TEXT_NODE) return node.textContent;
        if (node.nodeType === Node.COMMENT_NODE) return '<!--' + node.textContent + '-->';
        if (node.nodeType !== Node.ELEMENT_NODE) return '';
        const tag = node.localName;
        const attrs = Array.from(node.attributes, (a) => ' ' + a.name + '="' + a.value + '"').join('');
        const live = 'value' in node && typeof node.value === 'string' ? ' data-live-value="' + node.value + '"' : '';
        const shadow = node.shadowRoot ? '<#shadow-root>' + Array.from(node.shadowRoot.childNodes, serialize).join('') + '</#shadow-root>' : '';
        return '<' + tag + attrs + live + '>' + shadow + Array.from(node.childNodes, serialize).join('') + '</' + tag + '>';
      })(document.documentElement)`,
        undefined,
        { timeout: WEBVIEW_WAIT_MS },
      );
      return { html };
    },
  };
}

/**
 * A PNG of the active webview at `path` (POST /screenshot with frame 'webview'): all of it, or the whole of the
 * element `selector` plus `padding` pixels of the page around it. An element inside a frame is cut off where the
 * frame ends, so a taller one first makes the browser window taller (until it fits), and the window gets its
 * size back afterwards.
 * @param {import('playwright-core').Page} workbench
 * @param {string} path
 * @param {string | undefined} selector
 * @param {number} padding
 */
export async function screenshotWebview(workbench, path, selector, padding) {
  if (!selector) {
    await workbench.locator(WEBVIEW_OUTER).first().screenshot({ path });
    return;
  }
  const frame = webviewFrame(workbench);
  const target = frame.locator(selector).first();
  const outer = workbench.locator(WEBVIEW_OUTER).first();
  const viewport = workbench.viewportSize();
  try {
    for (let attempt = 0; ; attempt++) {
      await frame.locator(':root').evaluate('window.scrollTo(0, 0)');
      await workbench.waitForTimeout(300); // layout and paint after a scroll or resize
      const [box, visible] = [await target.boundingBox(), await outer.boundingBox()];
      if (!box || !visible) throw httpError(404, `${selector}: not visible in the webview`);
      const missing = Math.ceil(box.y + box.height + padding - (visible.y + visible.height));
      if (missing > 0 && viewport && attempt < 3) {
        const current = workbench.viewportSize() ?? viewport;
        await workbench.setViewportSize({ width: current.width, height: current.height + missing });
        continue;
      }
      const x = Math.max(visible.x, box.x - padding);
      const y = Math.max(visible.y, box.y - padding);
      const right = Math.min(visible.x + visible.width, box.x + box.width + padding);
      const bottom = Math.min(visible.y + visible.height, box.y + box.height + padding);
      await workbench.screenshot({ path, clip: { x, y, width: right - x, height: bottom - y } });
      return;
    }
  } finally {
    if (viewport) await workbench.setViewportSize(viewport);
  }
}

/** The document of the active webview (the extension's page inside the workbench's two frames). */
function webviewFrame(workbench) {
  return workbench.frameLocator(WEBVIEW_OUTER).first().frameLocator('iframe#active-frame');
}

function webviewTarget(workbench, body) {
  return webviewFrame(workbench).locator(stringField(body, 'selector')).first();
}

/** What a test may want to know about the first match; never throws for a missing element. */
async function readWebview(target, body) {
  const gone = { count: 0, visible: false, text: '', ...(body.attribute ? { attribute: null } : {}) };
  const count = await target.count();
  if (count === 0) return gone;
  // The element is there now, so reading it is quick, unless it has just gone (a click that replaced it, say):
  // then it reads as gone, rather than waiting for it to come back.
  const options = { timeout: 2_000 };
  try {
    const result = { count, visible: await target.isVisible(), text: await target.innerText(options) };
    if (typeof body.attribute === 'string') result.attribute = await target.getAttribute(body.attribute, options);
    if (typeof body.property === 'string')
      result.property = await target.evaluate((element, name) => element[name], body.property, options);
    return result;
  } catch (error) {
    if ((await target.count()) === 0) return gone;
    throw error;
  }
}

function stringField(body, name) {
  if (typeof body[name] !== 'string' || (body[name] === '' && name === 'selector'))
    throw httpError(400, `${name} is required (a string)`);
  return body[name];
}

function describeWait(body, state) {
  const parts = [state];
  if (body.attribute !== undefined) parts.push(`with ${body.attribute}=${JSON.stringify(body.value ?? null)}`);
  if (body.text !== undefined) parts.push(`containing ${JSON.stringify(body.text)}`);
  return parts.join(' ');
}
