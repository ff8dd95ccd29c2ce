/**
 * The live channel in a real VS Code (code-server), against the bed's classic Synapse and a second user:
 * a message becomes an editor notification whose Reply posts a real reply into the room; messages arriving
 * together are one notification; Mark Room as Read clears the unread count; Send Selection posts a code
 * block; a message to an encrypted room goes out encrypted; a muted room stays quiet.
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AccountView } from '../../../src/core/account/account-service.ts';
import { createClassicUser, MatrixApi, type MatrixUser } from '../../bed/matrix.ts';
import {
  answerQuickInput,
  bedInfo,
  clickNotificationButton,
  clickTreeAction,
  treeRowMenu,
  treeRowTooltip,
  workbenchNotifications,
  workbenchStatusBar,
  workbenchTree,
  type TreeRow,
} from '../harness.ts';
import { startPeerBesideTheExtension } from '../peer.ts';
import { api, closeRoomViews, notificationWith, recentEvents, sleep, until, updateChannel } from '../support.ts';

type Entry = Record<string, unknown>;
/** The Accounts view's rows once `shows` holds for them (the tree redraws a moment after a change). */
function treeOnceItShows(what: string, shows: (rows: TreeRow[]) => boolean): Promise<TreeRow[]> {
  return until(what, async () => {
    const rows = await workbenchTree('Accounts', { reveal: 'Standup' });
    return shows(rows) ? rows : undefined;
  });
}

/** The rooms with unread messages the status bar counts: those of every account. */
async function roomsUnread(): Promise<number> {
  const extension = await api();
  return extension.accounts().reduce((sum, a) => sum + extension.rooms(a.id).filter((r) => r.unread > 0).length, 0);
}

/** The status bar's text after "Matrix: n/m connected" once it is `rest`. */
function statusBarOnceItSays(rest: string): Promise<string> {
  return until(`the status bar to end "connected${rest}"`, async () => {
    const { text } = await workbenchStatusBar('matrixChannels.status');
    return /connected/.test(text) && text.replace(/^.*connected/, '') === rest ? text : undefined;
  });
}

function channelEntry(id: string): Entry | undefined {
  return (vscode.workspace.getConfiguration('matrixChannels').get<Entry[]>('channels') ?? []).find(
    (e) => e['id'] === id,
  );
}

describe('live channel in VS Code', function () {
  this.timeout(120_000);

  let me: MatrixUser;
  let other: MatrixUser;
  let theirs: MatrixApi;
  let view: AccountView;
  let standup: string;

  before(async () => {
    const bed = bedInfo();
    [me, other] = await Promise.all([createClassicUser(bed), createClassicUser(bed)]);
    theirs = new MatrixApi(bed.classic.baseUrl, other.accessToken);
    const mine = new MatrixApi(bed.classic.baseUrl, me.accessToken);
    standup = await theirs.createRoom({ name: 'Standup', invite: [me.userId] });
    await mine.join(standup);
    view = await vscode.commands.executeCommand<AccountView>('matrixChannels.signIn', {
      homeserver: bed.classic.baseUrl,
      userId: me.userId,
      password: me.password,
    });
    assert.equal(view.status.state, 'connected', 'connected once the first sync is in');
    // Let every room's messages through (the defaults let none in: an empty room allowlist).
    await updateChannel(view.id, { roomPolicy: 'open', mentionMode: 'always' });
    await until('the room in the tree', async () =>
      (await api()).rooms(view.id).find((room) => room.roomId === standup),
    );
  });

  // Each test reads the notifications it caused, not the ones before it (and the center stays quick to read).
  beforeEach(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  // A room view left open (a test that failed half-way) would read the room the next tests count.
  afterEach(closeRoomViews);

  it('a message from another user is a notification, and Reply posts the answer into the room as a reply', async () => {
    const eventId = await theirs.sendText(standup, 'Ready for review?');
    const shown = await notificationWith('in Standup: Ready for review?');
    // With more than one account signed in (as in the whole suite), the notification names the account.
    const many = (await api()).accounts().filter((a) => a.status.state === 'connected').length > 1;
    assert.equal(shown.replace(/^\S+ in Standup: Ready for review\?/, ''), many ? ` (${me.userId})` : '');
    await vscode.commands.executeCommand('matrixChannels.accounts.focus');
    const standupSays = (description: string) => (rows: TreeRow[]) =>
      rows.some((row) => row.label === 'Standup' && row.description === description);
    await treeOnceItShows('the room unread in the tree', standupSays('1 unread'));

    await clickNotificationButton('in Standup: Ready for review?', 'Reply');
    const input = await answerQuickInput({ value: 'Yes, looking now' });
    assert.match(input.title, /^Reply to \S+ in Standup$/);

    const reply = await until('the reply at the server', async () =>
      (await recentEvents(theirs, standup)).find(
        (e) => e.sender === me.userId && e.content['body'] === 'Yes, looking now',
      ),
    );
    assert.deepEqual(reply.content['m.relates_to'], { 'm.in_reply_to': { event_id: eventId } });
    // Answering is reading: the room counts nothing unread any more, and its row in the tree says so.
    await until('the room read', async () =>
      (await api()).rooms(view.id).find((r) => r.roomId === standup)?.unread === 0 ? true : undefined,
    );
    await treeOnceItShows('the room read in the tree', standupSays(''));
  });

  it("a room's context menu holds room actions only; an account's ends with Sign Out", async () => {
    await vscode.commands.executeCommand('matrixChannels.accounts.focus');
    const roomMenu = await treeRowMenu('Accounts', 'Standup');
    assert.ok(roomMenu.includes('Send Message to Room…'), `room menu: ${roomMenu.join(' | ')}`);
    for (const accountAction of ['Copy User ID', 'Edit Channel…', 'Remove Channel', 'Sign Out'])
      assert.ok(!roomMenu.includes(accountAction), `"${accountAction}" is not a room action: ${roomMenu.join(' | ')}`);
    const accountMenu = (await treeRowMenu('Accounts', me.userId)).filter((entry) => entry !== '---');
    assert.equal(accountMenu.at(-1), 'Sign Out', `account menu: ${accountMenu.join(' | ')}`);
    assert.ok(!accountMenu.includes('Mute Room'), `account menu: ${accountMenu.join(' | ')}`);
  });

  it('messages arriving together are one notification; Mark Room as Read clears the unread count', async () => {
    const bodies = ['first of three', 'second of three', 'third of three'];
    // Sent at once, as a burst: they reach the editor in one or two sync responses.
    await Promise.all(bodies.map((body) => theirs.sendText(standup, body)));
    const batched = await notificationWith('new messages in Standup');
    assert.match(batched, /^[23] new messages in Standup — latest from \S+: \w+ of three( \(@[^)]+\))?$/);
    const notifications = await workbenchNotifications();
    const separate = notifications.filter(
      (n) => bodies.some((body) => n.includes(`: ${body}`)) && !n.includes('new messages'),
    );
    assert.ok(separate.length <= 1, `at most one message outside the batch: ${JSON.stringify(notifications)}`);

    const unread = await until('the unread count', async () => {
      const room = (await api()).rooms(view.id).find((r) => r.roomId === standup);
      return room && room.unread >= 3 ? room.unread : undefined;
    });
    assert.ok(unread >= 3);
    // One unit per level: the account counts rooms, the room counts its messages.
    await vscode.commands.executeCommand('matrixChannels.accounts.focus');
    const rows = await treeOnceItShows('the counts in the tree', (shown) =>
      shown.some((row) => row.label === 'Standup' && row.description.startsWith(`${unread} unread`)),
    );
    // At the default sidebar width the row keeps to a few words: connected is its icon, the rest the tooltip.
    const accountRow = rows.find((row) => row.label.includes(me.userId));
    assert.equal(accountRow?.description, '1 room unread');
    assert.equal(accountRow?.icon, 'pass-filled');
    assert.match(accountRow?.ariaLabel ?? '', /, connected, 1 room unread$/);
    // The status bar counts rooms too, of every account (another suite's account may have some).
    const unreadWords = (rooms: number) =>
      rooms === 0 ? '' : rooms === 1 ? ' · 1 room unread' : ` · ${rooms} rooms unread`;
    const before = await roomsUnread();
    await statusBarOnceItSays(unreadWords(before));
    await vscode.commands.executeCommand('matrixChannels.markRoomRead', { accountId: view.id, roomId: standup });
    assert.equal((await api()).rooms(view.id).find((r) => r.roomId === standup)?.unread, 0);
    await statusBarOnceItSays(unreadWords(before - 1));
  });

  it('Send Selection to Room posts the selected code as a code block with its language', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'python',
      content: 'def greet(name):\n    return f"hi {name}"\n\nprint(greet("x"))\n',
    });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 1, 23);
    const sent = await vscode.commands.executeCommand('matrixChannels.sendSelection', {
      accountId: view.id,
      roomId: standup,
    });
    assert.equal(sent, true);
    const message = await until('the code block at the server', async () =>
      (await recentEvents(theirs, standup)).find(
        (e) => e.sender === me.userId && String(e.content['body']).includes('def greet'),
      ),
    );
    assert.match(
      String(message.content['body']),
      /^\S+, lines 1–2:\n```python\ndef greet\(name\):\n {4}return f"hi \{name\}"\n```$/,
    );
    assert.equal(message.content['format'], 'org.matrix.custom.html');
    assert.match(String(message.content['formatted_body']), /<pre><code class="language-python">def greet\(name\):/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('sends into an encrypted room encrypted: the server never holds the text', async () => {
    const secret = await theirs.createRoom({ name: 'Secret', invite: [me.userId], encrypted: true });
    await new MatrixApi(bedInfo().classic.baseUrl, me.accessToken).join(secret);
    await until(
      'the encrypted room in the list',
      async () => (await api()).rooms(view.id).find((r) => r.roomId === secret)?.encrypted,
    );
    const sent = await vscode.commands.executeCommand('matrixChannels.sendMessage', {
      accountId: view.id,
      roomId: secret,
      text: 'in the clear?',
    });
    assert.equal(sent, true);
    const mine = (await recentEvents(theirs, secret)).filter((e) => e.sender === me.userId);
    assert.deepEqual(
      mine.filter((e) => e.type.startsWith('m.room.message') || e.type === 'm.room.encrypted').map((e) => e.type),
      ['m.room.encrypted'],
      'one message, encrypted',
    );
    assert.ok(!JSON.stringify(mine).includes('in the clear?'), 'the text is nowhere at the server');
    assert.deepEqual(
      (await api()).accounts().find((account) => account.id === view.id)?.status.encryption,
      { deviceVerified: false, keyBackup: false, recovery: false },
      'a new device, nothing set up',
    );
    // The account's tooltip, as hovering its row shows it: who, where, the state, the device, its encryption,
    // the rooms and what notifies.
    await vscode.commands.executeCommand('matrixChannels.accounts.focus');
    const tooltip = await treeRowTooltip('Accounts', me.userId);
    assert.deepEqual(tooltip, [
      me.userId,
      view.config.homeserver,
      'connected',
      `Device ${view.deviceId}`,
      'Encryption: this device is not verified. Verify it with your recovery key or another of your devices, so that others trust it and older messages can be read.',
      'Key backup: off.',
      'Recovery: not set up.',
      '2 rooms',
      'Notifies you of direct messages and every message in joined rooms. Invites: you are asked.',
    ]);
  });

  it('an encrypted direct message is a notification with its text, and Reply goes back encrypted', async () => {
    // The other person on Element: a client with the Rust crypto, as the extension's engine runs it.
    const peer = await startPeerBesideTheExtension(other);
    await updateChannel(view.id, { dmPolicy: 'open' });
    try {
      const dm = await theirs.createRoom({ invite: [me.userId], isDirect: true, encrypted: true });
      await new MatrixApi(bedInfo().classic.baseUrl, me.accessToken).join(dm);
      await peer.knowsDevice(me.userId, view.deviceId!);
      await peer.sendText(dm, 'the plan, encrypted');
      const shown = await notificationWith('the plan, encrypted');
      assert.ok(!/encrypted message|cannot be decrypted/i.test(shown), shown);
      await clickNotificationButton('the plan, encrypted', 'Reply');
      await answerQuickInput({ value: 'read you' });
      const reply = await peer.until('read you');
      assert.equal(reply.wireType, 'm.room.encrypted', 'the reply went out encrypted');
    } finally {
      peer.stop();
      await updateChannel(view.id, { dmPolicy: 'allowlist' });
    }
  });

  it('an unverified device offers Verify with Recovery Key on its row, which says when there is no recovery', async () => {
    const verify = 'Verify This Device with Recovery Key…';
    const row = await until('the account row offers to verify', async () =>
      (await workbenchTree('Accounts', { reveal: me.userId })).find(
        (r) => r.label.includes(me.userId) && r.actions.includes(verify),
      ),
    );
    assert.ok(row.actions.includes(verify), row.actions.join(', '));
    assert.ok((await treeRowMenu('Accounts', me.userId)).includes(verify));
    await clickTreeAction('Accounts', me.userId, verify);
    await notificationWith('has no recovery set up, so there is no recovery key to verify with');
    // Its other way: another device of the person, of which there is none.
    assert.ok((await treeRowMenu('Accounts', me.userId)).includes('Verify This Device with Another Device…'));
    await vscode.commands.executeCommand('matrixChannels.verifyWithDevice', view);
    await notificationWith('has no other device to verify with');
  });

  it('Mute Room on a notification silences that room', async () => {
    await theirs.sendText(standup, 'before muting');
    await notificationWith('in Standup: before muting');
    await clickNotificationButton('in Standup: before muting', 'Mute Room');
    await notificationWith('Muted Standup');
    await theirs.sendText(standup, 'after muting');
    const ping = await theirs.createRoom({ name: 'Ping', invite: [me.userId] });
    await new MatrixApi(bedInfo().classic.baseUrl, me.accessToken).join(ping);
    await until('the second room', async () => (await api()).rooms(view.id).find((r) => r.roomId === ping));
    // A message in another room shows, so the muted one had every chance to show before it.
    await theirs.sendText(ping, 'still here');
    await notificationWith('in Ping: still here');
    await sleep(500);
    assert.ok(!(await workbenchNotifications()).some((n) => n.includes('after muting')), 'nothing from the muted room');
    await vscode.commands.executeCommand('matrixChannels.unmuteRoom', { accountId: view.id, roomId: standup });
  });

  it('a channel with notifications off stays quiet, and speaks again once they are on', async () => {
    await updateChannel(view.id, { notifications: false });
    await theirs.sendText(standup, 'while switched off');
    await until(
      'the unread count to see it',
      async () => ((await api()).rooms(view.id).find((r) => r.roomId === standup)?.unread ?? 0) > 0,
    );
    await sleep(500);
    assert.ok(
      !(await workbenchNotifications()).some((n) => n.includes('while switched off')),
      'no notification while off',
    );
    await updateChannel(view.id, { notifications: true });
    await theirs.sendText(standup, 'switched back on');
    await notificationWith('in Standup: switched back on');
  });

  it('joins a room an allowed user invites to; "Allow Messages from This Room" lets its messages through', async () => {
    await updateChannel(view.id, {
      roomPolicy: 'allowlist',
      roomAllowlist: [standup],
      userAllowlist: [other.userId],
      autoJoin: 'always',
    });
    const planning = await theirs.createRoom({ name: 'Planning', invite: [me.userId] });
    const shown = await notificationWith('Joined Planning');
    assert.match(shown, /invited by .*Its messages stay silent/);
    await clickNotificationButton('Joined Planning', 'Allow Messages from This Room');
    await until('the room on the allowlist', async () =>
      (channelEntry(view.id)?.['roomAllowlist'] as string[] | undefined)?.includes(planning),
    );
    await theirs.sendText(planning, 'welcome aboard');
    await notificationWith('in Planning: welcome aboard');
  });
});
