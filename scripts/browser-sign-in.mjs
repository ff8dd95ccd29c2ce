// The person at the browser for sign-ins, for the browser control server (scripts/browser-control.mjs): pages
// that open on the OAuth server are signed in and allowed or denied as a test asked beforehand.
//
//   POST /browser/expect {username, password, action, keepSession?}   arm: the next page opening on the OAuth
//                                    server's origin is signed in (when it shows form#login) and allowed / denied
//                                    ('ignore': left open). Unless keepSession, the browser first forgets its OAuth
//                                    session, so the login form appears.
//   GET  /browser/last[?wait=ms]     { last, pending }: the last driven page's final {url, text, title, action,
//                                    steps, error?}; with wait, first waits until nothing armed is still pending
//   POST /browser/device {verificationUri, userCode, username, password, action, keepSession?}   device flow,
//                                    page by page
//   POST /browser/run {url}          opens a URL in a new page, returns its final {url, text, title}
import { errorMessage, httpError, redact } from './control-http.mjs';

const STEP_TIMEOUT_MS = 20_000;
const SETTLE_MAX_MS = 20_000;
const SETTLE_QUIET_MS = 1_500;
/** How long a page that opened must take at most to reach the OAuth server to count as a sign-in page. */
const OAUTH_PAGE_WAIT_MS = 30_000;
/** Driven pages stay open a moment after their final state (their scripts may still hand over a callback). */
const CLOSE_DELAY_MS = 3_000;

/**
 * @param {{
 *   oauthIssuer: string,
 *   log: (line: string) => void,
 *   context: () => import('playwright-core').BrowserContext | undefined,
 *   isOwnPage: (page: import('playwright-core').Page) => boolean,
 *   newOwnPage: () => Promise<import('playwright-core').Page>,
 *   onOAuthPage: () => void,
 * }} options  isOwnPage: pages the harness opened itself (never taken for sign-in popups); newOwnPage opens
 *   one; onOAuthPage: called for each sign-in page that opens
 * @returns {{ routes: Record<string, Function>, onPage: (page: import('playwright-core').Page) => Promise<void> }}
 *   onPage: to be called with each new page of the context
 */
export function browserSignIn({ oauthIssuer, log, context, isOwnPage, newOwnPage, onOAuthPage }) {
  const oauthOrigin = new URL(oauthIssuer).origin;
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
      if (!isOwnPage(page) && !page.isClosed()) log(`browser: a page opened outside the OAuth server: ${page.url()}`);
      return;
    }
    if (isOwnPage(page)) return;
    log(`browser: OAuth page opened: ${redact(page.url())}`);
    onOAuthPage();
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
          // A device-flow page opened without the code in its address: the person pastes the code.
          if (expectation.userCode) {
            await enterUserCode(page, expectation.userCode, steps);
            await confirmDevice(page, steps);
          }
          await signInAndConsent(page, expectation, steps);
          await settle(page);
        }
      } catch (e) {
        error = errorMessage(e);
      }
      finish('sign-in', page, expectation, { ...(await tracker.state()), steps, error });
    })();
    inFlight.add(job);
    job.finally(() => {
      inFlight.delete(job);
      notifyIdle();
    });
    return job;
  }

  /** Keeps where a driven page ended (GET /browser/last), logs it, and closes the page unless it is left open. */
  function finish(what, page, expectation, { url, text, title, steps, error }) {
    last = { url, text, title, action: expectation.action, steps, ...(error ? { error } : {}) };
    log(
      `browser: ${what} page ${expectation.action}: ${steps.join(', ') || '-'} → ${redact(last.url)}${error ? ` (error: ${error})` : ''}`,
    );
    if (expectation.action !== 'ignore') closeLater(page);
    return last;
  }

  /**
   * Signs the browser out of the OAuth server (its session and interaction cookies), so that the next sign-in
   * page asks for the credentials given, not continues as whoever signed in before. Cookies are per host, not
   * per port: the workbench's cookies on 127.0.0.1 are kept by name.
   */
  async function forgetOAuthSession() {
    const browser = context();
    if (!browser) return;
    const names = new Set(
      (await browser.cookies(oauthIssuer)).map((c) => c.name).filter((n) => /^_(session|interaction)/.test(n)),
    );
    for (const name of names) await browser.clearCookies({ name, domain: new URL(oauthIssuer).hostname });
  }

  const routes = {
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
        await enterUserCode(page, userCode, steps);
        if (expectation.action === 'ignore') steps.push('left open');
        else {
          await confirmDevice(page, steps);
          await signInAndConsent(page, expectation, steps);
          await settle(page);
        }
      } catch (e) {
        error = errorMessage(e);
      }
      return finish('device', page, expectation, { ...(await tracker.state()), steps, error });
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
  };

  return { routes, onPage };
}

/** On the OAuth server: log in when asked, then allow or deny on the consent page. */
/** A device-flow page: enters the code where the page asks for one (a page with the code in its address does not). */
async function enterUserCode(page, userCode, steps) {
  const codeInput = page.locator('input[name="user_code"]');
  await page
    .locator('input[name="user_code"], button[form="op.deviceConfirmForm"]')
    .first()
    .waitFor({ timeout: STEP_TIMEOUT_MS });
  if (!(await codeInput.count())) return;
  await codeInput.fill(userCode);
  await page.locator('button[type=submit][form="op.deviceInputForm"]').first().click();
  steps.push('code entered');
  await page.locator('button[form="op.deviceConfirmForm"], p.error').first().waitFor({ timeout: STEP_TIMEOUT_MS });
  if (!(await page.locator('button[form="op.deviceConfirmForm"]').count())) {
    throw new Error(
      `code refused: ${await page
        .locator('p.error')
        .first()
        .innerText()
        .catch(() => '')}`,
    );
  }
}

/** A device-flow page showing the code: confirms it is the one the device shows. */
async function confirmDevice(page, steps) {
  await page.locator('button[type=submit][form="op.deviceConfirmForm"]').first().click();
  steps.push('device confirmed');
}

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

function closeLater(page) {
  setTimeout(() => page.close().catch(() => {}), CLOSE_DELAY_MS).unref();
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

function credentials(body) {
  const { username, password, action, userCode } = body;
  if (!['allow', 'deny', 'ignore'].includes(action)) throw httpError(400, "action must be 'allow', 'deny' or 'ignore'");
  if (action !== 'ignore' && (typeof username !== 'string' || typeof password !== 'string')) {
    throw httpError(400, 'username and password are required');
  }
  if (userCode !== undefined && typeof userCode !== 'string') throw httpError(400, 'userCode must be a string');
  return { username, password, action, ...(userCode ? { userCode } : {}) };
}
