// A pseudo-locale (`qps-ploc`) in which every word the extension has for translators is wrapped in ⟦…⟧, so
// that a screen of the extension in that locale shows at once any word that bypassed the translations: it
// has no brackets. Used by `npm run pseudo-locale` (scripts/extension-tests.mjs with MATRIX_LOCALE=qps-ploc).
//
// VS Code takes a display language only when a language pack for it is installed, so this writes a minimal
// one (VS Code's own words stay English: only the extension's are under test) into the test profile's
// extensions folder, and the extension's own translations for the locale beside its English ones
// (l10n/bundle.l10n.qps-ploc.json, package.nls.qps-ploc.json: generated, not committed).

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PSEUDO_LOCALE = 'qps-ploc';

/** The pseudo-translation of one message: placeholders, codicons and Markdown stay intact inside the brackets. */
export function pseudoTranslate(message) {
  return `⟦${message}⟧`;
}

/**
 * The translation of an English bundle: the same keys, each with its words as a string. (A message with a comment
 * for translators is `{ message, comment }` in the English bundle; VS Code's l10n.t takes a translation's value
 * as the words themselves.)
 */
function pseudoFile(from, to) {
  const english = JSON.parse(readFileSync(from, 'utf8'));
  const pseudo = Object.fromEntries(
    Object.entries(english).map(([key, value]) => [
      key,
      pseudoTranslate(typeof value === 'string' ? value : value.message),
    ]),
  );
  writeFileSync(to, `${JSON.stringify(pseudo, null, 2)}\n`);
}

/**
 * Writes the extension's pseudo translations under `root`, a language pack for the locale into `extensionsDir`
 * and its registration into `userDataDir`; returns a function that removes the translations again.
 */
export function installPseudoLocale({ root, extensionsDir, userDataDir }) {
  const written = [
    [join(root, 'l10n', 'bundle.l10n.json'), join(root, 'l10n', `bundle.l10n.${PSEUDO_LOCALE}.json`)],
    [join(root, 'package.nls.json'), join(root, `package.nls.${PSEUDO_LOCALE}.json`)],
  ];
  for (const [from, to] of written) pseudoFile(from, to);

  const pack = join(extensionsDir, `matrix-channels-test.pseudo-language-pack-0.0.1`);
  mkdirSync(join(pack, 'translations'), { recursive: true });
  writeFileSync(join(pack, 'translations', 'main.i18n.json'), '{ "contents": {} }\n');
  writeFileSync(
    join(pack, 'package.json'),
    `${JSON.stringify(
      {
        name: 'pseudo-language-pack',
        publisher: 'matrix-channels-test',
        version: '0.0.1',
        engines: { vscode: '*' },
        categories: ['Language Packs'],
        contributes: {
          localizations: [
            {
              languageId: PSEUDO_LOCALE,
              languageName: 'Pseudo',
              localizedLanguageName: 'Pseudo',
              translations: [{ id: 'vscode', path: './translations/main.i18n.json' }],
            },
          ],
        },
      },
      null,
      2,
    )}\n`,
  );
  // What the server writes once it has scanned the pack; written up front so that the first page has it.
  const id = 'matrix-channels-test.pseudo-language-pack';
  writeFileSync(
    join(userDataDir, 'languagepacks.json'),
    JSON.stringify({
      [PSEUDO_LOCALE]: {
        hash: 'pseudo-0.0.1',
        extensions: [{ extensionIdentifier: { id }, version: '0.0.1' }],
        translations: { vscode: join(pack, 'translations', 'main.i18n.json') },
        label: 'Pseudo',
      },
    }),
  );
  return () => {
    for (const [, to] of written) rmSync(to, { force: true });
  };
}
