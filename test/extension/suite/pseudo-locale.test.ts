/**
 * The extension in the pseudo-locale (`npm run pseudo-locale`: scripts/pseudo-locale.mjs wraps every word the
 * extension has for translators in ⟦…⟧): the tree, the status bar, notifications, the sign-in box and both
 * channel panels show none of the extension's words without brackets, so none bypasses the translations.
 * Pictures in test-results/screenshots/pseudo-*.png. Skipped in any other display language.
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closePanels, openAddPanel, openEditPanel } from '../channel-panels.ts';
import {
  answerQuickInput,
  harnessUrl,
  screenshot,
  webview,
  workbenchNotifications,
  workbenchStatusBar,
  workbenchTree,
} from '../harness.ts';
import { sleep, until } from '../support.ts';
import { bobWrites, signInWithTeamAndBob, type TeamAndBob } from '../team-and-bob.ts';

/**
 * What of `text` is neither translated (inside ⟦…⟧) nor one of the `data` (names, IDs, addresses: not words for
 * translators), reduced to what has letters; '' when every word went through the translations.
 */
function untranslated(text: string, data: string[]): string {
  let rest = text;
  for (let inner = /⟦[^⟦⟧]*⟧/g; inner.test(rest);) rest = rest.replace(inner, ' ');
  for (const value of [...data].sort((a, b) => b.length - a.length)) rest = rest.split(value).join(' ');
  return rest
    .split(/\s+/)
    .filter((part) => /\p{L}/u.test(part))
    .join(' ');
}

function assertTranslated(where: string, texts: string[], data: string[]): void {
  const bare = texts.map((text) => [text, untranslated(text, data)]).filter(([, rest]) => rest);
  assert.deepEqual(bare, [], `${where}: words that bypass the translations (text, bare words)`);
}

describe('pseudo-locale', function () {
  this.timeout(180_000);
  let seen: TeamAndBob;
  let data: string[];

  before(async function () {
    if (!harnessUrl() || vscode.env.language !== 'qps-ploc') this.skip();
    seen = await signInWithTeamAndBob();
    const homeserver = new URL(seen.view.config.homeserver);
    data = ['Work', 'Team', 'Bob', seen.me.userId, seen.bob.userId, seen.bob.userId.slice(1).split(':')[0]!];
    data.push(homeserver.href, homeserver.host, 'lunch at 12?', 'is the build green?', 'Matrix');
  });

  after(async () => {
    await closePanels();
    if (seen) await vscode.commands.executeCommand('matrixChannels.signOut', seen.view, { confirmed: true });
  });

  it('the tree, the status bar and notifications', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    await bobWrites(seen);
    await vscode.commands.executeCommand('matrixChannels.accounts.focus');
    const rows = await until('the rooms with their counts', async () => {
      const shown = await workbenchTree('⟦Accounts⟧', { reveal: 'Team' });
      return shown.length >= 3 && shown.find((row) => row.label === 'Team')?.description ? shown : undefined;
    });
    assertTranslated(
      'tree',
      rows.flatMap((row) => [row.label, row.description, row.ariaLabel, ...row.actions]),
      data,
    );
    const status = await workbenchStatusBar('matrixChannels.status');
    assertTranslated('status bar', [status.text, status.ariaLabel], data);
    await sleep(1_000);
    const notifications = await workbenchNotifications();
    assert.ok(notifications.length >= 2, JSON.stringify(notifications));
    assertTranslated('notifications', notifications, data);
    await screenshot('pseudo-tree', { selector: '.part.sidebar', maxHeight: 160 });
    await vscode.commands.executeCommand('notifications.showList');
    await sleep(500);
    await screenshot('pseudo-notifications', { selector: '.notifications-center' });
    await vscode.commands.executeCommand('notifications.hideList');
  });

  it('the sign-in box', async () => {
    const signingIn = vscode.commands.executeCommand('matrixChannels.signIn');
    const box = await answerQuickInput({ value: 'my server', expectOpen: true });
    // VS Code's own words stay English: the test profile's language pack translates none of them.
    const vscodeWords = ["(Press 'Enter' to confirm or 'Escape' to cancel)"];
    assertTranslated(
      'sign-in box',
      [box.title, box.prompt, box.placeholder, box.messageAfterTyping ?? ''],
      [...data, ...vscodeWords],
    );
    await screenshot('pseudo-sign-in', { selector: '.quick-input-widget' });
    await answerQuickInput({ press: 'Escape' });
    assert.equal(await signingIn, undefined);
  });

  it('both channel panels', async () => {
    await openAddPanel();
    const added = await webview.read('body');
    assert.match(added.text, /⟦Add Matrix channel⟧/);
    const placeholder = await webview.read('#homeserver', { attribute: 'placeholder' });
    assertTranslated('add panel', [...added.text.split('\n'), placeholder.attribute ?? ''], data);
    await screenshot('pseudo-add-panel', { frame: 'webview', selector: 'body', maxHeight: 900 });

    await openEditPanel(seen.view, 'Work');
    const edited = await webview.read('body');
    assertTranslated('edit panel', edited.text.split('\n'), data);
    await screenshot('pseudo-edit-panel', { frame: 'webview', selector: 'body', maxHeight: 900 });
  });
});
