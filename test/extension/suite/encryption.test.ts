/**
 * Verifying this device, as the person sees it, against the bed's classic Synapse and another device of the same
 * person with recovery set up (as Element after "Set up recovery"): the recovery key box keeps a wrong key
 * with the reason and the right one verifies; a request from the other device is a notification whose Verify
 * shows the emoji to compare, and They Match ends in "verified" on both sides.
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AccountView } from '../../../src/core/account/account-service.ts';
import { anotherDevice, createClassicUser, type MatrixUser } from '../../bed/matrix.ts';
import type { Peer } from '../../integration/core/e2ee-peer.ts';
import {
  answerQuickInput,
  bedInfo,
  clickNotificationButton,
  clickTreeAction,
  harnessUrl,
  workbenchNotifications,
  workbenchTree,
} from '../harness.ts';
import { startPeerBesideTheExtension } from '../peer.ts';
import { notificationWith, until } from '../support.ts';

const VERIFY_WITH_KEY = 'Verify This Device with Recovery Key…';

describe('verifying this device in VS Code', function () {
  this.timeout(120_000);

  let me: MatrixUser;
  let view: AccountView;
  let element: Peer;
  let recoveryKey: string;

  before(async function () {
    if (!harnessUrl()) this.skip();
    me = await createClassicUser(bedInfo());
    element = await startPeerBesideTheExtension(await anotherDevice(me));
    recoveryKey = await element.setUpRecovery('a passphrase for the test');
    view = await vscode.commands.executeCommand<AccountView>('matrixChannels.signIn', {
      homeserver: bedInfo().classic.baseUrl,
      userId: me.userId,
      password: me.password,
    });
    await element.knowsDevice(me.userId, view.deviceId!);
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('matrixChannels.accounts.focus');
  });

  after(async () => {
    element?.stop();
    if (view) await vscode.commands.executeCommand('matrixChannels.signOut', view, { confirmed: true });
  });

  it('the recovery key box stays open on a wrong key, with the reason; the right key verifies, and the row stops asking', async () => {
    const row = await until('the account row offers to verify', async () =>
      (await workbenchTree('Accounts', { reveal: me.userId })).find(
        (r) => r.label === me.userId && r.actions.includes(VERIFY_WITH_KEY),
      ),
    );
    // The person set up recovery elsewhere, so the row says in words that this device is not verified.
    assert.equal(row.description, 'not verified');
    assert.match(row.ariaLabel, /, not verified$/);
    await clickTreeAction('Accounts', me.userId, VERIFY_WITH_KEY);
    const asked = await answerQuickInput({ value: 'EsTa not the key at all' });
    assert.equal(asked.title, `Verify ${me.userId} with Recovery Key`);
    assert.ok(
      asked.prompt.startsWith(
        'Enter the recovery key (or recovery passphrase) that another Matrix app gave you when you set up recovery.',
      ),
      asked.prompt,
    );

    assert.equal(asked.stillOpen, true, 'the box stays while the key is checked, and after a wrong one');
    const again = await answerQuickInput({ value: recoveryKey, timeoutMs: 30_000 });
    assert.equal(again.title, `Verify ${me.userId} with Recovery Key`);
    assert.equal(again.value, 'EsTa not the key at all', 'with what was typed, to correct');
    assert.equal(again.prompt, 'That is not the recovery key or passphrase of this account.');
    await notificationWith(`This device of ${me.userId} is verified`, 30_000);
    const after = await until('the row without the call to verify', async () =>
      (await workbenchTree('Accounts', { reveal: me.userId })).find(
        (r) => r.label === me.userId && !r.actions.includes(VERIFY_WITH_KEY),
      ),
    );
    assert.equal(after.description, '', 'verified: nothing more to say');
    assert.ok(
      !(await workbenchNotifications()).some((text) => text.includes(recoveryKey)),
      'the key is never shown back',
    );
  });

  it('another device asks: Verify shows its emoji to compare, and They Match verifies on both sides', async () => {
    // This device learns of the other devices with a key query a moment after it connects; a request from a
    // device it does not know yet is ignored (as in any app), so the other device asks again.
    const question = 'asks to verify this device of';
    const request = await until(
      'the request shown here',
      async () => {
        const sent = await element.client.getCrypto()!.requestDeviceVerification(me.userId, view.deviceId!);
        const shown = await notificationWith(question, 3_000).catch(() => undefined);
        if (!shown) await sent.cancel();
        return shown ? { sent, shown } : undefined;
      },
      60_000,
    );
    // The other device has no name (the test logged in without one), so it is named by its ID.
    const device = element.client.getDeviceId()!;
    assert.equal(request.shown, `Another of your devices (${device}) asks to verify this device of ${me.userId}.`);
    const otherSide = element.compareEmoji(request.sent, { match: true, start: true });
    await clickNotificationButton(question, 'Verify');

    const emoji = await notificationWith('Do these emoji match', 30_000);
    assert.ok(emoji.startsWith(`Do these emoji match the ones on your other device (${device}), in the same order? `));
    await clickNotificationButton('Do these emoji match', 'They Match');
    const shownThere = await otherSide;
    assert.equal(shownThere.length, 7);
    for (const name of shownThere) assert.ok(emoji.includes(name), `${name} is shown here too: ${emoji}`);
    await notificationWith(`This device of ${me.userId} is verified.`);
  });
});
