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
import { solidPng } from '../../../scripts/png.mjs';
import { closeRoomViews, REFRESHING_PICTURES, setting, sleep, until } from '../support.ts';
import { bobWrites, signInWithTeamAndBob, type TeamAndBob } from '../team-and-bob.ts';

/**
 * What the room view's picture shows in Team: Bob's question answered, a release on its way with a reaction and
 * a thread, a highlighted code block; Bob and the account with their avatars.
 */
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
  const inThread = { 'm.relates_to': { rel_type: 'm.thread', event_id: deploying } };
  await theirs.sendText(team, 'migrations ran fine', inThread);
  await mine.sendText(team, 'thanks, watching the dashboards', inThread);
  await theirs.sendText(team, 'the fix, for the record:', {
    format: 'org.matrix.custom.html',
    formatted_body:
      '<p>the fix, for the record:</p><pre><code class="language-typescript">export function retryAfter(ms: number): number {\n  return Math.min(ms * 2, 60_000); // capped\n}\n</code></pre>',
  });
}

/** Bob's and the account's pictures, and the account's name (set once: the member events in their rooms follow). */
async function avatars({ me, bob }: TeamAndBob): Promise<void> {
  const baseUrl = bedInfo().classic.baseUrl;
  await new MatrixApi(baseUrl, me.accessToken).request(
    'PUT',
    `/_matrix/client/v3/profile/${encodeURIComponent(me.userId)}/displayname`,
    { displayname: 'Alex' },
  );
  for (const [user, colour] of [
    [bob, [214, 120, 40]],
    [me, [60, 130, 200]],
  ] as const) {
    const api = new MatrixApi(baseUrl, user.accessToken);
    const url = await api.upload(solidPng(64, 64, [...colour]), 'image/png', 'avatar.png');
    await api.request('PUT', `/_matrix/client/v3/profile/${encodeURIComponent(user.userId)}/avatar_url`, {
      avatar_url: url,
    });
  }
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

      // The room view: a short conversation, a reply, formatting, a reaction, a thread, code, avatars.
      if (!conversed) await Promise.all([avatars(seen), converse(seen)]);
      conversed = true;
      await vscode.commands.executeCommand('matrixChannels.showRoom', { accountId: seen.view.id, roomId: seen.team });
      await webview.wait('.message:has-text("Deploying")');
      await webview.wait('.reaction', { text: '🎉' });
      await webview.wait('.message:has-text("the fix") .hljs-keyword');
      await webview.wait('.message:has-text("Deploying") img.avatar-picture.loaded');
      await sleep(300);
      pictures.push(await screenshot(`room-view-${suffix}`, { frame: 'webview' }));
      await closeRoomViews();
      for (const path of pictures) assert.ok(existsSync(path), path);
    });
  }
});
