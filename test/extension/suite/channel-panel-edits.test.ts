/**
 * Editing a signed-in channel in its panel, as a person does: the device it is signed in as is named, the room
 * allowlist is filled from a picker of the rooms the account joined, and closing the panel on unsaved edits
 * offers them back instead of losing them.
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AccountView } from '../../../src/core/account/account-service.ts';
import { createClassicUser, MatrixApi, type MatrixUser } from '../../bed/matrix.ts';
import { closePanels, openEditPanel } from '../channel-panels.ts';
import {
  answerQuickInput,
  bedInfo,
  clickNotificationButton,
  harnessUrl,
  webview,
  workbenchNotifications,
} from '../harness.ts';
import { api, sleep, until } from '../support.ts';

const unsavedNotice = 'were not saved';

describe('the channel panel, editing a signed-in channel', function () {
  this.timeout(90_000);
  let user: MatrixUser;
  let view: AccountView;
  let roomId: string;

  before(async function () {
    if (!harnessUrl()) this.skip();
    user = await createClassicUser(bedInfo());
    roomId = await new MatrixApi(bedInfo().classic.baseUrl, user.accessToken).createRoom({ name: 'Picked room' });
    const signedIn = await vscode.commands.executeCommand<AccountView | undefined>('matrixChannels.signIn', {
      homeserver: bedInfo().classic.baseUrl,
      userId: user.userId,
      password: user.password,
    });
    assert.ok(signedIn?.deviceId, 'signed in, with a device');
    view = signedIn;
    await until('the room known', async () => (await api()).rooms(view.id).some((room) => room.roomId === roomId));
  });

  beforeEach(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(async () => {
    if (!view) return;
    await closePanels();
    await vscode.commands.executeCommand('matrixChannels.signOut', view, { confirmed: true });
  });

  it('names the device the channel is signed in as', async () => {
    await openEditPanel(view, user.userId);
    await webview.click('#advanced summary');
    const line = await webview.wait('#device-now', { text: view.deviceId! });
    assert.equal(line.text.trim(), `Signed in as device ${view.deviceId}. Leave Device ID empty to keep it.`);
    assert.equal((await webview.read('#deviceId', { attribute: 'placeholder' })).attribute, view.deviceId);
  });

  it('"Add joined rooms…" puts the rooms picked in the editor on the room allowlist', async () => {
    await openEditPanel(view, user.userId);
    await webview.click('#roomAllowlist-pick');
    const picker = await answerQuickInput({ items: true, press: 'ArrowDown', expectOpen: true });
    assert.equal(picker.title, 'Rooms to allow');
    assert.deepEqual(picker.items, [`Picked room — ${roomId}`]);
    await answerQuickInput({ press: 'Space', expectOpen: true });
    await answerQuickInput({ press: 'Enter' });
    const entry = await webview.wait('[data-testid="roomAllowlist-entry"]', { text: roomId });
    assert.equal(entry.count, 1);
    // Picked again: still once on the list.
    await webview.click('#roomAllowlist-pick');
    await answerQuickInput({ press: 'ArrowDown', expectOpen: true });
    await answerQuickInput({ press: 'Space', expectOpen: true });
    await answerQuickInput({ press: 'Enter' });
    await sleep(500);
    assert.equal((await webview.read('[data-testid="roomAllowlist-entry"]')).count, 1);
    // Not saved: put back as it was, so closing asks nothing.
    await webview.click('[data-testid="roomAllowlist-remove"]');
  });

  it('closing the panel on unsaved edits offers them back; closing it unchanged says nothing', async () => {
    await openEditPanel(view, user.userId);
    await webview.fill('#label input', 'Unsaved name');
    await sleep(300);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const notice = await until('the notice', async () =>
      (await workbenchNotifications()).find((text) => text.includes(unsavedNotice)),
    );
    assert.equal(notice, `Your changes in "Matrix: ${user.userId}" were not saved.`);
    assert.equal((await api()).accounts().find((a) => a.id === view.id)?.config.label, undefined, 'nothing saved');

    await clickNotificationButton(unsavedNotice, 'Reopen');
    await webview.wait('#heading', { text: `Edit channel: ${user.userId}`, timeoutMs: 30_000 });
    await until(
      'the edit back in the form',
      async () => (await webview.read('#label', { property: 'value' })).property === 'Unsaved name',
    );

    await webview.fill('#label input', '');
    await sleep(300);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await sleep(1_000);
    const notices = (await workbenchNotifications()).filter((text) => text.includes(unsavedNotice));
    assert.deepEqual(notices, [], 'nothing to offer back');
  });
});
