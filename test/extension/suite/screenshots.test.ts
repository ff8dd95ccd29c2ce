/**
 * The README's pictures of what a person sees, in the Default Dark Modern and Default Light Modern themes:
 * the sidebar with an account and its rooms, a message notification, the sign-in progress and a room view
 * (test-results/screenshots/{tree,notification,sign-in-progress,room-view}-{dark,light}.png; copied to media/screenshots/
 * to refresh the README). Each picture is taken only once what it shows is on the screen.
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { startUnfinishedBrowserSignIn } from '../accounts.ts';
import { MatrixApi } from '../../bed/matrix.ts';
import {
  bedInfo,
  clickNotificationButton,
  harnessUrl,
  screenshot,
  webview,
  workbenchNotifications,
  workbenchTree,
} from '../harness.ts';
import { closeRoomViews, REFRESHING_PICTURES, setting, sleep, until } from '../support.ts';
import { bobWrites, signInWithTeamAndBob, type TeamAndBob } from '../team-and-bob.ts';

/** What the room view's picture shows in Team: Bob's question answered, a release on its way, a reaction. */
async function converse({ me, bob, team }: TeamAndBob): Promise<void> {
  const baseUrl = bedInfo().classic.baseUrl;
  const theirs = new MatrixApi(baseUrl, bob.accessToken);
  const mine = new MatrixApi(baseUrl, me.accessToken);
  const question = (
    await theirs.request<{ chunk: Array<{ event_id: string; content: { body?: string } }> }>(
      'GET',
      `/_matrix/client/v3/rooms/${encodeURIComponent(team)}/messages?dir=b&limit=10`,
    )
  ).chunk.find((event) => event.content.body === 'is the build green?');
  await mine.sendText(team, `> <${bob.userId}> is the build green?\n\nyes, all 1 232 tests passed`, {
    'm.relates_to': { 'm.in_reply_to': { event_id: question?.event_id } },
  });
  const deploying = await theirs.sendText(team, 'Deploying v1.4.2 now', {
    format: 'org.matrix.custom.html',
    formatted_body: 'Deploying <code>v1.4.2</code> now — <a href="https://example.org/changelog">changelog</a>',
  });
  await mine.request('PUT', `/_matrix/client/v3/rooms/${encodeURIComponent(team)}/send/m.reaction/shot-react`, {
    'm.relates_to': { rel_type: 'm.annotation', event_id: deploying, key: '🎉' },
  });
}

const THEMES = (
  [
    ['Default Dark Modern', 'dark'],
    ['Default Light Modern', 'light'],
  ] as const
).slice(0, REFRESHING_PICTURES ? 2 : 1);

describe('screenshots for the README', function () {
  this.timeout(180_000);
  let seen: TeamAndBob;
  let conversed = false;

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

      // The room view: a short conversation, a reply, formatting and a reaction.
      if (!conversed) await converse(seen);
      conversed = true;
      await vscode.commands.executeCommand('matrixChannels.showRoom', { accountId: seen.view.id, roomId: seen.team });
      await webview.wait('.message:has-text("Deploying")');
      await webview.wait('.reaction', { text: '🎉' });
      await sleep(300);
      pictures.push(await screenshot(`room-view-${suffix}`, { frame: 'webview' }));
      await closeRoomViews();
      for (const path of pictures) assert.ok(existsSync(path), path);
    });
  }
});
