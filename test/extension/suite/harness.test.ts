/**
 * Proves the browser control of the harness with the bed's plain OAuth client (test/bed/oauth-client.ts), not
 * the extension's: a page opened by `vscode.env.openExternal` is signed in and consented (or denied) by the
 * harness's browser, the device flow is completed page by page, screenshots are written, notifications are
 * read back; and modal dialogs are refused while extension tests run (a VS Code rule tests must live with).
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import * as vscode from 'vscode';
import { createOAuthAccount } from '../../bed/matrix.ts';
import { BedOAuthClient, LoopbackListener, matrixScope, newDeviceId, pkcePair } from '../../bed/oauth-client.ts';
import {
  bedInfo,
  deviceSignIn,
  expectBrowserSignIn,
  harnessUrl,
  lastBrowserPage,
  screenshot,
  workbenchDialog,
  workbenchNotifications,
} from '../harness.ts';

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('harness: a person at the browser', function () {
  let client: BedOAuthClient;
  let clientId: string;

  before(async function () {
    if (!harnessUrl()) this.skip(); // desktop VS Code: there is no harness browser
    client = await BedOAuthClient.fromHomeserver(bedInfo().delegated.baseUrl);
    clientId = await client.registerNative(['http://127.0.0.1/callback']);
  });

  for (const action of ['allow', 'deny'] as const) {
    it(`signs in and answers "${action}" on an OAuth page opened with env.openExternal`, async () => {
      const account = await createOAuthAccount(bedInfo());
      const listener = await LoopbackListener.open();
      try {
        const { verifier, challenge } = pkcePair();
        const state = randomBytes(12).toString('base64url');
        const url = client.authorizationUrl({
          client_id: clientId,
          redirect_uri: listener.redirectUri,
          scope: matrixScope(newDeviceId()),
          state,
          code_challenge: challenge,
          code_challenge_method: 'S256',
          login_hint: account.username,
        });
        await expectBrowserSignIn({ username: account.username, password: account.password, action });
        assert.equal(await vscode.env.openExternal(vscode.Uri.parse(url, true)), true, 'openExternal refused the URL');

        const callback = await waitFor('the loopback callback', () => listener.callbacks[0]);
        assert.equal(callback.get('state'), state);
        const driven = await lastBrowserPage({ waitMs: 30_000 });
        assert.ok(driven, 'the harness reports the driven page');
        assert.equal(driven.error, undefined, driven.error);
        assert.deepEqual(driven.steps, ['login form submitted', `consent: ${action}`]);
        assert.ok(driven.url.startsWith(listener.redirectUri), driven.url);
        assert.match(driven.text, /You can close this window/);
        if (action === 'deny') {
          assert.equal(callback.get('error'), 'access_denied');
          return;
        }
        const code = callback.get('code');
        assert.ok(code, 'the callback carries a code');
        const tokens = await client.exchangeCode(clientId, code, listener.redirectUri, verifier);
        assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      } finally {
        await listener.close();
      }
    });
  }

  it('completes the device authorization grant page by page', async () => {
    const account = await createOAuthAccount(bedInfo());
    const { status, body: grant } = await client.deviceAuthorization(clientId, matrixScope(newDeviceId()));
    assert.equal(status, 200);
    const driven = await deviceSignIn({
      verificationUri: grant.verification_uri,
      userCode: grant.user_code,
      username: account.username,
      password: account.password,
      action: 'allow',
    });
    assert.equal(driven.error, undefined, driven.error);
    assert.deepEqual(driven.steps, ['code entered', 'device confirmed', 'login form submitted', 'consent: allow']);
    assert.match(driven.text, /Device connected/);

    await sleep((grant.interval ?? 5) * 1000);
    const tokens = await client.pollDeviceToken(clientId, grant.device_code);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
  });

  it('saves screenshots of the workbench', async () => {
    const path = await screenshot('harness-workbench');
    assert.ok(existsSync(path), path);
    const statusBar = await screenshot('harness-statusbar', { selector: '.part.statusbar' });
    assert.ok(existsSync(statusBar), statusBar);
  });
});

describe('harness: the workbench', function () {
  before(function () {
    if (!harnessUrl()) this.skip();
  });

  it('reads notifications back from the notification center', async () => {
    const message = `harness notification ${randomBytes(4).toString('hex')}`;
    void vscode.window.showInformationMessage(message);
    const seen = await waitForAsync('the notification', async () =>
      (await workbenchNotifications()).filter((text) => text.includes(message)),
    );
    assert.equal(seen.length, 1);
    assert.deepEqual(
      (await workbenchNotifications()).filter((text) => text.includes(message)),
      [message],
      'reading twice',
    );
  });

  it('modal dialogs are refused during extension tests', async () => {
    await assert.rejects(
      Promise.resolve(vscode.window.showInformationMessage('modal from a test', { modal: true }, 'OK')),
      /refused to show dialog in tests/,
    );
    assert.equal(await workbenchDialog(), undefined);
  });
});

async function waitForAsync<T>(what: string, probe: () => Promise<T[]>, timeoutMs = 10_000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value.length > 0) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}
