/**
 * The README's pictures of what a person sees, in the Default Dark Modern and Default Light Modern themes:
 * the sidebar with an account and its rooms, a message notification, and the sign-in progress
 * (test-results/screenshots/{tree,notification,sign-in-progress}-{dark,light}.png; copied to media/screenshots/
 * to refresh the README). Each picture is taken only once what it shows is on the screen.
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { startUnfinishedBrowserSignIn } from '../accounts.ts';
import { clickNotificationButton, harnessUrl, screenshot, workbenchNotifications, workbenchTree } from '../harness.ts';
import { REFRESHING_PICTURES, setting, sleep, until } from '../support.ts';
import { bobWrites, signInWithTeamAndBob, type TeamAndBob } from '../team-and-bob.ts';

const THEMES = (
  [
    ['Default Dark Modern', 'dark'],
    ['Default Light Modern', 'light'],
  ] as const
).slice(0, REFRESHING_PICTURES ? 2 : 1);

describe('screenshots for the README', function () {
  this.timeout(180_000);
  let seen: TeamAndBob;

  before(async function () {
    if (!harnessUrl()) this.skip();
    seen = await signInWithTeamAndBob();
  });

  after(async () => {
    await setting('colorTheme', undefined, 'workbench');
    if (seen) await vscode.commands.executeCommand('matrixChannels.signOut', seen.view, { confirmed: true });
  });

  for (const [theme, suffix] of THEMES) {
    it(`the tree, a notification and the sign-in progress (${suffix})`, async () => {
      await setting('colorTheme', theme, 'workbench');
      await vscode.commands.executeCommand('notifications.clearAll');
      await bobWrites(seen);
      await sleep(1_000);
      const mentions = (await workbenchNotifications()).filter((text) => text.includes('is the build green?'));
      assert.equal(mentions.length, 1, `one message, one notification: ${JSON.stringify(mentions)}`);
      await vscode.commands.executeCommand('matrixChannels.accounts.focus');
      await until('the rooms with their counts', async () => {
        const rows = await workbenchTree('Accounts', { reveal: 'Team' });
        // A direct chat is named after Bob once his member event is in: worth the wait only for the README.
        return (
          rows.find((row) => row.label === 'Team')?.description.includes('mentioning you') &&
          (!REFRESHING_PICTURES || rows.some((row) => row.label === 'Bob'))
        );
      });
      await sleep(500);
      const pictures = [await screenshot(`tree-${suffix}`, { selector: '.part.sidebar', maxHeight: 160 })];
      // The notification center holds them all, toasts that already hid themselves too.
      await vscode.commands.executeCommand('notifications.showList');
      await sleep(500);
      pictures.push(await screenshot(`notification-${suffix}`, { selector: '.notifications-center' }));
      await vscode.commands.executeCommand('notifications.clearAll');

      await setting('signIn.host', 'local');
      const { progress, signingIn } = await startUnfinishedBrowserSignIn();
      await vscode.commands.executeCommand('notifications.showList');
      await sleep(500);
      pictures.push(await screenshot(`sign-in-progress-${suffix}`, { selector: '.notifications-center' }));
      await clickNotificationButton(progress, 'Cancel');
      assert.equal(await signingIn, undefined);
      await vscode.commands.executeCommand('notifications.hideList');
      for (const path of pictures) assert.ok(existsSync(path), path);
    });
  }
});
