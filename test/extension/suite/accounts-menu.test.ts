/**
 * Before any account exists (this suite runs first, on a fresh profile): the Accounts menu (the person icon)
 * offers "Sign in with Matrix", the command palette offers only what needs no account, and a command run
 * anyway says why it does nothing.
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { accountsMenu, answerQuickInput, harnessUrl, workbenchNotifications } from '../harness.ts';
import { paletteCommands } from '../palette.ts';
import { api, sleep, until } from '../support.ts';

describe('before any Matrix account', function () {
  this.timeout(60_000);

  before(async function () {
    if (!harnessUrl()) this.skip();
    // Later suites keep accounts for the reload phase: this one must come before them.
    assert.deepEqual((await api()).accounts(), [], 'no account yet (this suite runs first)');
  });

  it('before any account: the Accounts menu offers Matrix, and the palette only what needs no account', async () => {
    const entries = await until('"Sign in with Matrix" in the Accounts menu', async () => {
      const shown = await accountsMenu();
      return shown.some((entry) => entry.includes('Sign in with Matrix')) ? shown : undefined;
    });
    assert.ok(
      entries.some((entry) => /^Sign in with Matrix to use Matrix Channels/.test(entry)),
      entries.join('\n'),
    );

    const commands = await paletteCommands();
    for (const offered of ['Matrix: Sign In…', 'Matrix: Add Channel…', 'Matrix: Show Log'])
      assert.ok(commands.includes(offered), `${offered} in ${commands.join(', ')}`);
    for (const hidden of ['Matrix: Sign Out', 'Matrix: Send Message to Room…', 'Matrix: Mark Room as Read'])
      assert.ok(!commands.includes(hidden), `${hidden} hidden: ${commands.join(', ')}`);

    // Run anyway (a keybinding, a script): it says why it does nothing.
    await vscode.commands.executeCommand('matrixChannels.signOut');
    await until('the reason', async () => (await workbenchNotifications()).includes('No Matrix account is signed in.'));

    await accountsMenu({ click: 'Sign in with Matrix' });
    const box = await answerQuickInput({ press: 'Escape' });
    assert.equal(box.title, 'Sign in to Matrix');
    await sleep(1_000);
    const errors = (await workbenchNotifications()).filter((text) => /cancel|error|failed/i.test(text));
    assert.deepEqual(errors, [], 'closing the sign-in is not an error');
  });
});
