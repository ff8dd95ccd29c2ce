/**
 * Sign-in in a real VS Code (code-server) with a real browser (Chromium driven by the harness) against the
 * bed: OAuth through the loopback flow and through the URI handler, the device flow, password and access
 * token, short-lived tokens, a session revoked on the server, abandoned sign-ins, and sign-out.
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AccountView } from '../../../src/core/account/account-service.ts';
import { createClassicUser, createOAuthAccount, MatrixApi } from '../../bed/matrix.ts';
import { BedOAuthClient, introspectToken } from '../../bed/oauth-client.ts';
import {
  bedInfo,
  clickNotificationButton,
  expectBrowserSignIn,
  harnessUrl,
  lastBrowserPage,
  workbenchNotifications,
  workbenchStatusBar,
} from '../harness.ts';
import { accessTokenOf, api, setting, sleep, until } from '../support.ts';
import { signInOAuth } from '../accounts.ts';

/** Every file under a directory whose content contains `needle` (for "the token is nowhere else"). */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  for (const name of readdirSync(dir, { recursive: true }).map(String)) {
    const path = join(dir, name);
    try {
      if (statSync(path).isFile() && statSync(path).size < 50 * 1024 * 1024 && readFileSync(path).includes(needle))
        hits.push(name);
    } catch {
      // vanished while scanning
    }
  }
  return hits;
}

/**
 * Starts the device flow and reads the code the editor shows (as a notification: the tests refuse modals). The
 * notification center keeps earlier sign-ins' codes, so the code is read from a notification that is new.
 */
async function startDeviceSignIn(homeserver: string) {
  await setting('signIn.flow', 'device');
  const earlier = new Set(await workbenchNotifications());
  const pending = vscode.commands.executeCommand<AccountView | undefined>('matrixChannels.signIn', {
    homeserver,
    authMode: 'oidc',
  });
  const [, userCode, host] = await until('the device code', async () => {
    for (const text of (await workbenchNotifications()).filter((shown) => !earlier.has(shown))) {
      const match = /code (\S+) at (\S+) to sign in/.exec(text);
      if (match) return match;
    }
    return undefined;
  });
  return { pending, userCode: userCode!, host: host! };
}

/** What the OAuth server says of a token, asked as the homeserver asks it. */
const introspect = (token: string) => introspectToken(bedInfo(), token);

describe('sign-in in VS Code', function () {
  this.timeout(90_000);

  before(function () {
    if (!harnessUrl()) this.skip();
  });

  beforeEach(async () => {
    await setting('signIn.host', 'local');
    await setting('signIn.flow', 'auto');
    await setting('signIn.timeoutSeconds', 60);
  });

  it('OAuth through the loopback flow: connected, token only in SecretStorage', async () => {
    const bed = bedInfo();
    const account = await createOAuthAccount(bed);
    const view = await signInOAuth(account);
    assert.equal(view.status.state, 'connected');
    assert.equal(view.userId, account.userId);
    const page = await lastBrowserPage({ waitMs: 10_000 });
    assert.match(page?.url ?? '', /\/callback\?/, 'the success page sent the browser on to the editor');
    assert.equal((await api()).accounts().find((a) => a.id === view.id)?.status.state, 'connected');

    const token = await accessTokenOf(view.id);
    assert.equal((await new MatrixApi(bed.delegated.baseUrl, token).whoami()).user_id, account.userId);
    const settings = JSON.stringify(vscode.workspace.getConfiguration('matrixChannels').inspect('channels'));
    assert.ok(!settings.includes(token), 'not in settings');
    const userData = process.env.MATRIX_USER_DATA_DIR;
    assert.ok(userData, 'the harness names the user data dir');
    assert.deepEqual(filesContaining(userData, token), [], 'not in globalState, logs or any file of the user data dir');
  });

  it('OAuth through the URI handler (asExternalUri redirect)', async () => {
    await setting('signIn.host', 'web');
    await setting('signIn.flow', 'uri_handler');
    const account = await createOAuthAccount(bedInfo());
    const view = await signInOAuth(account);
    assert.equal(view.status.state, 'connected');
    assert.equal(view.userId, account.userId);
    const page = await lastBrowserPage({ waitMs: 10_000 });
    assert.match(page?.url ?? '', /\/callback\?/, 'the browser ended on the workbench callback');
  });

  it('the device flow: the code in the editor; Copy & Open puts it on the clipboard, opens the page, says so', async () => {
    const bed = bedInfo();
    const account = await createOAuthAccount(bed);
    const { pending, userCode, host } = await startDeviceSignIn(bed.delegated.baseUrl);
    // On the page that opens, the person pastes the code, signs in and allows.
    await expectBrowserSignIn({ ...account, action: 'allow', userCode });
    await clickNotificationButton(`code ${userCode} at`, 'Copy & Open');
    const opened = (await lastBrowserPage({ waitMs: 20_000 }))!;
    assert.equal(opened.url.startsWith(`http://${host}/link`), true, opened.url);
    assert.deepEqual(opened.steps, ['code entered', 'device confirmed', 'login form submitted', 'consent: allow']);
    assert.equal(await vscode.env.clipboard.readText(), userCode);
    await until('the notice', async () =>
      (await workbenchNotifications()).find((text) =>
        text.includes(`The code ${userCode} is on the clipboard: paste it on the page that opened.`),
      ),
    );
    const view = await pending;
    assert.equal(view?.status.state, 'connected');
    assert.equal(view?.userId, account.userId);
  });

  it('Sign In… again as someone who already has an account keeps one account, with its settings', async () => {
    const bed = bedInfo();
    const user = await createClassicUser(bed);
    const args = { homeserver: bed.classic.baseUrl, userId: user.userId, password: user.password };
    const first = await vscode.commands.executeCommand<AccountView>('matrixChannels.signIn', args);
    const count = (await api()).accounts().length;
    const again = await vscode.commands.executeCommand<AccountView>('matrixChannels.signIn', args);
    assert.equal(again.id, first.id, 'the same account');
    assert.equal((await api()).accounts().length, count, 'no second row');
    assert.equal(again.status.state, 'connected');
    await vscode.commands.executeCommand('matrixChannels.signOut', again, { confirmed: true });
  });

  it('password and access token on the classic homeserver', async () => {
    const bed = bedInfo();
    const [alice, bob] = await Promise.all([createClassicUser(bed), createClassicUser(bed)]);
    const byPassword = await vscode.commands.executeCommand<AccountView>('matrixChannels.signIn', {
      homeserver: bed.classic.baseUrl,
      userId: alice.userId,
      password: alice.password,
    });
    assert.equal(byPassword.status.state, 'connected');
    assert.equal(byPassword.config.authMode, 'password');
    const byToken = await vscode.commands.executeCommand<AccountView>('matrixChannels.signIn', {
      homeserver: bed.classic.serverName,
      accessToken: bob.accessToken,
    });
    assert.equal(byToken.status.state, 'connected');
    assert.equal(byToken.userId, bob.userId);
    const settings = JSON.stringify(vscode.workspace.getConfiguration('matrixChannels').inspect('channels'));
    assert.ok(!settings.includes(alice.password) && !settings.includes(bob.accessToken));
  });

  it('stays connected through refreshes with 5-second tokens', async () => {
    const account = await createOAuthAccount(bedInfo(), { accessTokenTtl: 5 });
    const view = await signInOAuth(account);
    const client = await (await api()).client(view.id);
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      assert.equal((await client.whoami()).user_id, account.userId);
      seen.add(await accessTokenOf(view.id));
      await sleep(500);
    }
    assert.ok(seen.size >= 3, `tokens rotated ${seen.size - 1} times`);
    assert.equal((await api()).accounts().find((a) => a.id === view.id)?.status.state, 'connected');
    // Renewing every few seconds for the rest of the suite would only slow the tests after this one.
    await vscode.commands.executeCommand('matrixChannels.signOut', view, { confirmed: true });
  });

  it('a session revoked on the server: "needs sign-in", one notification, and signing in again keeps the device', async () => {
    const bed = bedInfo();
    const account = await createOAuthAccount(bed, { accessTokenTtl: 5 });
    const view = await signInOAuth(account);
    const token = await accessTokenOf(view.id);
    const { metadata } = await BedOAuthClient.fromHomeserver(bed.delegated.baseUrl);
    // Revoking the access token ends the whole session at the server (MAS semantics); the next refresh fails.
    const revoked = await fetch(metadata.revocation_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token,
        token_type_hint: 'access_token',
        client_id: (await introspect(token)).client_id ?? '',
      }).toString(),
    });
    assert.equal(revoked.status, 200);
    await until(
      'needs sign-in',
      () => api().then((a) => a.accounts().find((x) => x.id === view.id)?.status.state === 'needs_sign_in'),
      20_000,
    );
    await sleep(1_000);
    const notices = (await workbenchNotifications()).filter(
      (text) => text.includes('has ended') && text.includes(account.userId),
    );
    assert.equal(notices.length, 1, `notifications: ${JSON.stringify(notices)}`);
    // The status bar counts accounts that need the person (other suites' may need them too).
    const status = await workbenchStatusBar('matrixChannels.status');
    assert.match(status.text, /Matrix: (1 account needs you|\d+ accounts need you)$/);

    await expectBrowserSignIn({ ...account, action: 'allow' });
    const again = await vscode.commands.executeCommand<AccountView>(
      'matrixChannels.signIn',
      (await api()).accounts().find((a) => a.id === view.id),
    );
    assert.equal(again.status.state, 'connected');
    assert.equal(again.deviceId, view.deviceId, 'the device id is kept');
  });

  it('abandoned sign-ins leave nothing; a denied consent is reported within a second', async () => {
    const before = (await api()).accounts().length;
    const servers = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
    const serversBefore = servers();
    await setting('signIn.timeoutSeconds', 3);
    const account = await createOAuthAccount(bedInfo());
    await expectBrowserSignIn({ ...account, action: 'ignore' });
    const abandoned = await vscode.commands.executeCommand('matrixChannels.signIn', {
      homeserver: bedInfo().delegated.baseUrl,
      authMode: 'oidc',
    });
    assert.equal(abandoned, undefined);
    assert.equal((await api()).accounts().length, before, 'no node left');
    await until('the loopback listener to close', () => servers() <= serversBefore, 5_000);

    await setting('signIn.timeoutSeconds', 60);
    await expectBrowserSignIn({ ...account, action: 'deny' });
    const denied = vscode.commands.executeCommand('matrixChannels.signIn', {
      homeserver: bedInfo().delegated.baseUrl,
      authMode: 'oidc',
    });
    await lastBrowserPage({ waitMs: 15_000 });
    const clicked = Date.now();
    assert.equal(await denied, undefined);
    assert.ok(Date.now() - clicked < 1_000, 'reported promptly, not after a timeout');
    const notices = await until(
      'the failure notification',
      async () => {
        const texts = (await workbenchNotifications()).filter((t) => t.includes('Access was denied'));
        return texts.length ? texts : undefined;
      },
      5_000,
    );
    assert.equal(notices.length, 1);
    assert.equal((await api()).accounts().length, before);
  });

  it('sign-out revokes at the server and deletes the secret', async () => {
    const account = await createOAuthAccount(bedInfo());
    const view = await signInOAuth(account);
    const token = await accessTokenOf(view.id);
    assert.equal((await introspect(token)).active, true);
    await vscode.commands.executeCommand('matrixChannels.signOut', view, { confirmed: true });
    assert.equal((await api()).accounts().find((a) => a.id === view.id)?.status.state, 'signed_out');
    assert.equal((await introspect(token)).active, false, 'revoked at the server');
    await assert.rejects((await api()).client(view.id), /not signed in/);
  });
});
