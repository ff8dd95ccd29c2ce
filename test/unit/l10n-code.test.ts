/**
 * The code's words reach translators: scripts/l10n.mjs collects every l10n.t message of src/ and webview/ into
 * the bundle VS Code reads (keyed as VS Code looks them up), and flags a shown string written as a literal in
 * the glue or in the channel panel's view, and an l10n.t the webview would run before its translations are set.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
// @ts-expect-error: a plain ES module script, without types
import { scan } from '../../scripts/l10n.mjs';
import { bundleKey } from '../../src/core/l10n.ts';

type Scan = (dir?: string) => { bundle: string; bypasses: string[] };
const scanDir = scan as Scan;

const fixture = mkdtempSync(join(tmpdir(), 'l10n-'));
after(() => rmSync(fixture, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(join(fixture, path, '..'), { recursive: true });
  writeFileSync(join(fixture, path), text);
}

describe('scripts/l10n.mjs', () => {
  it("collects messages, with a comment as VS Code keys them and @vscode/l10n-dev writes them, the webview's too", () => {
    write(
      'src/vscode/a.ts',
      "vscode.l10n.t('Sign Out'); l10n.t({ message: 'in {0} s', args: [1], comment: ['secs'] });",
    );
    write('webview/model/m.ts', "export const heading = () => l10n.t('Edit channel');");
    const { bundle, bypasses } = scanDir(fixture);
    assert.deepEqual(JSON.parse(bundle), {
      'Edit channel': 'Edit channel',
      'Sign Out': 'Sign Out',
      'in {0} s/secs': { message: 'in {0} s', comment: ['secs'] },
    });
    assert.deepEqual(bypasses, []);
  });

  it('flags a shown string that bypasses l10n.t in the glue, not in the core', () => {
    write(
      'src/vscode/b.ts',
      "vscode.window.showInformationMessage(`Signed out of ${x}.`);\nitem.tooltip = 'Sign in';\n",
    );
    write(
      'src/vscode/c.ts',
      [
        "new vscode.TreeItem('Rooms');",
        "showQuickPick(items, { title: 'Pick a room' });",
        "vscode.window.createWebviewPanel('matrixChannels.channel', 'Matrix Channel', vscode.ViewColumn.Active);",
        "vscode.window.createWebviewPanel('matrixChannels.channel', vscode.l10n.t('Matrix Channel'), 1);",
      ].join('\n'),
    );
    write('src/core/d.ts', "const reason = { title: 'Plain words the glue translates' };");
    const { bypasses } = scanDir(fixture);
    assert.deepEqual(bypasses, [
      'src/vscode/b.ts:1: showInformationMessage shows a literal; use l10n.t',
      'src/vscode/b.ts:2: ".tooltip" is set to a literal; use l10n.t',
      "src/vscode/c.ts:1: a tree item's label is a literal; use l10n.t",
      'src/vscode/c.ts:2: "title" is a literal; use l10n.t',
      "src/vscode/c.ts:3: a webview panel's title is a literal; use l10n.t",
    ]);
  });

  it('flags a message with a placeholder but no comment saying what it is', () => {
    const fresh = mkdtempSync(join(fixture, 'placeholders-'));
    mkdirSync(join(fresh, 'src/core'), { recursive: true });
    writeFileSync(
      join(fresh, 'src/core/e.ts'),
      [
        "l10n.t('Signed out of {0}.', who);",
        "l10n.t({ message: 'Signed in as {0}.', args: [who], comment: ['{0} is a Matrix ID'] });",
        "l10n.t({ message: 'Removed {0}.', args: [who] });",
      ].join('\n'),
    );
    assert.deepEqual((scan as Scan)(fresh).bypasses, [
      'src/core/e.ts:1: a message with a placeholder needs a comment saying what each {n} is',
      'src/core/e.ts:3: a message with a placeholder needs a comment saying what each {n} is',
    ]);
  });

  it("flags words the panel's view shows as literals, and l10n.t the webview runs at import", () => {
    write(
      'webview/view/e.ts',
      [
        'function draw(entry: string) {',
        "button({ id: 'save', label: 'Save', ariaLabel: `Remove ${entry}` });",
        "el('div', { className: 'hint', text: l10n.t('Empty.'), attrs: { 'aria-label': 'Entries' } });",
        "new Editor({ addAriaLabel: 'Add to list', placeholder: '@*:example.org or @you:example.org' });",
        "textField({ id: 'deviceId', label: '…', placeholder: EXAMPLE_DEVICE_ID, help: l10n.t('Optional.') });",
        '}',
      ].join('\n'),
    );
    write(
      'webview/view/f.ts',
      [
        "const CHOICES = [{ value: 'open', label: l10n.t('Anyone') }];",
        "const choices = () => [{ value: 'open', label: l10n.t('Anyone') }];",
        "class View { private readonly save = button({ label: l10n.t('Save') }); static words = l10n.t('Save'); }",
      ].join('\n'),
    );
    write('webview/model/g.ts', "const vm = () => ({ label: 'Words a model may build', text: l10n.t('Saving…') });");
    const { bypasses } = scanDir(fixture);
    assert.deepEqual(
      bypasses.filter((line) => line.startsWith('webview/')),
      [
        'webview/view/e.ts:2: "label" is a literal; use l10n.t',
        'webview/view/e.ts:2: "ariaLabel" is a literal; use l10n.t',
        'webview/view/e.ts:3: "aria-label" is a literal; use l10n.t',
        'webview/view/e.ts:4: "addAriaLabel" is a literal; use l10n.t',
        'webview/view/e.ts:4: "placeholder" is a literal; use l10n.t',
        "webview/view/f.ts:1: l10n.t runs at import, before the page's translations are set; call it when drawing",
        "webview/view/f.ts:3: l10n.t runs at import, before the page's translations are set; call it when drawing",
      ],
    );
  });

  it('keys each message with a comment as the runtime looks it up', () => {
    const { bundle } = scanDir();
    const entries = Object.entries(
      JSON.parse(bundle) as Record<string, string | { message: string; comment: string[] }>,
    );
    const commented = entries.filter(
      (entry): entry is [string, { message: string; comment: string[] }] => typeof entry[1] === 'object',
    );
    assert.ok(commented.length > 100, 'messages with a comment for translators');
    for (const [key, { message, comment }] of commented) assert.equal(key, bundleKey(message, comment));
  });

  it('finds nothing to flag in this repository, and its bundle is current', () => {
    const { bundle, bypasses } = scanDir();
    assert.deepEqual(bypasses, []);
    assert.equal(readFileSync(join(import.meta.dirname, '..', '..', 'l10n', 'bundle.l10n.json'), 'utf8'), bundle);
  });
});
