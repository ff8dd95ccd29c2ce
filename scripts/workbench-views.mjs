// What the person sees of the extension outside notifications and webviews, read from the workbench's DOM for
// the browser control server (scripts/browser-control.mjs):
//
//   GET  /workbench/tree?name=Accounts[&reveal=label]   { rows: [{label, description, ariaLabel, icon, expanded,
//                                          actions}] }: the rows of the tree view with that name as shown (a long
//                                          list shows only what fits: `reveal` scrolls a row into view first)
//   POST /workbench/tree/action {name, row, action}   hovers the first row whose label contains `row` and clicks
//                                          its inline button named `action` → { rows } (as GET, afterwards)
//   POST /workbench/tree/expand {name, row}   expands the first row whose label contains `row`, if it is collapsed
//   POST /workbench/tree/click {name, row}   clicks the first row whose label contains `row` (runs its command)
//   POST /workbench/tree/menu {name, row}   opens the context menu of the first row whose label contains `row` →
//                                          { entries: [labels in order, '---' between groups] }, then closes it
//   POST /workbench/tree/tooltip {name, row}   hovers the first row whose label contains `row` → { text }: the
//                                          tooltip as shown, one line per paragraph, then moves away
//   GET  /workbench/output               { text }: the lines the Output panel shows (e.g. after "Show Log")
//   POST /workbench/accounts-menu {click?}   opens the Accounts menu (the person icon) → { entries }, then clicks
//                                          the entry containing `click`, or closes it
//   GET  /workbench/status-bar?id=…&hover=1   { text, ariaLabel, hover? }: the status bar entry whose element id
//                                          contains `id`; with hover, the tooltip's text shown on hovering it
//   POST /workbench/palette {command}     runs a command as a person does: F1, its title, Enter
// Each takes `window=second` (query, or a body field) to read the second window (POST /workbench/second-window).

import { join } from 'node:path';

/**
 * @param {(which: string | null | undefined) => import('playwright-core').Page | undefined} workbenchPage
 * @param {(status: number, message: string) => Error} httpError
 * @param {string} screenshotDir where a failed click leaves a picture of what was on the screen
 */
export function workbenchViewRoutes(workbenchPage, httpError, screenshotDir) {
  const pageOf = (which) => {
    const workbench = workbenchPage(which);
    if (!workbench) throw httpError(503, which ? `there is no ${which} window` : 'the workbench is not up yet');
    return workbench;
  };
  const rowsOf = (page, name) => page.locator(`.monaco-list[aria-label="${cssString(name)}"] .monaco-list-row`);

  const rowLabelled = (page, name, label) =>
    rowsOf(page, name)
      .filter({ has: page.locator('.label-name', { hasText: label }) })
      .first();

  /**
   * Scrolls the list until the row whose label contains `label` is wholly in view with room for the row after
   * it (its first child, which callers read too), as a person scrolls with the wheel (the list draws only the
   * rows in view, and scrolls itself: Playwright's scrollIntoView does not reach it). False when no such row
   * turns up.
   */
  async function reveal(page, name, label) {
    const list = page.locator(`.monaco-list[aria-label="${cssString(name)}"]`).first();
    const box = await list.boundingBox({ timeout: 2_000 }).catch(() => null);
    if (!box) return false;
    let direction = 1;
    let lastTop = NaN;
    let centered = false;
    for (let attempt = 0; attempt < 20; attempt++) {
      const target = rowLabelled(page, name, label);
      // A row redrawn meanwhile is looked for again on the next turn, not waited for.
      const row = (await target.count()) ? await target.boundingBox({ timeout: 500 }).catch(() => null) : null;
      const inView = row && row.y >= box.y && row.y + row.height <= box.y + box.height;
      // One turn towards the middle makes room below, unless the list ends there: then in view is enough.
      if (inView && (row.y + 2 * row.height <= box.y + box.height || centered)) return true;
      centered = Boolean(inView);
      const delta = row ? row.y - (box.y + box.height / 2) : direction * box.height * 0.8;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, delta);
      await page.waitForTimeout(100);
      const top = await list.evaluate((element) => element.querySelector('.monaco-list-rows')?.style.top ?? '');
      // At an end of the list without finding it: search the other way.
      if (!row && top === lastTop) direction = -direction;
      lastTop = top;
    }
    return false;
  }

  /** Hovers left open (a status bar tooltip, say) cover what lies under them: move away until they close. */
  async function dismissHovers(page) {
    const hovers = page.locator('.workbench-hover, .monaco-hover').filter({ visible: true });
    for (let attempt = 0; attempt < 20 && (await hovers.count()); attempt++) {
      const editor = await page.locator('.part.editor').first().boundingBox();
      await page.mouse.move(editor ? editor.x + editor.width / 2 : 700, editor ? editor.y + editor.height / 2 : 400);
      await page.keyboard.press('Escape');
      await page.waitForTimeout(150);
    }
  }

  /**
   * Hovers `target` as a person does and reads the hover that opens, one line per paragraph; then puts it away.
   * `showing`: text the hover must contain, so that another hover still up (a status bar entry's) is not read.
   */
  async function hoverText(page, target, showing) {
    await target.hover({ timeout: 5_000 });
    const hover = page
      .locator('.workbench-hover, .monaco-hover')
      .filter({ visible: true, ...(showing ? { hasText: showing } : {}) })
      .first();
    await hover.waitFor({ state: 'visible', timeout: 5_000 });
    const text = (await hover.innerText()).replace(/\n\s*\n/g, '\n').trim();
    // Put the hover away: it would cover what a later step clicks.
    await dismissHovers(page);
    return text;
  }

  async function revealed(page, name, label) {
    if (!(await reveal(page, name, label))) throw httpError(404, `no row "${label}" in the ${name} view`);
    return rowLabelled(page, name, label);
  }

  /** The context menu open now: its entries in order ('---' between groups). */
  async function readMenu(page) {
    const menu = page.locator('.context-view .monaco-menu').first();
    await menu.waitFor({ state: 'visible', timeout: 5_000 });
    const entries = await menu
      .locator('.action-item')
      .evaluateAll((items) =>
        items.map((item) =>
          item.classList.contains('disabled') && item.querySelector('.action-label.separator')
            ? '---'
            : (item.querySelector('.action-label')?.textContent ?? '').trim(),
        ),
      );
    return { menu, entries: entries.filter((entry) => entry !== '') };
  }

  async function readTree(page, name) {
    if (!name) throw httpError(400, 'name is required (the tree view’s name, e.g. "Accounts")');
    return {
      rows: await rowsOf(page, name).evaluateAll((rows) =>
        rows.map((row) => ({
          label: row.querySelector('.label-name')?.textContent ?? '',
          description: row.querySelector('.label-description')?.textContent ?? '',
          ariaLabel: row.getAttribute('aria-label') ?? '',
          // The codicon the row shows ("pass-filled"), or '' for none.
          icon:
            /codicon-([\w-]+)/.exec(row.querySelector('.custom-view-tree-node-item-icon')?.className ?? '')?.[1] ?? '',
          expanded: row.getAttribute('aria-expanded') ?? undefined,
          actions: [...row.querySelectorAll('.actions .action-label')].map(
            (action) => action.getAttribute('aria-label') ?? action.getAttribute('title') ?? '',
          ),
        })),
      ),
    };
  }

  return {
    'GET /workbench/tree': async (_body, query) => {
      const page = pageOf(query.get('window'));
      const name = query.get('name') ?? '';
      if (query.get('reveal')) await reveal(page, name, query.get('reveal'));
      return readTree(page, name);
    },

    'POST /workbench/tree/action': async (body) => {
      const { name, row, action } = body;
      if (typeof name !== 'string' || typeof row !== 'string' || typeof action !== 'string')
        throw httpError(400, 'name, row and action are required');
      const page = pageOf(body.window);
      // Inline buttons show while the pointer is over the row (or the row is selected); a row drawn anew under a
      // pointer that did not move hides them until it moves again: move, hover, click, as a person would.
      let failure;
      for (let attempt = 0; attempt < 5; attempt++) {
        await dismissHovers(page);
        const target = await revealed(page, name, row);
        await target.hover({ timeout: 5_000 });
        failure = await target
          .locator(`.actions .action-label[aria-label="${cssString(action)}"]`)
          .first()
          // The row redraws every second while it counts down, its buttons anew each time: a click waiting for the
          // button to hold still would wait for ever. A person clicks where it is; so does this (force).
          .click({ timeout: 1_500, force: true })
          .then(
            () => undefined,
            (error) => error,
          );
        if (!failure) break;
      }
      if (failure) {
        await page.screenshot({ path: join(screenshotDir, 'tree-action-failed.png') }).catch(() => {});
        throw failure;
      }
      await page.waitForTimeout(200);
      return readTree(page, name);
    },

    'POST /workbench/palette': async (body) => {
      if (typeof body.command !== 'string') throw httpError(400, 'command is required (its title in the palette)');
      const page = pageOf(body.window);
      await page.bringToFront();
      const input = page.locator('.quick-input-widget input').first();
      // A window still restoring may swallow the first F1: ask again until the palette shows.
      for (let attempt = 0; !(await input.isVisible()); attempt++) {
        if (attempt === 10) throw httpError(500, 'the command palette did not open');
        await page.locator('.monaco-workbench').click({ position: { x: 600, y: 300 } });
        await page.keyboard.press('F1');
        await page.waitForTimeout(500);
      }
      await input.fill(`>${body.command}`);
      await page
        .locator('.quick-input-widget .monaco-list-row', { hasText: body.command })
        .first()
        .waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      await page.waitForTimeout(300);
      return { ok: true };
    },

    'POST /workbench/tree/expand': async (body) => {
      const { name, row } = body;
      if (typeof name !== 'string' || typeof row !== 'string') throw httpError(400, 'name and row are required');
      const page = pageOf(body.window);
      await dismissHovers(page);
      // A row redrawn while it is clicked (its account renewing, its rooms arriving) can miss the click: look
      // again, and click again, until it is open.
      for (let attempt = 1; attempt <= 3; attempt++) {
        const target = await revealed(page, name, row);
        if ((await target.getAttribute('aria-expanded')) !== 'false') break;
        await target.locator('.monaco-tl-twistie').click({ timeout: 5_000 });
        await page.waitForTimeout(300);
      }
      return readTree(page, name);
    },

    'POST /workbench/tree/click': async (body) => {
      const { name, row } = body;
      if (typeof name !== 'string' || typeof row !== 'string') throw httpError(400, 'name and row are required');
      const page = pageOf(body.window);
      await dismissHovers(page);
      await (await revealed(page, name, row)).locator('.label-name').first().click({ timeout: 5_000 });
      return {};
    },

    'POST /workbench/tree/menu': async (body) => {
      const { name, row } = body;
      if (typeof name !== 'string' || typeof row !== 'string') throw httpError(400, 'name and row are required');
      const page = pageOf(body.window);
      await dismissHovers(page);
      const target = await revealed(page, name, row);
      await target.click({ button: 'right', timeout: 5_000 });
      const { entries } = await readMenu(page);
      await page.keyboard.press('Escape');
      return { entries };
    },

    'POST /workbench/tree/tooltip': async (body) => {
      const { name, row } = body;
      if (typeof name !== 'string' || typeof row !== 'string') throw httpError(400, 'name and row are required');
      const page = pageOf(body.window);
      await dismissHovers(page);
      const label = (await revealed(page, name, row)).locator('.label-name').first();
      return { text: await hoverText(page, label, row) };
    },

    // The Output panel's visible lines (the channel shown last, e.g. after "Show Log").
    'GET /workbench/output': async (_body, query) => {
      const page = pageOf(query.get('window'));
      const lines = page.locator('.part.panel .output-view .view-lines').first();
      await lines.waitFor({ state: 'visible', timeout: 10_000 });
      // Monaco draws spaces as no-break spaces.
      return { text: (await lines.innerText()).replaceAll('\u00a0', ' ') };
    },

    'POST /workbench/accounts-menu': async (body) => {
      const page = pageOf(body.window);
      await dismissHovers(page);
      // "Accounts", or "Accounts - Sign in requested" while an extension waits for a sign-in.
      await page.locator('.activitybar .action-item[aria-label^="Accounts"]').first().click({ timeout: 5_000 });
      const { menu, entries } = await readMenu(page);
      if (typeof body.click === 'string') {
        const click = body.click;
        await menu.locator('.action-item .action-label').filter({ hasText: click }).first().click({ timeout: 5_000 });
      } else {
        await page.keyboard.press('Escape');
      }
      return { entries };
    },

    'GET /workbench/status-bar': async (_body, query) => {
      const id = query.get('id');
      if (!id) throw httpError(400, 'id is required (part of the entry’s element id)');
      const page = pageOf(query.get('window'));
      const entry = page.locator(`.statusbar-item[id*="${cssString(id)}"]`).first();
      await entry.waitFor({ state: 'attached', timeout: 5_000 });
      const result = {
        text: (await entry.innerText()).trim(),
        ariaLabel: (await entry.getAttribute('aria-label')) ?? '',
      };
      if (query.get('hover') !== '1') return result;
      return { ...result, hover: await hoverText(page, entry) };
    },
  };
}

/** A value for a CSS attribute selector in double quotes. */
function cssString(value) {
  return String(value).replace(/["\\]/g, '\\$&');
}
