// What the workbench asks the person, read and answered from its DOM for the browser control server
// (scripts/browser-control.mjs): notifications, modal dialogs and the quick input.
//
//   GET  /workbench/notifications    { notifications: string[] }: the messages in the notification center
//   GET  /workbench/dialog           { dialog?: {text, buttons} }: the modal dialog shown, if any
//   POST /workbench/dialog {press?, button?}   presses a key / clicks a dialog button, then as GET
//   POST /workbench/notification {text, button}   clicks a button of the notification whose message contains
//                                    text → { notifications } (as GET, afterwards)
//   POST /workbench/quick-input {value?, press?, timeoutMs?, items?, itemsAfterTyping?, expectOpen?}   answers
//                                    the quick input shown: types value, presses press (default Enter) → { title,
//                                    prompt (or the validation message), value (before typing), placeholder,
//                                    items?, messageAfterTyping?, stillOpen } (expectOpen: true waits only 1 s for
//                                    it to close)
import { join } from 'node:path';
import { errorMessage, httpError } from './control-http.mjs';

/**
 * The status bar's bell opens and closes the notification center. Clicked without Playwright's wait for the page
 * to settle: toasts animating next to it made each click wait up to seconds.
 */
const BELL_CLICK = { force: true, timeout: 5_000 };

/**
 * @param {() => import('playwright-core').Page} workbenchPage  the workbench page (throws while there is none)
 * @param {(line: string) => void} log
 * @param {string} screenshotDir where a failed click leaves a picture of what was on the screen
 */
export function workbenchNotificationRoutes(workbenchPage, log, screenshotDir) {
  return {
    // Notifications: opens the notification center for a moment (toasts hide themselves after a while; the
    // center lists them all), reads each message, and closes it again.
    'GET /workbench/notifications': async () => {
      const workbench = workbenchPage();
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
    'GET /workbench/dialog': async () => ({ dialog: await readDialog(workbenchPage()) }),
    'POST /workbench/dialog': async (body) => {
      const workbench = workbenchPage();
      if (typeof body.button === 'string') {
        await workbench
          .locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: body.button })
          .first()
          .click({ timeout: 5_000 });
      }
      if (typeof body.press === 'string') await workbench.keyboard.press(body.press);
      if (body.button || body.press) await workbench.waitForTimeout(200);
      return { dialog: await readDialog(workbench) };
    },

    'POST /workbench/notification': async (body) => {
      const workbench = workbenchPage();
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
      const workbench = workbenchPage();
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
  };
}

async function readDialog(workbench) {
  const box = workbench.locator('.monaco-dialog-box').first();
  if (!(await box.isVisible().catch(() => false))) return undefined;
  const text = (await box.locator('.dialog-message-text, .dialog-message-detail').allInnerTexts()).join('\n');
  const buttons = await box.locator('.dialog-buttons .monaco-button').allInnerTexts();
  return { text, buttons };
}

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

/** The trimmed text of the first element a locator finds, or '' when there is none. */
async function textOf(locator) {
  return (
    await locator
      .first()
      .innerText()
      .catch(() => '')
  ).trim();
}
