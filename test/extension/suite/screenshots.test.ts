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
import type { AccountView } from '../../../src/core/account/account-service.ts';
import { createClassicUser, MatrixApi, type MatrixUser } from '../../bed/matrix.ts';
import { startUnfinishedBrowserSignIn } from '../accounts.ts';
import {
  bedInfo,
  clickNotificationButton,
  harnessUrl,
  screenshot,
  workbenchNotifications,
  workbenchTree,
} from '../harness.ts';
import { api, REFRESHING_PICTURES, setting, sleep, until, updateChannel } from '../support.ts';

const THEMES = (
  [
    ['Default Dark Modern', 'dark'],
    ['Default Light Modern', 'light'],
  ] as const
).slice(0, REFRESHING_PICTURES ? 2 : 1);

describe('screenshots for the README', function () {
  this.timeout(180_000);
  let me: MatrixUser;
  let bob: MatrixUser;
  let view: AccountView;
  let dm: string;
  let team: string;

  before(async function () {
    if (!harnessUrl()) this.skip();
    const bed = bedInfo();
    [me, bob] = await Promise.all([createClassicUser(bed), createClassicUser(bed)]);
    const theirs = new MatrixApi(bed.classic.baseUrl, bob.accessToken);
    const mine = new MatrixApi(bed.classic.baseUrl, me.accessToken);
    await theirs.request('PUT', `/_matrix/client/v3/profile/${encodeURIComponent(bob.userId)}/displayname`, {
      displayname: 'Bob',
    });
    dm = await theirs.createRoom({ invite: [me.userId], isDirect: true });
    team = await theirs.createRoom({ name: 'Team', invite: [me.userId] });
    await Promise.all([mine.join(dm), mine.join(team)]);
    // What a client that accepts a direct chat records: the room is a direct one with Bob.
    await mine.request('PUT', `/_matrix/client/v3/user/${encodeURIComponent(me.userId)}/account_data/m.direct`, {
      [bob.userId]: [dm],
    });
    const signedIn = await vscode.commands.executeCommand<AccountView | undefined>('matrixChannels.signIn', {
      homeserver: bed.classic.baseUrl,
      userId: me.userId,
      password: me.password,
    });
    assert.ok(signedIn);
    view = signedIn;
    await updateChannel(view.id, { label: 'Work' });
  });

  after(async () => {
    await setting('colorTheme', undefined, 'workbench');
    if (view) await vscode.commands.executeCommand('matrixChannels.signOut', view, { confirmed: true });
  });

  for (const [theme, suffix] of THEMES) {
    it(`the tree, a notification and the sign-in progress (${suffix})`, async () => {
      await setting('colorTheme', theme, 'workbench');
      await vscode.commands.executeCommand('notifications.clearAll');
      const theirs = new MatrixApi(bedInfo().classic.baseUrl, bob.accessToken);
      const roomsBefore = (await api()).rooms(view.id);
      const mentionsBefore = roomsBefore.find((room) => room.roomId === team)?.mentions ?? 0;
      const dmBefore = roomsBefore.find((room) => room.roomId === dm)?.unread ?? 0;
      await theirs.sendText(team, 'is the build green?', { 'm.mentions': { user_ids: [me.userId] } });
      await theirs.sendText(dm, 'lunch at 12?');
      // Waiting on the counts, not on the notification center: opening and closing the center while a
      // notification arrives can make the workbench list it twice.
      await until('both messages counted', async () => {
        const rooms = (await api()).rooms(view.id);
        const teamRoom = rooms.find((room) => room.roomId === team);
        return (
          teamRoom &&
          teamRoom.mentions >= mentionsBefore + 1 &&
          (rooms.find((room) => room.roomId === dm)?.unread ?? 0) >= dmBefore + 1
        );
      });
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
