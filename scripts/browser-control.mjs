// The harness's browser control server: tests in the extension host cannot drive Playwright, but real sign-ins
// need a person at a real browser. This small HTTP API (JSON, 127.0.0.1 only) lets a test ask the harness to be
// that person, in the same Chromium profile as the workbench (client: test/extension/harness.ts).
//
//   GET  /health                     { ok, workbench }
//   POST /browser/expect {username, password, action, keepSession?}   arm: the next page opening on the OAuth
//                                    server's origin is signed in (when it shows form#login) and allowed / denied
//                                    ('ignore': left open). Unless keepSession, the browser first forgets its OAuth
//                                    session, so the login form appears.
//   GET  /browser/last[?wait=ms]     { last, pending }: the last driven page's final {url, text, title, action,
//                                    steps, error?}; with wait, first waits until nothing armed is still pending
//   POST /browser/device {verificationUri, userCode, username, password, action, keepSession?}   device flow,
//                                    page by page
//   POST /browser/run {url}          opens a URL in a new page, returns its final {url, text, title}
//   POST /screenshot {name, selector?, frame?: 'webview', padding?}   PNG of the workbench (or an element; in the
//                                    webview, all of it plus `padding` px around, the window grown to fit) → { path }
//   GET  /workbench/notifications    { notifications: string[] }: the messages in the notification center
//   GET  /workbench/dialog           { dialog?: {text, buttons} }: the modal dialog shown, if any
//   POST /workbench/dialog {press?, button?}   presses a key / clicks a dialog button, then as GET
//   POST /workbench/notification {text, button}   clicks a button of the notification whose message contains
//                                    text → { notifications } (as GET, afterwards)
//   POST /workbench/quick-input {value?, press?, timeoutMs?, items?, itemsAfterTyping?}   answers the quick input
//                                    shown: types value, presses press (default Enter) → { title, prompt (or the
//                                    validation message), value (before typing), placeholder, items?, messageAfterTyping?,
//                                    stillOpen } (expectOpen: true waits only 1 s for it to close)
//   GET  /workbench/tree, POST /workbench/tree/action, GET /workbench/status-bar: tree views and the status bar
//                                    as shown (scripts/workbench-views.mjs); `window=second` reads the second window
//   POST /workbench/second-window    opens a second window (same workspace and profile, the extension without the
//                                    tests); DELETE closes it
//   GET  /proxy/PORT/…               307 to http://127.0.0.1:PORT/… (the workbench's localhost URL rewriting)
//
// Phases (see phaseState below; scripts/extension-tests.mjs reloads the workbench for a second phase):
//   POST /phase/after-reload {name, data}   registers work for after a reload: the harness then reloads the
//                                    workbench (same profile) with the after-reload suite, which reads `data` back
//   GET  /phase                      { phase: 'main' | 'after-reload', afterReload: {name: data},
//                                    oauthPagesOpened, oauthPagesSinceReload, reloadStartedAt (epoch ms) }
//   POST /measurement {name, value}  a number a test measured (not asserted): printed with the run's timings
//
// Inside the active webview (the visible `iframe.webview`, then its `iframe#active-frame`; selectors are
// Playwright's, so CSS pierces open shadow roots: `#homeserver input` is the toolkit text field's <input>):
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
import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { workbenchViewRoutes } from './workbench-views.mjs';

const STEP_TIMEOUT_MS = 20_000;
const SETTLE_MAX_MS = 20_000;
const SETTLE_QUIET_MS = 1_500;
/** Default wait of /webview/wait, and the timeout of webview actions. */
const WEBVIEW_WAIT_MS = 15_000;
/** The active webview's document: the visible outer frame, then the frame holding the extension's page. */
const WEBVIEW_OUTER = 'iframe.webview.ready >> visible=true';
/** How long a page that opened must take at most to reach the OAuth server to count as a sign-in page. */
const OAUTH_PAGE_WAIT_MS = 30_000;
/** Driven pages stay open a moment after their final state (their scripts may still hand over a callback). */
const CLOSE_DELAY_MS = 3_000;

/**
 * @param {{ oauthIssuer: string, screenshotDir: string, log: (line: string) => void }} options
 */
export async function startBrowserControl({ oauthIssuer, screenshotDir, log }) {
  const oauthOrigin = new URL(oauthIssuer).origin;
  /** @type {import('playwright-core').BrowserContext | undefined} */
  let context;
  /** @type {import('playwright-core').Page | undefined} */
  let workbench;
  /** @type {import('playwright-core').Page | undefined} */
  let secondWindow;
  /** Pages the harness opened itself (never taken for sign-in popups). */
  const ownPages = new WeakSet();
  /** Armed expectations not yet matched with a page. */
  const expectations = [];
  /** OAuth pages that opened before anything was armed. */
  const unclaimed = [];
  const inFlight = new Set();
  let last;
  const idleWaiters = new Set();

  const pending = () => expectations.length + inFlight.size;
  const notifyIdle = () => {
    if (pending() > 0) return;
    for (const wake of idleWaiters) wake();
    idleWaiters.clear();
  };

  /** A new page in the context: if it reaches the OAuth server, it is a sign-in page for the next expectation. */
  async function onPage(page) {
    try {
      await page.waitForURL((url) => url.origin === oauthOrigin, { timeout: OAUTH_PAGE_WAIT_MS, waitUntil: 'commit' });
    } catch {
      if (!ownPages.has(page) && !page.isClosed())
        log(`browser: a page opened outside the OAuth server: ${page.url()}`);
      return;
    }
    if (ownPages.has(page)) return;
    log(`browser: OAuth page opened: ${redact(page.url())}`);
    phases.oauthPageOpened();
    const expectation = expectations.shift();
    if (expectation) drive(page, expectation);
    else unclaimed.push(page);
  }

  function drive(page, expectation) {
    const job = (async () => {
      const tracker = track(page);
      const steps = [];
      let error;
      try {
        await page.waitForLoadState('domcontentloaded');
        if (expectation.action === 'ignore') steps.push('left open');
        else {
          await signInAndConsent(page, expectation, steps);
          await settle(page);
        }
      } catch (e) {
        error = errorMessage(e);
      }
      last = { ...(await tracker.state()), action: expectation.action, steps, ...(error ? { error } : {}) };
      log(
        `browser: sign-in page ${expectation.action}: ${steps.join(', ') || '-'} → ${redact(last.url)}${error ? ` (error: ${error})` : ''}`,
      );
      if (expectation.action !== 'ignore') closeLater(page);
    })();
    inFlight.add(job);
    job.finally(() => {
      inFlight.delete(job);
      notifyIdle();
    });
    return job;
  }

  /** On the OAuth server: log in when asked, then allow or deny on the consent page. */
  async function signInAndConsent(page, { username, password, action }, steps) {
    // Already signed in in this profile → straight to the consent page.
    await page.locator('form#login, form#consent').first().waitFor({ timeout: STEP_TIMEOUT_MS });
    if (await page.locator('form#login').count()) {
      await page.fill('#username', username);
      await page.fill('#password', password);
      await page.locator('form#login button[type=submit]').click();
      steps.push('login form submitted');
      await page.locator('form#consent, form#login .error, p.error').first().waitFor({ timeout: STEP_TIMEOUT_MS });
      if (!(await page.locator('form#consent').count())) {
        throw new Error(
          `login refused: ${
            (await page
              .locator('p.error')
              .first()
              .innerText()
              .catch(() => '')) || 'no consent page'
          }`,
        );
      }
    }
    if (action === 'allow') await page.locator('form#consent button').click();
    else await page.locator('form#deny button').click();
    steps.push(`consent: ${action}`);
  }

  /** Waits until the page stops navigating (redirects, a success page that forwards elsewhere…). */
  async function settle(page) {
    const deadline = Date.now() + SETTLE_MAX_MS;
    let url = page.url();
    let quietSince = Date.now();
    while (Date.now() < deadline && !page.isClosed()) {
      await page.waitForLoadState('load', { timeout: 5_000 }).catch(() => {});
      await page.waitForTimeout(250).catch(() => {});
      if (page.isClosed()) break;
      const now = page.url();
      if (now !== url) {
        url = now;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= SETTLE_QUIET_MS) break;
    }
  }

  /**
   * Signs the browser out of the OAuth server (its session and interaction cookies), so that the next sign-in
   * page asks for the credentials given, not continues as whoever signed in before. Cookies are per host, not
   * per port: the workbench's cookies on 127.0.0.1 are kept by name.
   */
  async function forgetOAuthSession() {
    if (!context) return;
    const names = new Set(
      (await context.cookies(oauthIssuer)).map((c) => c.name).filter((n) => /^_(session|interaction)/.test(n)),
    );
    for (const name of names) await context.clearCookies({ name, domain: new URL(oauthIssuer).hostname });
  }

  async function readDialog() {
    if (!workbench) throw httpError(503, 'the workbench is not up yet');
    const box = workbench.locator('.monaco-dialog-box').first();
    if (!(await box.isVisible().catch(() => false))) return undefined;
    const text = (await box.locator('.dialog-message-text, .dialog-message-detail').allInnerTexts()).join('\n');
    const buttons = await box.locator('.dialog-buttons .monaco-button').allInnerTexts();
    return { text, buttons };
  }

  /** The document of the active webview (the extension's page inside the workbench's two frames). */
  function webviewFrame() {
    if (!workbench) throw httpError(503, 'the workbench is not up yet');
    return workbench.frameLocator(WEBVIEW_OUTER).first().frameLocator('iframe#active-frame');
  }

  function webviewTarget(body) {
    return webviewFrame().locator(stringField(body, 'selector')).first();
  }

  /**
   * The whole of an element in the active webview (plus `padding` pixels of the page around it). An element
   * inside a frame is cut off where the frame ends, so a taller one first makes the browser window taller
   * (until it fits), and the window gets its size back afterwards.
   */
  async function webviewElementScreenshot(selector, padding, path) {
    const frame = webviewFrame();
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

  /** What a test may want to know about the first match; never throws for a missing element. */
  async function readWebview(target, body) {
    const count = await target.count();
    if (count === 0) return { count, visible: false, text: '', ...(body.attribute ? { attribute: null } : {}) };
    const options = { timeout: WEBVIEW_WAIT_MS };
    const result = { count, visible: await target.isVisible(), text: await target.innerText(options) };
    if (typeof body.attribute === 'string') result.attribute = await target.getAttribute(body.attribute, options);
    if (typeof body.property === 'string')
      result.property = await target.evaluate((element, name) => element[name], body.property, options);
    return result;
  }

  function closeLater(page) {
    setTimeout(() => page.close().catch(() => {}), CLOSE_DELAY_MS).unref();
  }

  async function newOwnPage() {
    if (!context) throw httpError(503, 'the browser is not up yet');
    const page = await context.newPage();
    ownPages.add(page);
    return page;
  }

  const phases = phaseState(log);
  const routes = {
    ...phases.routes,
    ...workbenchViewRoutes((which) => (which === 'second' ? secondWindow : workbench), httpError, screenshotDir),

    // A second VS Code window on the same workspace, in the same browser profile (its own extension host, with
    // the extension under test but not the tests): what a person gets from File > New Window.
    'POST /workbench/second-window': async () => {
      if (!workbench) throw httpError(503, 'the workbench is not up yet');
      if (secondWindow) return { ok: true };
      const url = new URL(workbench.url());
      const payload = JSON.parse(url.searchParams.get('payload') ?? '[]').filter(
        ([key]) => key !== 'extensionTestsPath',
      );
      url.searchParams.set('payload', JSON.stringify(payload));
      const page = await newOwnPage();
      await page.goto(url.toString());
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      secondWindow = page;
      log('browser: second window open');
      return { ok: true };
    },
    'DELETE /workbench/second-window': async () => {
      await secondWindow?.close();
      secondWindow = undefined;
      return { ok: true };
    },
    'GET /health': async () => ({ ok: true, workbench: workbench ? `${new URL(workbench.url()).origin}/` : '' }),

    'POST /browser/expect': async (body) => {
      const expectation = credentials(body);
      if (!body.keepSession) await forgetOAuthSession();
      const page = unclaimed.shift();
      if (page) drive(page, expectation);
      else expectations.push(expectation);
      return { ok: true };
    },

    'GET /browser/last': async (_body, query) => {
      const waitMs = Number(query.get('wait') ?? 0);
      if (waitMs > 0 && pending() > 0) {
        await new Promise((wake) => {
          const timer = setTimeout(wake, waitMs);
          idleWaiters.add(() => {
            clearTimeout(timer);
            wake();
          });
        });
      }
      return { last, pending: pending() };
    },

    'POST /browser/device': async (body) => {
      const expectation = credentials(body);
      const { verificationUri, userCode } = body;
      if (typeof verificationUri !== 'string' || typeof userCode !== 'string') {
        throw httpError(400, 'verificationUri and userCode are required');
      }
      if (!body.keepSession) await forgetOAuthSession();
      const page = await newOwnPage();
      const tracker = track(page);
      const steps = [];
      let error;
      try {
        await page.goto(verificationUri);
        const codeInput = page.locator('input[name="user_code"]');
        const confirm = page.locator('button[type=submit][form="op.deviceConfirmForm"]');
        await page
          .locator('input[name="user_code"], button[form="op.deviceConfirmForm"]')
          .first()
          .waitFor({ timeout: STEP_TIMEOUT_MS });
        if (await codeInput.count()) {
          await codeInput.fill(userCode);
          await page.locator('button[type=submit][form="op.deviceInputForm"]').first().click();
          steps.push('code entered');
          await page
            .locator('button[form="op.deviceConfirmForm"], p.error')
            .first()
            .waitFor({ timeout: STEP_TIMEOUT_MS });
          if (!(await confirm.count())) {
            throw new Error(
              `code refused: ${await page
                .locator('p.error')
                .first()
                .innerText()
                .catch(() => '')}`,
            );
          }
        }
        if (expectation.action === 'ignore') steps.push('left open');
        else {
          await confirm.first().click();
          steps.push('device confirmed');
          await signInAndConsent(page, expectation, steps);
          await settle(page);
        }
      } catch (e) {
        error = errorMessage(e);
      }
      last = { ...(await tracker.state()), action: expectation.action, steps, ...(error ? { error } : {}) };
      log(
        `browser: device page ${expectation.action}: ${steps.join(', ') || '-'} → ${redact(last.url)}${error ? ` (error: ${error})` : ''}`,
      );
      if (expectation.action !== 'ignore') closeLater(page);
      return last;
    },

    'POST /browser/run': async (body) => {
      if (typeof body.url !== 'string') throw httpError(400, 'url is required');
      const page = await newOwnPage();
      const tracker = track(page);
      try {
        await page.goto(body.url);
        await settle(page);
      } catch (e) {
        if (!page.isClosed()) throw e; // a page that closes itself (e.g. a callback page) is fine
      }
      const state = await tracker.state();
      log(`browser: opened ${redact(body.url)} → ${redact(state.url)}`);
      closeLater(page);
      return state;
    },

    // Notifications: opens the notification center for a moment (toasts hide themselves after a while; the
    // center lists them all), reads each message, and closes it again.
    'GET /workbench/notifications': async () => {
      if (!workbench) throw httpError(503, 'the workbench is not up yet');
      const bell = workbench.locator('[id="status.notifications"]').first();
      // (The center's element only exists once it was first shown: count, don't wait.)
      const wasOpen = (await workbench.locator('.notifications-center.visible').count()) > 0;
      if (!wasOpen) await openNotificationCenter(workbench);
      const notifications = await workbench
        .locator('.notifications-center .notification-list-item-message')
        .allInnerTexts();
      if (!wasOpen) await bell.click(BELL_CLICK);
      return { notifications };
    },

    // The workbench's modal dialog, if one is shown. NB: while extension tests run, VS Code's DialogService
    // refuses dialogs (prompt() throws "refused to show dialog in tests", confirm() answers yes), so modal
    // messages from the extension never appear here; this sees other modal dialogs only.
    'GET /workbench/dialog': async () => ({ dialog: await readDialog() }),
    'POST /workbench/dialog': async (body) => {
      if (!workbench) throw httpError(503, 'the workbench is not up yet');
      if (typeof body.button === 'string') {
        await workbench
          .locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: body.button })
          .first()
          .click({ timeout: 5_000 });
      }
      if (typeof body.press === 'string') await workbench.keyboard.press(body.press);
      if (body.button || body.press) await workbench.waitForTimeout(200);
      return { dialog: await readDialog() };
    },

    'POST /workbench/notification': async (body) => {
      if (!workbench) throw httpError(503, 'the workbench is not up yet');
      if (typeof body.text !== 'string' || typeof body.button !== 'string')
        throw httpError(400, 'text and button are required');
      const bell = workbench.locator('[id="status.notifications"]').first();
      if (!(await workbench.locator('.notifications-center.visible').count())) await openNotificationCenter(workbench);
      const item = workbench
        .locator('.notifications-center .notification-list-item')
        .filter({
          has: workbench.locator('.notification-list-item-message', { hasText: body.text }),
        })
        .first();
      const button = item
        .locator('.notification-list-item-buttons-container .monaco-button', { hasText: body.button })
        .first();
      // The bell's "Hide Notifications" hover can lie over the lowest notification's buttons.
      await workbench.mouse.move(0, 0);
      try {
        // The center may be closing from the last read as this one starts: open it again and retry once.
        await button.click({ timeout: 2_500 }).catch(async () => {
          if (!(await workbench.locator('.notifications-center.visible').count()))
            await openNotificationCenter(workbench);
          await button.click({ timeout: 5_000 }).catch(async (error) => {
            // What was there instead, for the failure's reader.
            await workbench.screenshot({ path: join(screenshotDir, 'notification-click-failed.png') }).catch(() => {});
            const shown = await workbench
              .locator('.notifications-center .notification-list-item')
              .allInnerTexts()
              .catch(() => []);
            throw httpError(500, `${errorMessage(error)}; the center shows: ${JSON.stringify(shown)}`);
          });
        });
        log(`browser: notification "${body.text}": clicked ${body.button}`);
        await workbench.waitForTimeout(200);
        return {
          notifications: await workbench
            .locator('.notifications-center .notification-list-item-message')
            .allInnerTexts(),
        };
      } finally {
        if (await workbench.locator('.notifications-center.visible').count())
          await bell.click(BELL_CLICK).catch(() => {});
      }
    },

    // VS Code's quick input (showInputBox / showQuickPick): waits for it, reads its title and prompt, types
    // `value` (when given) and presses `press` (default Enter).
    'POST /workbench/quick-input': async (body) => {
      if (!workbench) throw httpError(503, 'the workbench is not up yet');
      const widget = workbench.locator('.quick-input-widget').first();
      await widget.waitFor({ state: 'visible', timeout: typeof body.timeoutMs === 'number' ? body.timeoutMs : 10_000 });
      // Validation of the initial value shows a moment after the box.
      await workbench.waitForTimeout(200);
      const title = await textOf(widget.locator('.quick-input-title'));
      // The prompt, or the validation message in its place.
      const prompt = await textOf(widget.locator('.quick-input-message'));
      // A quick pick's rows as the person reads them ("label — description"), when asked for.
      let items;
      if (body.items === true) items = await readItems(widget);
      const input = widget.locator('.quick-input-box input').first();
      const value = await input.inputValue().catch(() => '');
      const placeholder = (await input.getAttribute('placeholder').catch(() => null)) ?? '';
      let messageAfterTyping;
      if (typeof body.value === 'string') {
        await input.fill(body.value);
        await workbench.waitForTimeout(300);
        messageAfterTyping = await textOf(widget.locator('.quick-input-message'));
        // The rows left by what was typed (the command palette filtered by a command's name, say).
        if (body.itemsAfterTyping === true) items = await readItems(widget);
      }
      await workbench.keyboard.press(typeof body.press === 'string' ? body.press : 'Enter');
      log(
        `browser: quick input "${title}": ${typeof body.value === 'string' ? `typed ${body.value.length} characters, ` : ''}pressed ${body.press ?? 'Enter'}`,
      );
      // Closed, or already the next box (one box can follow another without the widget ever hiding).
      const shownBefore = `${title}\n${await textOf(widget.locator('.quick-input-message'))}\n${await input.inputValue().catch(() => '')}`;
      const until = Date.now() + (body.expectOpen === true ? 1_000 : 5_000);
      while (Date.now() < until && (await widget.isVisible())) {
        const shown = `${await textOf(widget.locator('.quick-input-title'))}\n${await textOf(widget.locator('.quick-input-message'))}\n${await input.inputValue().catch(() => '')}`;
        if (shown !== shownBefore) break;
        await workbench.waitForTimeout(100);
      }
      const stillOpen = await widget.isVisible();
      return {
        title,
        prompt,
        value,
        placeholder,
        ...(items ? { items } : {}),
        ...(messageAfterTyping !== undefined ? { messageAfterTyping } : {}),
        stillOpen,
      };
    },

    'POST /webview/fill': async (body) => {
      const target = webviewTarget(body);
      await target.fill(stringField(body, 'value'), { timeout: WEBVIEW_WAIT_MS });
      return readWebview(target, body);
    },
    'POST /webview/click': async (body) => {
      const target = webviewTarget(body);
      await target.click({ timeout: WEBVIEW_WAIT_MS });
      return readWebview(target, body);
    },
    'POST /webview/press': async (body) => {
      const target = webviewTarget(body);
      await target.press(stringField(body, 'key'), { timeout: WEBVIEW_WAIT_MS });
      return readWebview(target, body);
    },
    'POST /webview/read': async (body) => readWebview(webviewTarget(body), body),
    'POST /webview/wait': async (body) => {
      const target = webviewTarget(body);
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
      const root = webviewFrame().locator(':root');
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

    'POST /screenshot': async (body) => {
      if (!workbench) throw httpError(503, 'the workbench is not up yet');
      const { name, selector, frame } = body;
      if (typeof name !== 'string' || !/^[\w.-]+$/.test(name)) throw httpError(400, 'name must match [A-Za-z0-9_.-]+');
      mkdirSync(screenshotDir, { recursive: true });
      const path = join(screenshotDir, `${name}.png`);
      // No stray hover (the bell's "Hide Notifications") over the picture.
      await workbench.mouse.move(0, 0);
      await workbench.waitForTimeout(300);
      if (frame === 'webview') {
        if (selector)
          await webviewElementScreenshot(selector, typeof body.padding === 'number' ? body.padding : 0, path);
        else await workbench.locator(WEBVIEW_OUTER).first().screenshot({ path });
      } else if (selector && typeof body.maxHeight === 'number') {
        // The top of a tall element (a sidebar whose list is short).
        const box = await workbench.locator(selector).first().boundingBox();
        if (!box) throw httpError(404, `${selector} is not shown`);
        await workbench.screenshot({ path, clip: { ...box, height: Math.min(box.height, body.maxHeight) } });
      } else if (selector) await workbench.locator(selector).first().screenshot({ path });
      else await workbench.screenshot({ path });
      log(`browser: screenshot ${path}`);
      return { path };
    },
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const proxied = /^\/proxy\/(\d+)(\/.*)?$/.exec(url.pathname);
    if (proxied) {
      // The workbench's localhost rewriting (VSCODE_PROXY_URI): send the browser to the address itself.
      const target = `http://127.0.0.1:${proxied[1]}${proxied[2] ?? '/'}${url.search}`;
      log(`control: proxy → ${redact(target)}`);
      res.writeHead(307, { location: target, 'cache-control': 'no-store' }).end();
      return;
    }
    const route = routes[`${req.method} ${url.pathname}`];
    let status = 200;
    let result;
    try {
      if (!route) throw httpError(404, `no route ${req.method} ${url.pathname}`);
      result = await route(await readJson(req), url.searchParams);
    } catch (e) {
      status = e?.status ?? 500;
      result = { error: errorMessage(e) };
    }
    if (status !== 200 || url.pathname !== '/browser/last') log(`control: ${req.method} ${url.pathname} ${status}`);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(result ?? {}));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());

  return {
    url: `http://127.0.0.1:${port}`,
    /** The phases of the run: whether a test asked for the after-reload phase; startReload() starts it. */
    phases: phases.control,
    /** Hands the browser over once it is up: new pages in the context are watched from now on. */
    attach(browserContext, workbenchPage) {
      context = browserContext;
      workbench = workbenchPage;
      context.on('page', (page) => {
        if (page !== workbench) void onPage(page);
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Keeps a page's last URL and text, so a page that closes itself still reports where it ended. */
function track(page) {
  let url = page.url();
  let text = '';
  let title = '';
  const capture = async () => {
    try {
      // (A string, evaluated in the page.)
      const snapshot = await page.evaluate(
        '({ text: document.body ? document.body.innerText : "", title: document.title })',
      );
      text = snapshot.text;
      title = snapshot.title;
    } catch {
      // navigating or closed: keep what we had
    }
  };
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) url = frame.url();
  });
  page.on('load', () => void capture());
  return {
    async state() {
      if (!page.isClosed()) {
        url = page.url();
        await capture();
      }
      return { url, text, title };
    },
  };
}

/**
 * The run's phases (kept apart from the browser routes): the after-reload work tests registered, and how many
 * OAuth pages opened, in all and since the reload (a restore must not open any).
 */
function phaseState(log) {
  let phase = 'main';
  const afterReload = {};
  let oauthPagesOpened = 0;
  let oauthPagesSinceReload = 0;
  let reloadStartedAt;
  const measurements = [];
  return {
    oauthPageOpened() {
      oauthPagesOpened++;
      oauthPagesSinceReload++;
    },
    routes: {
      'POST /phase/after-reload': async (body) => {
        if (typeof body.name !== 'string' || !body.name) throw httpError(400, 'name is required');
        if (phase !== 'main') throw httpError(409, 'after-reload work must be registered before the reload');
        afterReload[body.name] = body.data ?? null;
        log(`phase: after-reload work registered: ${body.name}`);
        return { ok: true };
      },
      'GET /phase': async () => ({ phase, afterReload, oauthPagesOpened, oauthPagesSinceReload, reloadStartedAt }),
      'POST /measurement': async (body) => {
        if (typeof body.name !== 'string' || typeof body.value !== 'string') {
          throw httpError(400, 'name and value (text) are required');
        }
        measurements.push(`${body.name}: ${body.value}`);
        log(`measurement: ${body.name}: ${body.value}`);
        return { ok: true };
      },
    },
    control: {
      afterReloadRequested: () => Object.keys(afterReload).length > 0,
      startReload() {
        phase = 'after-reload';
        oauthPagesSinceReload = 0;
        reloadStartedAt = Date.now();
      },
      measurements: () => [...measurements],
    },
  };
}

function credentials(body) {
  const { username, password, action } = body;
  if (!['allow', 'deny', 'ignore'].includes(action)) throw httpError(400, "action must be 'allow', 'deny' or 'ignore'");
  if (action !== 'ignore' && (typeof username !== 'string' || typeof password !== 'string')) {
    throw httpError(400, 'username and password are required');
  }
  return { username, password, action };
}

/**
 * The status bar's bell opens and closes the notification center. Clicked without Playwright's wait for the page
 * to settle: toasts animating next to it made each click wait up to seconds.
 */
const BELL_CLICK = { force: true, timeout: 5_000 };

/** Opens the notification center with the bell; a click that met the center's animation is repeated once. */
async function openNotificationCenter(page) {
  const center = page.locator('.notifications-center.visible');
  const bell = page.locator('[id="status.notifications"]').first();
  for (let attempt = 1; ; attempt++) {
    await bell.click(BELL_CLICK);
    try {
      await center.waitFor({ timeout: 2_500 });
      return;
    } catch (error) {
      if (attempt === 2) throw error;
    }
  }
}

/** The trimmed text of the first element a locator finds, or '' when there is none. */
/** A quick pick's rows as the person reads them ("label — description"); [] when none shows within 5 s. */
async function readItems(widget) {
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  if (
    !(await rows
      .first()
      .waitFor({ state: 'visible', timeout: 5_000 })
      .then(
        () => true,
        () => false,
      ))
  )
    return [];
  return rows.evaluateAll((elements) =>
    elements.map((row) => {
      const part = (selector) => row.querySelector(selector)?.textContent?.trim() ?? '';
      const description = part('.label-description');
      return description ? `${part('.label-name')} — ${description}` : part('.label-name');
    }),
  );
}

async function textOf(locator) {
  return (
    await locator
      .first()
      .innerText()
      .catch(() => '')
  ).trim();
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

function httpError(status, message) {
  return Object.assign(new Error(message), { status });
}

function errorMessage(e) {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

/** Query strings of OAuth URLs carry codes and state: keep them out of the logs. */
function redact(url) {
  try {
    const parsed = new URL(url);
    return parsed.search ? `${parsed.origin}${parsed.pathname}?…` : url;
  } catch {
    return url;
  }
}

async function readJson(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw httpError(400, 'the body is not JSON');
  }
}
