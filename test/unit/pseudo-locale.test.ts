/**
 * scripts/pseudo-locale.mjs: the extension's words in the pseudo-locale are the English ones in ⟦…⟧ (keys and
 * placeholders untouched), and the language pack registers the locale the way VS Code's server reads it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
// @ts-expect-error: a plain ES module script, without types
import { installPseudoLocale } from '../../scripts/pseudo-locale.mjs';

type Install = (dirs: { root: string; extensionsDir: string; userDataDir: string }) => () => void;
const install = installPseudoLocale as Install;

const fixture = mkdtempSync(join(tmpdir(), 'pseudo-'));
after(() => rmSync(fixture, { recursive: true, force: true }));
const readJson = (...path: string[]): unknown => JSON.parse(readFileSync(join(fixture, ...path), 'utf8'));

describe('scripts/pseudo-locale.mjs', () => {
  it('wraps every word as a string, keeps keys and placeholders, registers the pack, and removes what it wrote', () => {
    for (const dir of ['root/l10n', 'extensions', 'user-data']) mkdirSync(join(fixture, dir), { recursive: true });
    writeFileSync(
      join(fixture, 'root/l10n/bundle.l10n.json'),
      JSON.stringify({
        'Retrying in {0} s/{0} is a number': { message: 'Retrying in {0} s', comment: ['{0} is a number'] },
        Connected: 'Connected',
      }),
    );
    writeFileSync(join(fixture, 'root/package.nls.json'), JSON.stringify({ 'command.signIn.title': 'Sign In…' }));
    const remove = install({
      root: join(fixture, 'root'),
      extensionsDir: join(fixture, 'extensions'),
      userDataDir: join(fixture, 'user-data'),
    });

    assert.deepEqual(readJson('root/l10n/bundle.l10n.qps-ploc.json'), {
      'Retrying in {0} s/{0} is a number': '⟦Retrying in {0} s⟧',
      Connected: '⟦Connected⟧',
    });
    assert.deepEqual(readJson('root/package.nls.qps-ploc.json'), { 'command.signIn.title': '⟦Sign In…⟧' });
    const packs = readJson('user-data/languagepacks.json') as Record<string, { translations: { vscode: string } }>;
    assert.ok(existsSync(packs['qps-ploc']!.translations.vscode), 'the pack has the file VS Code reads first');
    const manifest = readJson('extensions/matrix-channels-test.pseudo-language-pack-0.0.1/package.json') as {
      contributes: { localizations: Array<{ languageId: string }> };
    };
    assert.equal(manifest.contributes.localizations[0]!.languageId, 'qps-ploc');

    remove();
    assert.equal(existsSync(join(fixture, 'root/l10n/bundle.l10n.qps-ploc.json')), false);
    assert.equal(existsSync(join(fixture, 'root/package.nls.qps-ploc.json')), false);
    assert.ok(existsSync(join(fixture, 'root/l10n/bundle.l10n.json')), 'the English words stay');
  });
});
