// What the person sees of the extension outside notifications and webviews, read from the workbench's DOM for
// the browser control server (scripts/browser-control.mjs):
//
//   GET  /workbench/tree?name=Accounts     { rows: [{label, description, ariaLabel, actions}] }: the rows of the
//                                          tree view with that name as shown (actions: the inline buttons' names)
//   POST /workbench/tree/action {name, row, action}   hovers the first row whose label contains `row` and clicks
//                                          its inline button named `action` → { rows } (as GET, afterwards)
//   GET  /workbench/status-bar?id=…&hover=1   { text, ariaLabel, hover? }: the status bar entry whose element id
//                                          contains `id`; with hover, the tooltip's text shown on hovering it

/**
 * @param {() => import('playwright-core').Page | undefined} workbenchPage
 * @param {(status: number, message: string) => Error} httpError
 */
export function workbenchViewRoutes(workbenchPage, httpError) {
  const page = () => {
    const workbench = workbenchPage();
    if (!workbench) throw httpError(503, 'the workbench is not up yet');
    return workbench;
  };
  const rowsOf = (name) => page().locator(`.monaco-list[aria-label="${cssString(name)}"] .monaco-list-row`);

  async function readTree(name) {
    if (!name) throw httpError(400, 'name is required (the tree view’s name, e.g. "Accounts")');
    return {
      rows: await rowsOf(name).evaluateAll((rows) =>
        rows.map((row) => ({
          label: row.querySelector('.label-name')?.textContent ?? '',
          description: row.querySelector('.label-description')?.textContent ?? '',
          ariaLabel: row.getAttribute('aria-label') ?? '',
          actions: [...row.querySelectorAll('.actions .action-label')].map(
            (action) => action.getAttribute('aria-label') ?? action.getAttribute('title') ?? '',
          ),
        })),
      ),
    };
  }

  return {
    'GET /workbench/tree': async (_body, query) => readTree(query.get('name') ?? ''),

    'POST /workbench/tree/action': async (body) => {
      const { name, row, action } = body;
      if (typeof name !== 'string' || typeof row !== 'string' || typeof action !== 'string')
        throw httpError(400, 'name, row and action are required');
      const target = rowsOf(name)
        .filter({ has: page().locator('.label-name', { hasText: row }) })
        .first();
      await target.hover({ timeout: 5_000 });
      await target
        .locator(`.actions .action-label[aria-label="${cssString(action)}"]`)
        .first()
        .click({ timeout: 5_000 });
      await page().waitForTimeout(200);
      return readTree(name);
    },

    'GET /workbench/status-bar': async (_body, query) => {
      const id = query.get('id');
      if (!id) throw httpError(400, 'id is required (part of the entry’s element id)');
      const entry = page()
        .locator(`.statusbar-item[id*="${cssString(id)}"]`)
        .first();
      await entry.waitFor({ state: 'attached', timeout: 5_000 });
      const result = {
        text: (await entry.innerText()).trim(),
        ariaLabel: (await entry.getAttribute('aria-label')) ?? '',
      };
      if (query.get('hover') !== '1') return result;
      await entry.hover();
      const hover = page().locator('.workbench-hover, .monaco-hover').filter({ visible: true }).first();
      await hover.waitFor({ state: 'visible', timeout: 5_000 });
      const text = (await hover.innerText()).trim();
      await page().mouse.move(0, 0);
      return { ...result, hover: text };
    },
  };
}

/** A value for a CSS attribute selector in double quotes. */
function cssString(value) {
  return String(value).replace(/["\\]/g, '\\$&');
}
