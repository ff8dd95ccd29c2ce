/**
 * A new account, as it comes: signed in through the browser and left with the settings it was given, which its
 * tooltip words. A direct chat invite and a room invite are asked about (Accept / Decline), never joined on their
 * own; once in, a direct message and a mention notify, while other room chatter does not. Reply from a
 * notification of an account signed out, or removed, says so before asking for the text.
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createDelegatedUser, createOAuthAccount, MatrixApi } from '../../bed/matrix.ts';
import { signInOAuth } from '../accounts.ts';
import { bedInfo, clickNotificationButton, harnessUrl, treeRowTooltip, workbenchNotifications } from '../harness.ts';
import { api, notificationWith, setting, sleep, until } from '../support.ts';

describe('a new account, as it comes', function () {
  this.timeout(120_000);

  before(function () {
    if (!harnessUrl()) this.skip();
  });

  it('asks about invites; a direct message and a mention notify, other room messages do not', async () => {
    const bed = bedInfo();
    await setting('signIn.host', 'local');
    const [account, other] = await Promise.all([createOAuthAccount(bed), createDelegatedUser(bed)]);
    const view = await signInOAuth(account);
    await notificationWith(`Connected to Matrix as ${account.userId}.`);
    await vscode.commands.executeCommand('notifications.clearAll');
    // The account's tooltip says what notifies it, as it comes.
    await vscode.commands.executeCommand('matrixChannels.accounts.focus');
    assert.equal(
      (await treeRowTooltip('Accounts', account.userId)).at(-1),
      'Notifies you of direct messages and mentions of you in joined rooms. Invites: you are asked.',
    );
    const theirs = new MatrixApi(bed.delegated.baseUrl, other.accessToken);
    const joined = async (roomId: string) => (await api()).rooms(view.id).some((room) => room.roomId === roomId);

    const dm = await theirs.createRoom({ invite: [account.userId], isDirect: true });
    const question = await notificationWith('invited you to a direct chat');
    assert.equal(question, `${other.userId} invited you to a direct chat.`);
    await sleep(2_000);
    assert.equal(await joined(dm), false, 'not joined without an answer');
    await clickNotificationButton('invited you to a direct chat', 'Accept');
    await until('the direct chat joined', () => joined(dm));
    await theirs.sendText(dm, 'are you there?');
    // Marked as a direct message (and, with other accounts signed in, followed by the account's name).
    assert.match(await notificationWith('are you there?'), /^\S+ \(direct message\): are you there\?( \(.+\))?$/);

    const room = await theirs.createRoom({ name: 'Team room', invite: [account.userId] });
    assert.equal(await notificationWith('invited you to Team room'), `${other.userId} invited you to Team room.`);
    await clickNotificationButton('invited you to Team room', 'Accept');
    await until('the room joined', () => joined(room));
    await theirs.sendText(room, 'just chatting');
    await theirs.sendText(room, 'can you review this?', { 'm.mentions': { user_ids: [account.userId] } });
    assert.match(
      await notificationWith('can you review this?'),
      /^\S+ mentioned you in Team room: can you review this\?/,
    );
    await sleep(1_000);
    const shown = await workbenchNotifications();
    assert.deepEqual(
      shown.filter((n) => n.includes('just chatting')),
      [],
      `room chatter does not notify; shown: ${JSON.stringify(shown)}`,
    );

    // Signed out, a Reply says so at once, before any typing.
    await vscode.commands.executeCommand('matrixChannels.signOut', view, { confirmed: true });
    await clickNotificationButton('can you review this?', 'Reply');
    assert.equal(
      await notificationWith('sign in to reply'),
      `You are signed out of ${account.userId}: sign in to reply.`,
    );
    // Removed, a Reply says so at once too.
    await vscode.commands.executeCommand('matrixChannels.removeChannel', view, { confirmed: true });
    await clickNotificationButton('are you there?', 'Reply');
    assert.equal(
      await notificationWith('has since been removed'),
      'This message came to a Matrix account that has since been removed: there is nothing to reply from.',
    );
  });

  it('a declined invite is left at the server', async () => {
    const bed = bedInfo();
    const [account, other] = await Promise.all([createOAuthAccount(bed), createDelegatedUser(bed)]);
    const view = await signInOAuth(account);
    const theirs = new MatrixApi(bed.delegated.baseUrl, other.accessToken);
    const declined = await theirs.createRoom({ name: 'Not for me', invite: [account.userId] });
    await notificationWith('invited you to Not for me');
    await clickNotificationButton('invited you to Not for me', 'Decline');
    await until('the invite declined at the server', async () => {
      const members = await theirs.request<{ chunk: Array<{ state_key: string; content: { membership: string } }> }>(
        'GET',
        `/_matrix/client/v3/rooms/${encodeURIComponent(declined)}/members`,
      );
      return members.chunk.find((m) => m.state_key === account.userId)?.content.membership === 'leave';
    });
    await vscode.commands.executeCommand('matrixChannels.signOut', view, { confirmed: true });
  });
});
