/**
 * The main suite split across windows: the harness can run it in several code-server windows at once
 * ($MATRIX_TEST_SHARD, "2/2" = the second of two), since most of a test's time is spent waiting on servers and
 * the workbench, not on the processor. Every top-level suite runs in the first window unless listed here for the
 * second; the lists keep the two about as long (the first has the reload, and the two-windows watch).
 */

/** Top-level suite titles that run in the second of two windows. */
const SECOND_WINDOW = [
  'harness: a person at the browser',
  'sign-in in VS Code',
  'channel panel in VS Code',
  'channel panel in VS Code: the add form, not saved',
  'the channel panel, editing a signed-in channel',
  'sign-up from the palette',
  'sign-in going wrong, as seen',
  'a new account, as it comes',
  'pseudo-locale',
];

/** Suites that every window runs first (they check the harness itself). */
const EVERY_WINDOW = ['smoke: the harness'];

export interface Shard {
  index: number;
  count: number;
}

/** "2/2" → { index: 2, count: 2 }; none or "1/1" → one window running everything. */
export function parseShard(text: string | undefined): Shard {
  if (!text) return { index: 1, count: 1 };
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || index < 1 || index > count || count > 2)
    throw new Error(`MATRIX_TEST_SHARD must be "1/1", "1/2" or "2/2", not "${text}"`);
  return { index, count };
}

/**
 * Keeps the top-level suites of `shard` (in their order). A listed title that no suite has fails at once, so a
 * renamed suite cannot silently move to the other window.
 */
export function keepShard(root: Mocha.Suite, shard: Shard): void {
  if (shard.count === 1) return;
  const titles = new Set(root.suites.map((suite) => suite.title));
  const missing = SECOND_WINDOW.filter((title) => !titles.has(title));
  if (missing.length) throw new Error(`shards.ts names suites that do not exist: ${missing.join(', ')}`);
  root.suites = root.suites.filter(
    (suite) => EVERY_WINDOW.includes(suite.title) || SECOND_WINDOW.includes(suite.title) === (shard.index === 2),
  );
}
