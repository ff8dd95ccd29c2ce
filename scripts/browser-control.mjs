// The harness's browser control server: tests in the extension host cannot drive Playwright, but real sign-ins
// need a person at a real browser. This small HTTP API (JSON, 127.0.0.1 only) lets a test ask the harness to be
// that person, in the same Chromium profile as the workbench (client: test/extension/harness.ts).
//
//   GET  /health                     { ok, workbench }
//   POST /screenshot {name, selector?, frame?: 'webview', padding?, maxHeight?}   PNG of the workbench (or an
//                                    element: with maxHeight, only its top maxHeight px; in the webview, all of it
//                                    plus `padding` px around, the window grown to fit) → { path }
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
// The other routes, each module documenting its own:
//   /browser/*                       sign-in pages on the OAuth server, driven as a test armed them
//                                    (scripts/browser-sign-in.mjs)
//   /workbench/notifications, /workbench/notification, /workbench/dialog, /workbench/quick-input: what the
//                                    workbench asks the person (scripts/workbench-notifications.mjs)
//   /workbench/tree…, /workbench/status-bar, /workbench/output, /workbench/accounts-menu, /workbench/palette: tree
//                                    views, the status bar and more as shown (scripts/workbench-views.mjs);
//                                    `window=second` reads the second window
//   /webview/*                       inside the active webview (scripts/webview-routes.mjs)
import { createServer } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { browserSignIn } from './browser-sign-in.mjs';
import { errorMessage, httpError, redact } from './control-http.mjs';
import { screenshotWebview, webviewRoutes } from './webview-routes.mjs';
import { workbenchNotificationRoutes } from './workbench-notifications.mjs';
import { workbenchViewRoutes } from './workbench-views.mjs';

/**
 * @param {{ oauthIssuer: string, screenshotDir: string, log: (line: string) => void }} options
 */
export async function startBrowserControl({ oauthIssuer, screenshotDir, log }) {
  /** @type {import('playwright-core').BrowserContext | undefined} */
  let context;
  /** @type {import('playwright-core').Page | undefined} */
  let workbench;
  /** @type {import('playwright-core').Page | undefined} */
  let secondWindow;
  /** Pages the harness opened itself (never taken for sign-in popups). */
  const ownPages = new WeakSet();

  async function newOwnPage() {
    if (!context) throw httpError(503, 'the browser is not up yet');
    const page = await context.newPage();
    ownPages.add(page);
    return page;
  }

  /** The workbench page: 503 until the browser is up. */
  function requireWorkbench() {
    if (!workbench) throw httpError(503, 'the workbench is not up yet');
    return workbench;
  }

  const phases = phaseState(log);
  const signIn = browserSignIn({
    oauthIssuer,
    log,
    context: () => context,
    isOwnPage: (page) => ownPages.has(page),
    newOwnPage,
    onOAuthPage: phases.oauthPageOpened,
  });
  const routes = {
    ...phases.routes,
    ...signIn.routes,
    ...workbenchNotificationRoutes(requireWorkbench, log, screenshotDir),
    ...workbenchViewRoutes((which) => (which === 'second' ? secondWindow : workbench), httpError, screenshotDir),
    ...webviewRoutes(requireWorkbench),

    // A second VS Code window on the same workspace, in the same browser profile (its own extension host, with
    // the extension under test but not the tests): what a person gets from File > New Window.
    'POST /workbench/second-window': async () => {
      const workbench = requireWorkbench();
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

    'POST /screenshot': async (body) => {
      const workbench = requireWorkbench();
      const { name, selector, frame } = body;
      if (typeof name !== 'string' || !/^[\w.-]+$/.test(name)) throw httpError(400, 'name must match [A-Za-z0-9_.-]+');
      mkdirSync(screenshotDir, { recursive: true });
      const path = join(screenshotDir, `${name}.png`);
      // No stray hover (the bell's "Hide Notifications") over the picture.
      await workbench.mouse.move(0, 0);
      await workbench.waitForTimeout(300);
      if (frame === 'webview')
        await screenshotWebview(workbench, path, selector, typeof body.padding === 'number' ? body.padding : 0);
      else if (selector && typeof body.maxHeight === 'number') {
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
        if (page !== workbench) void signIn.onPage(page);
      });
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
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
