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

async function call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const base = harnessUrl();
  if (!base)
    throw new Error(
      'MATRIX_HARNESS_URL is not set: browser control needs the code-server harness (npm run test:extension)',
    );
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
 * Resolves once armed; the page is driven in the background. Read the outcome with `lastBrowserPage`. With
 * `userCode`, a device-flow page that asks for the code gets it typed first (the person pasting it).
 */
export async function expectBrowserSignIn(
  options: Credentials & { action: BrowserAction; userCode?: string },
): Promise<void> {
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
 * test-results/screenshots/<name>.png and returns its path. An element in the webview is taken whole, with
 * `padding` pixels of the page around it (the browser window grows for a moment when it is taller than the panel).
 */
export async function screenshot(
  name: string,
  options: { selector?: string; frame?: 'webview'; padding?: number; maxHeight?: number } = {},
): Promise<string> {
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
export async function workbenchDialog(
  options: { press?: string; button?: string } = {},
): Promise<WorkbenchDialog | undefined> {
  const acting = options.press !== undefined || options.button !== undefined;
  const { dialog } = await call<{ dialog?: WorkbenchDialog }>(
    acting ? 'POST' : 'GET',
    '/workbench/dialog',
    acting ? options : undefined,
  );
  return dialog;
}

/**
 * Clicks a button of the notification whose message contains `text` (in the notification center, so a toast
 * that hid itself counts too); returns the messages left afterwards. For extension questions that fall back
 * from a refused modal dialog to a notification.
 */
export async function clickNotificationButton(text: string, button: string): Promise<string[]> {
  const { notifications } = await call<{ notifications: string[] }>('POST', '/workbench/notification', {
    text,
    button,
  });
  return notifications;
}

/** What a quick input showed, as `answerQuickInput` read it. */
export interface QuickInputSeen {
  title: string;
  /** The prompt, or the validation message shown in its place. */
  prompt: string;
  /** The text in the box before anything was typed. */
  value: string;
  /** The grey hint in the empty box. */
  placeholder: string;
  /** A quick pick's rows ("label — description"), when asked for with `items`. */
  items?: string[];
  /** The prompt or validation message once `value` was typed. */
  messageAfterTyping?: string;
  /** Still open after the key was pressed (e.g. Enter on text that does not validate). */
  stillOpen: boolean;
}

/**
 * Answers the quick input the extension shows (an input box or a quick pick): types `value` and presses Enter (or
 * `press`), and says what the person saw on the way. `expectOpen` when the box should stay (it then waits only a
 * moment for it to close).
 */
export async function answerQuickInput(options: {
  value?: string;
  press?: string;
  timeoutMs?: number;
  items?: boolean;
  /** The rows left after typing `value` (into the command palette, say), in `items`. */
  itemsAfterTyping?: boolean;
  expectOpen?: boolean;
}): Promise<QuickInputSeen> {
  return call<QuickInputSeen>('POST', '/workbench/quick-input', options);
}

/** A tree view row as shown: label, description, its screen-reader label and the names of its inline buttons. */
export interface TreeRow {
  label: string;
  description: string;
  ariaLabel: string;
  /** The codicon shown before the label ("pass-filled" for a connected account), '' for none. */
  icon: string;
  actions: string[];
  /** 'true' / 'false' for a row with children; absent for a leaf. */
  expanded?: string;
}

/** Which window to read: the one running the tests, or the second one (openSecondWindow). */
export interface WindowOption {
  window?: 'second';
}

/**
 * The rows of the tree view named `name` (e.g. "Accounts") that the workbench shows; a long list shows only what
 * fits, so `reveal` first scrolls the row whose label contains it into view.
 */
export async function workbenchTree(
  name: string,
  options: WindowOption & { reveal?: string } = {},
): Promise<TreeRow[]> {
  const which = `${options.window ? `&window=${options.window}` : ''}${options.reveal ? `&reveal=${encodeURIComponent(options.reveal)}` : ''}`;
  const { rows } = await call<{ rows: TreeRow[] }>('GET', `/workbench/tree?name=${encodeURIComponent(name)}${which}`);
  return rows;
}

/**
 * Opens a second VS Code window on the same workspace, in the same browser profile: its own extension host runs
 * the extension (not the tests). Read it with `{ window: 'second' }`.
 */
export async function openSecondWindow(): Promise<void> {
  await call('POST', '/workbench/second-window');
}

/** Runs a command from the command palette (F1, its title, Enter), as a person would. */
export async function runFromPalette(command: string, options: WindowOption = {}): Promise<void> {
  await call('POST', '/workbench/palette', { command, ...options });
}

export async function closeSecondWindow(): Promise<void> {
  await call('DELETE', '/workbench/second-window');
}

/** Clicks the inline button `action` of the first row whose label contains `row`; returns the rows afterwards. */
export async function clickTreeAction(name: string, row: string, action: string): Promise<TreeRow[]> {
  const { rows } = await call<{ rows: TreeRow[] }>('POST', '/workbench/tree/action', { name, row, action });
  return rows;
}

/** Clicks a tree row (its label), as a person does to run what the row does. */
export async function clickTreeRow(name: string, row: string): Promise<void> {
  await call('POST', '/workbench/tree/click', { name, row });
}

/** The context menu of a tree row as shown: its entries in order, '---' between groups. */
export async function treeRowMenu(name: string, row: string): Promise<string[]> {
  const { entries } = await call<{ entries: string[] }>('POST', '/workbench/tree/menu', { name, row });
  return entries;
}

/** A tree row's tooltip as the person sees it on hovering the row (whose label contains `row`), a line a paragraph. */
export async function treeRowTooltip(name: string, row: string): Promise<string[]> {
  const { text } = await call<{ text: string }>('POST', '/workbench/tree/tooltip', { name, row });
  return text.split('\n');
}

/** The lines the Output panel shows now (the log after "Show Log", say). */
export async function workbenchOutput(): Promise<string> {
  return (await call<{ text: string }>('GET', '/workbench/output')).text;
}

/** The Accounts menu's entries (the person icon), then clicks the one containing `click`, or closes it. */
export async function accountsMenu(options: { click?: string } = {}): Promise<string[]> {
  return (await call<{ entries: string[] }>('POST', '/workbench/accounts-menu', options)).entries;
}

/** Expands the first row whose label contains `row` (when collapsed), as a click on its chevron does. */
export async function expandTreeRow(name: string, row: string, options: WindowOption = {}): Promise<TreeRow[]> {
  const { rows } = await call<{ rows: TreeRow[] }>('POST', '/workbench/tree/expand', { name, row, ...options });
  return rows;
}

/** A status bar entry (its element id contains `id`) as shown; with `hover`, also its tooltip's text. */
export async function workbenchStatusBar(
  id: string,
  options: { hover?: boolean } & WindowOption = {},
): Promise<{ text: string; ariaLabel: string; hover?: string }> {
  const query = `${options.hover ? '&hover=1' : ''}${options.window ? `&window=${options.window}` : ''}`;
  return call('GET', `/workbench/status-bar?id=${encodeURIComponent(id)}${query}`);
}

/** What the harness saw of the first element matching a selector in the active webview. */
export interface WebviewElement {
  /** How many elements match (0: none; then visible is false and text ''). */
  count: number;
  visible: boolean;
  /** innerText. */
  text: string;
  /** The attribute asked for; null when the element lacks it. */
  attribute?: string | null;
  /** The DOM property asked for (e.g. `value`, `checked`). */
  property?: unknown;
}

export interface WebviewWait {
  /** Default 'visible'. */
  state?: 'attached' | 'detached' | 'visible' | 'hidden';
  /** Wait until this attribute has `value` (null or omitted: until it is absent). */
  attribute?: string;
  value?: string | null;
  /** Wait until the element's text contains this. */
  text?: string;
  /** Default 15 s. */
  timeoutMs?: number;
}

/**
 * Playwright inside the active webview (the extension's page in the workbench's nested frames): the suite
 * runs in the extension host and cannot reach a webview's DOM itself. Selectors are Playwright's; CSS pierces
 * open shadow roots, so `#homeserver input` is the <input> inside the toolkit's text field.
 */
export const webview = {
  /** Fills an input (clears it, types the value; the page sees input events). */
  fill: (selector: string, value: string) => call<WebviewElement>('POST', '/webview/fill', { selector, value }),
  click: (selector: string) => call<WebviewElement>('POST', '/webview/click', { selector }),
  /** Focuses the element and presses a key (Playwright key names: 'Enter', 'ArrowDown'…). */
  press: (selector: string, key: string) => call<WebviewElement>('POST', '/webview/press', { selector, key }),
  read: (selector: string, options: { attribute?: string; property?: string } = {}) =>
    call<WebviewElement>('POST', '/webview/read', { selector, ...options }),
  /** Waits for a state, an attribute value or a text; rejects (with what it saw last) on timeout. */
  wait: (selector: string, options: WebviewWait = {}) =>
    call<WebviewElement>('POST', '/webview/wait', { selector, ...options }),
  /** The whole page as HTML, with open shadow roots and the live values of inputs (`data-live-value`). */
  html: async () => (await call<{ html: string }>('GET', '/webview/html')).html,
};

/** GET /health: the harness answers (used by the smoke test). */
export async function harnessHealth(): Promise<{ ok: boolean; workbench: string }> {
  return call('GET', '/health');
}

// ---- Phases: work for after a window reload (scripts/extension-tests.mjs, phaseState in browser-control.mjs) ----

export interface HarnessPhase {
  phase: 'main' | 'after-reload';
  /** What the main phase's tests registered for after the reload, by name. */
  afterReload: Record<string, unknown>;
  /** OAuth pages that opened in the browser during the run, and since the reload. */
  oauthPagesOpened: number;
  oauthPagesSinceReload: number;
  /** When the harness started reloading the workbench (epoch ms; the same clock as the extension host's). */
  reloadStartedAt?: number;
}

/**
 * Asks the harness to reload the workbench once the main suite has run (same browser profile and user data,
 * so the same SecretStorage and settings) and to run the after-reload suite (test/extension/suite-after-reload/),
 * which reads `data` back with `harnessPhase()`.
 */
export async function registerAfterReload(name: string, data: unknown): Promise<void> {
  await call('POST', '/phase/after-reload', { name, data });
}

export async function harnessPhase(): Promise<HarnessPhase> {
  return call<HarnessPhase>('GET', '/phase');
}

/** Reports a number the test measured (printed with the run's timings; never asserted). */
export async function reportMeasurement(name: string, value: string): Promise<void> {
  await call('POST', '/measurement', { name, value });
}
