/**
 * Client of the harness's browser control server (scripts/browser-control.mjs), for suite tests running in
 * the extension host. The harness drives a real Chromium with Playwright; a test asks it to act like a person
 * at that browser: sign in and consent on the OAuth server's pages, enter a device code, open a URL, take a
 * screenshot, read the workbench's notifications. The server's URL arrives as $MATRIX_HARNESS_URL (absent when
 * the suite runs in desktop VS Code); $MATRIX_USER_DATA_DIR names code-server's user data directory.
 */
import type { BedInfo } from '../bed/bed.ts';

export type BrowserAction = 'allow' | 'deny' | 'ignore';

/** What a driven (or opened) page finally showed. */
export interface PageState {
  url: string;
  text: string;
  title: string;
}

/** The outcome of one `expectBrowserSignIn` / `deviceSignIn`. */
export interface DrivenPage extends PageState {
  action: BrowserAction;
  /** What the harness did, in order (e.g. "login form submitted", "consent: allow"). */
  steps: string[];
  /** Set when the page did not go as expected (no login form, a closed page…). */
  error?: string;
}

export interface Credentials {
  username: string;
  password: string;
  /**
   * Keep the browser's OAuth session (whoever signed in before) instead of forgetting it first; then the
   * login form may not appear and the consent page comes straight away.
   */
  keepSession?: boolean;
}

/** The harness URL, or undefined outside the code-server harness. */
export function harnessUrl(): string | undefined {
  return process.env.MATRIX_HARNESS_URL || undefined;
}

/** The test bed this run uses (JSON in $MATRIX_BED). */
export function bedInfo(): BedInfo {
  const raw = process.env.MATRIX_BED;
  if (!raw) throw new Error('MATRIX_BED is not set: run the extension tests through "npm run test:extension"');
  return JSON.parse(raw) as BedInfo;
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const base = harnessUrl();
  if (!base) throw new Error('MATRIX_HARNESS_URL is not set: browser control needs the code-server harness (npm run test:extension)');
  const response = await fetch(new URL(path, base), {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = { error: text };
  }
  if (!response.ok) {
    throw new Error(`harness ${method} ${path}: ${response.status} ${(data as { error?: string }).error ?? text}`);
  }
  return data as T;
}

/**
 * Arms the browser: the next page that opens on the OAuth server (e.g. through `env.openExternal`) is signed
 * in with these credentials (when it shows a login form) and then allowed or denied; 'ignore' leaves it open.
 * Resolves once armed; the page is driven in the background. Read the outcome with `lastBrowserPage`.
 */
export async function expectBrowserSignIn(options: Credentials & { action: BrowserAction }): Promise<void> {
  await call('POST', '/browser/expect', options);
}

/**
 * The final state of the last page the harness drove. With `waitMs`, first waits (up to that long) until every
 * armed expectation has been driven to its end.
 */
export async function lastBrowserPage(options: { waitMs?: number } = {}): Promise<DrivenPage | undefined> {
  const query = options.waitMs ? `?wait=${options.waitMs}` : '';
  const { last } = await call<{ last?: DrivenPage }>('GET', `/browser/last${query}`);
  return last;
}

/** Device authorization grant: a person opens the verification URI, enters the code, signs in and consents. */
export async function deviceSignIn(
  options: Credentials & { verificationUri: string; userCode: string; action: BrowserAction },
): Promise<DrivenPage> {
  return call<DrivenPage>('POST', '/browser/device', options);
}

/**
 * Opens a URL in a new tab of the workbench's browser profile and returns where it ended up. Use it for the
 * URLs `env.asExternalUri` returns: the workbench forwards them to the extension's URI handler.
 */
export async function openInBrowser(url: string): Promise<PageState> {
  return call<PageState>('POST', '/browser/run', { url });
}

/**
 * Saves a PNG of the workbench (or of one element; `frame: 'webview'` looks inside the active webview) to
 * test-results/screenshots/<name>.png and returns its path.
 */
export async function screenshot(name: string, options: { selector?: string; frame?: 'webview' } = {}): Promise<string> {
  const { path } = await call<{ path: string }>('POST', '/screenshot', { name, ...options });
  return path;
}

/**
 * The messages of every notification the workbench holds (the harness reads its notification center, so toasts
 * that already hid themselves count too).
 */
export async function workbenchNotifications(): Promise<string[]> {
  const { notifications } = await call<{ notifications: string[] }>('GET', '/workbench/notifications');
  return notifications;
}

export interface WorkbenchDialog {
  /** Message and detail. */
  text: string;
  buttons: string[];
}

/**
 * The workbench's modal dialog, if one is shown; with `press` (a Playwright key, e.g. 'Escape') or `button`
 * (a label), first acts on it. NB: while extension tests run, VS Code refuses dialogs (`DialogService.prompt`
 * throws "refused to show dialog in tests", `confirm` answers yes), so an extension's modal
 * `showInformationMessage` never shows up here: show what a test must read in a notification instead.
 */
export async function workbenchDialog(options: { press?: string; button?: string } = {}): Promise<WorkbenchDialog | undefined> {
  const acting = options.press !== undefined || options.button !== undefined;
  const { dialog } = await call<{ dialog?: WorkbenchDialog }>(acting ? 'POST' : 'GET', '/workbench/dialog', acting ? options : undefined);
  return dialog;
}

/** GET /health: the harness answers (used by the smoke test). */
export async function harnessHealth(): Promise<{ ok: boolean; workbench: string }> {
  return call('GET', '/health');
}
