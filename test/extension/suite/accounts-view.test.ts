/**
 * The accounts as a person finds them around the editor: the Accounts menu before any account, the command
 * palette offering only what can act on something, Sign Out asked and answered, a row that stays short, in its
 * place and folded as it was left, and the room list of a new OAuth account that stays put. Everything read from
 * the screen.
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AccountView } from '../../../src/core/account/account-service.ts';
import { createClassicUser, createDelegatedUser, MatrixApi, type MatrixUser } from '../../bed/matrix.ts';
import { signInOAuth } from '../accounts.ts';
import {
  accountsMenu,
  answerQuickInput,
  bedInfo,
  clickNotificationButton,
  clickTreeRow,
  harnessUrl,
  treeRowMenu,
  workbenchTree,
  type TreeRow,
} from '../harness.ts';
import { paletteCommands } from '../palette.ts';
import { api, notificationWith, roomViewTabs, setting, sleep, until, updateChannel } from '../support.ts';

async function signInWithPassword(user: MatrixUser): Promise<AccountView> {
  const view = await vscode.commands.executeCommand<AccountView | undefined>('matrixChannels.signIn', {
    homeserver: bedInfo().classic.baseUrl,
    userId: user.userId,
    password: user.password,
  });
  assert.ok(view, 'signed in');
  return view;
}

/** The account rows around `near` (the tree shows what fits; other suites' accounts are above). */
async function accountRows(near: string): Promise<TreeRow[]> {
  await vscode.commands.executeCommand('matrixChannels.accounts.focus');
  return (await workbenchTree('Accounts', { reveal: near })).filter((row) => row.label.startsWith('@'));
}

describe('the accounts view, its menus and the palette, as seen', function () {
  this.timeout(120_000);

  before(function () {
    if (!harnessUrl()) this.skip();
  });

  beforeEach(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('Sign Out asks first: dismissed, nothing happens; confirmed, it says so and offers Sign In…', async () => {
    const user = await createClassicUser(bedInfo());
    const view = await signInWithPassword(user);
    await vscode.commands.executeCommand('matrixChannels.accounts.focus');
    const menu = await until('the account in the tree', () =>
      treeRowMenu('Accounts', user.userId).catch(() => undefined),
    );
    assert.equal(menu.at(-1), 'Sign Out', `Sign Out last: ${menu.join(' | ')}`);
    // (What is hidden without any account is the first suite's to check: other suites' accounts are live here.)
    const commands = await paletteCommands();
    assert.ok(commands.includes('Matrix: Sign Out'), commands.join(', '));

    // Another extension asks for a Matrix session: the person grants it from the Accounts menu, picking the
    // account; asked again for that account by name, it is that one.
    const scopes = ['urn:matrix:client:api:*'];
    assert.equal(await vscode.authentication.getSession('matrix', scopes, { createIfNone: false }), undefined);
    const menuEntries = await accountsMenu({ click: 'Matrix Channels' });
    assert.ok(
      menuEntries.some((entry) => /Matrix Channels/.test(entry)),
      menuEntries.join('\n'),
    );
    const picker = await answerQuickInput({ value: user.userId, items: true });
    assert.ok(picker.items?.includes(user.userId), JSON.stringify(picker));
    const session = await until('the session granted', () =>
      Promise.resolve(
        vscode.authentication.getSession('matrix', scopes, {
          account: { id: user.userId, label: user.userId },
          silent: true,
        }),
      ),
    );
    assert.equal(session.account.id, user.userId);
    const others = await vscode.authentication.getSession('matrix', [], {
      account: { id: '@nobody:example.org', label: '@nobody:example.org' },
      silent: true,
    });
    assert.equal(others, undefined, 'no session of an account that is not signed in');

    const question = `Sign out of ${user.userId}?`;
    const dismissed = vscode.commands.executeCommand('matrixChannels.signOut', view);
    await notificationWith(question);
    await vscode.commands.executeCommand('notifications.clearAll');
    await dismissed;
    assert.equal((await api()).accounts().find((a) => a.id === view.id)?.status.state, 'connected');

    const confirmed = vscode.commands.executeCommand('matrixChannels.signOut', view);
    await clickNotificationButton(question, 'Sign Out');
    await confirmed;
    assert.equal(await notificationWith(`Signed out of ${user.userId}.`), `Signed out of ${user.userId}.`);
    const rows = await until('the Sign In… row', async () => {
      await vscode.commands.executeCommand('matrixChannels.accounts.focus');
      const shown = await workbenchTree('Accounts', { reveal: user.userId });
      const at = shown.findIndex((row) => row.label === user.userId);
      return shown[at + 1]?.label === 'Sign In…' ? shown.slice(at, at + 2) : undefined;
    });
    assert.equal(rows[0]!.description, 'signed out');
  });

  it('a connected row keeps to a few words, and its place when its account signs in again', async () => {
    const [first, second] = await Promise.all([createClassicUser(bedInfo()), createClassicUser(bedInfo())]);
    await signInWithPassword(first);
    await signInWithPassword(second);
    const order = (rows: TreeRow[]) =>
      rows.map((row) => row.label).filter((label) => label === first.userId || label === second.userId);
    const before = await until('both rows connected', async () => {
      const rows = await accountRows(second.userId);
      const ours = rows.filter((row) => row.label === first.userId || row.label === second.userId);
      return ours.length === 2 && ours.every((row) => row.icon === 'pass-filled') ? rows : undefined;
    });
    assert.deepEqual(order(before), [first.userId, second.userId]);
    const row = before.find((r) => r.label === first.userId)!;
    assert.equal(row.description, '', 'nothing to add: connected is the icon');
    assert.equal(row.ariaLabel, `${first.userId}, connected`);

    await signInWithPassword(first);
    await sleep(500);
    assert.deepEqual(order(await accountRows(second.userId)), [first.userId, second.userId], 'the same order');
    assert.equal((await api()).accounts().filter((a) => a.userId === first.userId).length, 1, 'no second account');
  });

  it('a row stays folded or unfolded as the person left it while its rooms change', async () => {
    const [user, other] = await Promise.all([createClassicUser(bedInfo()), createClassicUser(bedInfo())]);
    const theirs = new MatrixApi(bedInfo().classic.baseUrl, other.accessToken);
    const room = await theirs.createRoom({ name: 'Folding', invite: [user.userId] });
    await new MatrixApi(bedInfo().classic.baseUrl, user.accessToken).join(room);
    const view = await signInWithPassword(user);
    await updateChannel(view.id, { roomPolicy: 'open', mentionMode: 'always' });
    const row = async () => (await accountRows(user.userId)).find((r) => r.label === user.userId);
    const unread = async () => (await api()).rooms(view.id).find((r) => r.roomId === room)?.unread ?? 0;
    // Counted as the server counts: nothing here reads the room (a room view would).
    const counted = (count: number) =>
      until('the unread count', async () => ((await unread()) === count ? true : undefined)).catch(
        async (error: Error) => {
          const views = roomViewTabs().map((tab) => tab.label);
          throw new Error(`${error.message} ${count}: it is ${await unread()}; room views open: ${views.join(', ')}`);
        },
      );
    // A few rooms: the account opens on them.
    await until('the account open on its room', async () => ((await row())?.expanded === 'true' ? true : undefined));

    await clickTreeRow('Accounts', user.userId);
    await until('folded', async () => ((await row())?.expanded === 'false' ? true : undefined));
    await theirs.sendText(room, 'news while folded');
    await counted(1);
    assert.equal((await row())?.expanded, 'false', 'still folded after its rooms changed');

    await clickTreeRow('Accounts', user.userId);
    await until('unfolded', async () => ((await row())?.expanded === 'true' ? true : undefined));
    await theirs.sendText(room, 'more news');
    await counted(2);
    assert.equal((await row())?.expanded, 'true', 'still unfolded after its rooms changed');
    await vscode.commands.executeCommand('matrixChannels.signOut', view, { confirmed: true });
  });

  it('the rooms of a new OAuth account show and stay, and its compose box adds no hint of its own', async () => {
    await setting('signIn.host', 'local');
    const bed = bedInfo();
    const [user, other] = await Promise.all([createDelegatedUser(bed), createDelegatedUser(bed)]);
    const theirs = new MatrixApi(bed.delegated.baseUrl, other.accessToken);
    const room = await theirs.createRoom({ name: 'Kept in view', invite: [user.userId] });
    await new MatrixApi(bed.delegated.baseUrl, user.accessToken).join(room);
    const view = await signInOAuth({ username: user.userId.slice(1).split(':')[0]!, password: user.password });
    await vscode.commands.executeCommand('matrixChannels.accounts.focus');
    const seen: string[] = [];
    const signedIn = Date.now();
    let last = '';
    await until(
      'the room in the tree',
      async () => {
        const rows = await workbenchTree('Accounts', { reveal: 'Kept in view' });
        last = JSON.stringify({
          api: (await api()).rooms(view.id).map((r) => r.name),
          rows: rows.map((r) => `${r.label} ${r.expanded}`),
        });
        return rows.some((row) => row.label === 'Kept in view');
      },
      30_000,
    ).catch((error: Error) => assert.fail(`${error.message}: ${last}`));
    seen.push(`after ${Date.now() - signedIn} ms`);
    for (let i = 0; i < 10; i++) {
      const rows = await workbenchTree('Accounts', { reveal: 'Kept in view' });
      seen.push(rows.some((row) => row.label === 'Kept in view') ? 'shown' : 'missing');
      await sleep(1_000);
    }
    assert.deepEqual(seen.slice(1), Array(10).fill('shown'), `the room never leaves the list (${seen[0]})`);

    const composing = vscode.commands.executeCommand('matrixChannels.sendMessage', {
      accountId: view.id,
      roomId: room,
    });
    const box = await answerQuickInput({ press: 'Escape' });
    assert.equal(box.title, 'Message to Kept in view');
    assert.equal(box.placeholder, 'Your message');
    await composing;
    await vscode.commands.executeCommand('matrixChannels.signOut', view, { confirmed: true });
  });
});
