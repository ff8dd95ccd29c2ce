/**
 * Sign-in going wrong, as the person sees it through the packaged bundles (the engine's errors are thrown in
 * dist/engine.js and shown by dist/extension.js): a cancel says nothing, a wrong password asks again with the
 * Matrix ID kept, an address that cannot be a homeserver is refused in the box, and one that cannot be reached
 * opens the box again with the text and the reason.
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createClassicUser, createOAuthAccount } from '../../bed/matrix.ts';
import { startUnfinishedBrowserSignIn } from '../accounts.ts';
import {
  answerQuickInput,
  bedInfo,
  clickNotificationButton,
  expectBrowserSignIn,
  harnessUrl,
  workbenchNotifications,
  workbenchOutput,
} from '../harness.ts';
import { api, setting, until } from '../support.ts';

/** Notifications that report a failure or leak an internal name. */
const complaints = async () =>
  (await workbenchNotifications()).filter((text) => /failed|MatrixChannelError|unexpected/i.test(text));

describe('sign-in going wrong, as seen', function () {
  this.timeout(60_000);

  before(function () {
    if (!harnessUrl()) this.skip();
  });

  beforeEach(async () => {
    await setting('signIn.host', 'local');
    await setting('signIn.timeoutSeconds', 60);
  });

  it('Cancel on the sign-in progress says nothing', async () => {
    const before = await complaints();
    const { progress, signingIn } = await startUnfinishedBrowserSignIn();
    await clickNotificationButton(progress, 'Cancel');
    assert.equal(await signingIn, undefined);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.deepEqual((await complaints()).slice(before.length), [], 'no error for a cancel');
    const offers = (await workbenchNotifications()).filter((text) => /having trouble/i.test(text));
    assert.deepEqual(offers, [], 'no "Having trouble" toast during an attempt');
  });

  it('a browser sign-in that times out says so with "Try Another Way", which lists the other ways', async () => {
    await setting('signIn.timeoutSeconds', 3);
    const account = await createOAuthAccount(bedInfo());
    await expectBrowserSignIn({ ...account, action: 'ignore' });
    const host = new URL(bedInfo().delegated.baseUrl).host;
    const result = await vscode.commands.executeCommand('matrixChannels.signIn', {
      homeserver: bedInfo().delegated.baseUrl,
      authMode: 'oidc',
    });
    assert.equal(result, undefined);
    const failed = `Signing in to ${host} failed:`;
    const shown = await until('the failure', async () =>
      (await workbenchNotifications()).find((text) => text.startsWith(failed)),
    );
    assert.doesNotMatch(shown, /MatrixChannelError/);
    await clickNotificationButton(failed, 'Try Another Way');
    const ways = await answerQuickInput({ press: 'Escape', items: true });
    assert.equal(ways.title, 'Sign in another way');
    assert.deepEqual(ways.items, [
      'Browser (local redirect)',
      'Browser (redirect to the editor)',
      'Code on another device',
    ]);
  });

  it('"Show Log" on a failed sign-in opens the log at the failure', async () => {
    await setting('signIn.timeoutSeconds', 3);
    const account = await createOAuthAccount(bedInfo());
    await expectBrowserSignIn({ ...account, action: 'ignore' });
    const host = new URL(bedInfo().delegated.baseUrl).host;
    await vscode.commands.executeCommand('matrixChannels.signIn', {
      homeserver: bedInfo().delegated.baseUrl,
      authMode: 'oidc',
    });
    const failed = `Signing in to ${host} failed:`;
    const shown = await until('the failure', async () =>
      (await workbenchNotifications()).find((text) => text.startsWith(failed)),
    );
    await clickNotificationButton(failed, 'Show Log');
    const reason = shown.slice(failed.length).trim().split(/[.:]/)[0]!;
    const log = await until('the failure in the log', async () => {
      // The panel wraps long lines.
      const text = (await workbenchOutput().catch(() => '')).replace(/\s+/g, ' ');
      return text.includes(reason) ? text : undefined;
    });
    assert.match(log, /signing in to \S+ failed \(\w+\): /);
    assert.ok(log.includes(host), log);
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });

  it('a wrong password: one clear sentence, and the Matrix ID box comes back with the ID kept', async () => {
    const before = await complaints();
    const user = await createClassicUser(bedInfo());
    const accountsBefore = (await api()).accounts().length;
    const signingIn = vscode.commands.executeCommand('matrixChannels.signIn');
    await answerQuickInput({ value: bedInfo().classic.baseUrl });
    const how = await answerQuickInput({ value: 'Password', items: true });
    assert.deepEqual(how.items, ['Password', 'Access token — from another client']);
    const id = await answerQuickInput({ value: user.userId });
    assert.equal(id.title, 'Matrix ID');
    await answerQuickInput({ value: 'not the password' });

    const again = await answerQuickInput({ press: 'Escape' });
    assert.equal(again.title, 'Matrix ID');
    assert.equal(again.value, user.userId, 'the Matrix ID is kept');
    assert.equal(
      again.prompt,
      'The homeserver did not accept this user ID and password. Check what you entered and try again.',
    );
    assert.equal(await signingIn, undefined);
    assert.deepEqual((await complaints()).slice(before.length), [], 'asked again, not announced as a failure');
    assert.equal((await api()).accounts().length, accountsBefore, 'no account left behind');
  });

  it('an address that cannot be a homeserver is refused in the box, as typed', async () => {
    const signingIn = vscode.commands.executeCommand('matrixChannels.signIn');
    const typed = await answerQuickInput({ value: 'my server', expectOpen: true });
    assert.equal(typed.title, 'Sign in to Matrix');
    assert.match(typed.messageAfterTyping ?? '', /^The homeserver address contains spaces\./);
    assert.equal(typed.stillOpen, true, 'Enter does not take it');
    await answerQuickInput({ press: 'Escape' });
    assert.equal(await signingIn, undefined);
  });

  it('a homeserver that cannot be reached: the box opens again with the text and the reason', async () => {
    const before = await complaints();
    const signingIn = vscode.commands.executeCommand('matrixChannels.signIn');
    const address = 'http://127.0.0.1:9';
    await answerQuickInput({ value: address });
    const again = await answerQuickInput({ press: 'Escape', timeoutMs: 20_000 });
    assert.equal(again.title, 'Sign in to Matrix');
    assert.equal(again.value, address, 'the text is kept');
    assert.match(again.prompt, /^Cannot reach 127\.0\.0\.1:9\. Check the address and your network connection/);
    assert.equal(await signingIn, undefined);
    assert.deepEqual((await complaints()).slice(before.length), [], 'no crash-style error');
  });
});
