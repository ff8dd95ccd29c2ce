/**
 * The channel configuration panel in a real VS Code (code-server) with the harness's Playwright inside the
 * webview frame, against the bed: add a password, an access-token and an OAuth channel through the form, edit
 * each (the method shown as signed in, secrets only ever "stored", one field changed and nothing else, the
 * homeserver change announced before saving), and remove one. The add form left unsaved:
 * channel-panel-add-form.test.ts.
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AccountView } from '../../../src/core/account/account-service.ts';
import { createClassicUser, createOAuthAccount, MatrixApi, type MatrixUser } from '../../bed/matrix.ts';
import { accessTokenOf, api, notificationWith, until } from '../support.ts';
import { closePanels, openAddPanel, openEditPanel } from '../channel-panels.ts';
import {
  bedInfo,
  clickNotificationButton,
  expectBrowserSignIn,
  harnessUrl,
  lastBrowserPage,
  webview,
  workbenchNotifications,
} from '../harness.ts';
import { channels, saveEnabled, signInSettings, type Entry } from './channel-panel-fixture.ts';

type Mode = 'oidc' | 'password' | 'access_token';
const MODES: readonly Mode[] = ['oidc', 'password', 'access_token'];

function entry(id: string): Entry {
  const found = channels().find((e) => e['id'] === id);
  assert.ok(found, `settings entry ${id}`);
  return structuredClone(found);
}

/** Picks a value in one of the toolkit's dropdowns, as a person with a mouse does. */
async function choose(id: string, value: string): Promise<void> {
  await webview.click(`#${id}`);
  await webview.click(`#${id} vscode-option[value="${value}"]`);
  await until(
    `${id} = ${value}`,
    async () => (await webview.read(`#${id}`, { property: 'value' })).property === value,
    5_000,
  );
}

async function checkedMode(): Promise<Mode[]> {
  const checked: Mode[] = [];
  for (const mode of MODES) {
    if ((await webview.read(`#authMode-${mode}`, { attribute: 'aria-checked' })).attribute === 'true')
      checked.push(mode);
  }
  return checked;
}

async function assertNoSecrets(secrets: Record<string, string>): Promise<void> {
  const html = await webview.html();
  assert.ok(html.includes('channel-form'), 'read the panel page');
  for (const [what, secret] of Object.entries(secrets))
    assert.ok(!html.includes(secret), `the webview DOM contains the ${what}`);
}

async function connectedAccount(userId: string): Promise<AccountView> {
  const account = (await api()).accounts().find((a) => a.userId === userId);
  assert.ok(
    account,
    `an account for ${userId}; accounts: ${JSON.stringify((await api()).accounts().map((a) => a.userId))}`,
  );
  assert.equal(account.status.state, 'connected');
  return account;
}

/** The status line after a save or sign-in, once it says how it went. */
async function outcome(timeoutMs = 30_000): Promise<{ kind: string | null | undefined; text: string }> {
  const status = await webview.wait('#status', { timeoutMs });
  const kind = (await webview.read('#status', { attribute: 'data-kind' })).attribute;
  if (kind !== 'success') {
    assert.fail(
      `the panel says ${kind}: ${status.text}; notifications: ${JSON.stringify(await workbenchNotifications())}`,
    );
  }
  return { kind, text: status.text };
}

describe('channel panel in VS Code', function () {
  this.timeout(120_000);

  const bed = () => bedInfo();
  let alice: MatrixUser; // password channel
  let bob: MatrixUser; // access-token channel
  let carol: { username: string; password: string; userId: string }; // OAuth channel
  const views: Partial<Record<Mode, AccountView>> = {};

  before(async function () {
    if (!harnessUrl()) this.skip();
    [alice, bob, carol] = await Promise.all([
      createClassicUser(bed()),
      createClassicUser(bed()),
      createOAuthAccount(bed()),
    ]);
  });

  beforeEach(signInSettings);

  after(async () => {
    if (!harnessUrl()) return;
    await closePanels();
  });

  it('adds a password channel: discovery says "password only", the secret never reaches the page', async () => {
    await openAddPanel();
    assert.equal((await webview.read('#save')).text.trim(), 'Sign in and save');
    await webview.wait('#save', { attribute: 'disabled', value: '' }); // nothing entered yet
    await webview.fill('#homeserver input', bed().classic.baseUrl);
    // The verdict attribute and the text are rendered together, but read one after the other: wait for both.
    await webview.wait('#discovery-hint', { attribute: 'data-verdict', value: 'password' });
    await webview.wait('#discovery-hint', { text: 'Password only' });
    await webview.wait('#authMode-password', { attribute: 'aria-checked', value: 'true' });
    assert.deepEqual(await checkedMode(), ['password'], 'discovery picked the method');
    await webview.wait('#accessToken', { state: 'hidden' });
    await webview.fill('#userId input', alice.userId);
    await webview.fill('#password input', alice.password);
    await webview.fill('#label input', 'Work');
    await webview.fill('#userAllowlist-input input', '@*:example.org');
    await webview.click('#userAllowlist-add');
    await webview.wait('[data-testid="userAllowlist-entry"]', { text: '@*:example.org' });
    await saveEnabled('Sign in and save');
    await webview.click('#save');

    const { text } = await outcome();
    assert.match(text, new RegExp(`Signed in as ${alice.userId}`));
    const view = await connectedAccount(alice.userId);
    assert.equal(view.config.authMode, 'password');
    assert.deepEqual(entry(view.id)['userAllowlist'], ['@*:example.org']);
    assert.equal(entry(view.id)['label'], 'Work');
    await webview.wait('#account-status', { attribute: 'data-state', value: 'connected' });
    // The panel has become the channel's edit form: the typed password is gone, only "stored" remains.
    await webview.wait('#password-stored', { state: 'visible' });
    await assertNoSecrets({ password: alice.password, 'access token': await accessTokenOf(view.id) });
    assert.ok(!JSON.stringify(channels()).includes(alice.password), 'not in settings');
    views.password = view;
  });

  it("adds an access-token channel; an unreachable homeserver is said in the palette's words", async () => {
    await openAddPanel();
    // The palette's sign-in says the same for this address (sign-in-errors.test.ts).
    await webview.fill('#homeserver input', 'http://127.0.0.1:9');
    await webview.wait('#discovery-hint', { attribute: 'data-verdict', value: 'unreachable' });
    assert.equal(
      (await webview.wait('#discovery-hint', { text: 'Cannot reach' })).text.trim(),
      'Cannot reach 127.0.0.1:9. Check the address and your network connection, then try again.',
    );
    await webview.fill('#homeserver input', bed().classic.serverName);
    await webview.wait('#discovery-hint', { attribute: 'data-verdict', value: 'password' });
    await webview.click('#authMode-access_token');
    await webview.wait('#authMode-access_token', { attribute: 'aria-checked', value: 'true' });
    await webview.wait('#password', { state: 'hidden' });
    await webview.fill('#accessToken input', bob.accessToken);
    await saveEnabled('Sign in and save');
    await webview.click('#save');

    await outcome();
    const view = await connectedAccount(bob.userId);
    assert.equal(view.config.authMode, 'access_token');
    await assertNoSecrets({ 'access token': bob.accessToken });
    assert.ok(!JSON.stringify(channels()).includes(bob.accessToken), 'not in settings');
    views.access_token = view;
  });

  it('adds an OAuth channel: "Sign in with browser" from the panel', async () => {
    await openAddPanel();
    await webview.fill('#homeserver input', bed().delegated.baseUrl);
    await webview.wait('#discovery-hint', { attribute: 'data-verdict', value: 'oauth' });
    await webview.wait('#discovery-hint', { text: 'OAuth supported' });
    await webview.wait('#authMode-oidc', { attribute: 'aria-checked', value: 'true' });
    assert.deepEqual(await checkedMode(), ['oidc'], 'OAuth is recommended when offered');
    await webview.wait('#userId', { state: 'hidden' });
    await saveEnabled('Sign in with browser');
    await expectBrowserSignIn({ ...carol, action: 'allow' });
    await webview.click('#save');
    await webview.wait('#progress');

    await outcome(60_000);
    const page = await lastBrowserPage({ waitMs: 10_000 });
    assert.equal(page?.error, undefined, page?.error);
    const view = await connectedAccount(carol.userId);
    assert.equal(view.config.authMode, 'oidc');
    await webview.wait('#account-status', { attribute: 'data-state', value: 'connected' });
    await assertNoSecrets({ 'access token': await accessTokenOf(view.id) });
    views.oidc = view;
  });

  const editCases: Array<{
    mode: Mode;
    heading: (v: AccountView) => string;
    secrets: () => Record<string, string>;
    otherHomeserver: () => string;
  }> = [
    {
      mode: 'password',
      heading: () => 'Work',
      secrets: () => ({ password: alice.password }),
      otherHomeserver: () => bed().delegated.baseUrl,
    },
    {
      mode: 'access_token',
      heading: (v) => v.userId!,
      secrets: () => ({ 'access token': bob.accessToken }),
      otherHomeserver: () => bed().delegated.baseUrl,
    },
    { mode: 'oidc', heading: (v) => v.userId!, secrets: () => ({}), otherHomeserver: () => bed().classic.baseUrl },
  ];
  for (const { mode, heading, secrets, otherHomeserver } of editCases) {
    it(`edits the ${mode} channel: method kept, secret stored, only the changed field saved, session untouched`, async () => {
      const view = views[mode];
      assert.ok(view, `the ${mode} channel was added`);
      const before = entry(view.id);
      const token = await accessTokenOf(view.id);
      await openEditPanel(view, heading(view));

      // (The toolkit reflects `checked` to aria-checked on its next update: wait for it, then look at all three.)
      await webview.wait(`#authMode-${mode}`, { attribute: 'aria-checked', value: 'true' });
      assert.deepEqual(await checkedMode(), [mode], 'the method it signed in with, and only that one');
      await webview.wait('#account-status', { attribute: 'data-state', value: 'connected' });
      await webview.wait('#save', { attribute: 'disabled', value: '' }); // nothing changed yet
      if (mode === 'password') {
        await webview.wait('#password-stored');
        await webview.wait('#password', { state: 'hidden' });
        assert.equal((await webview.read('#userId input', { property: 'value' })).property, alice.userId);
      } else if (mode === 'access_token') {
        await webview.wait('#accessToken-stored');
        await webview.wait('#accessToken', { state: 'hidden' });
      } else {
        await webview.wait('#oauth-text', { text: 'Signed in with the browser' });
        await webview.wait('#sign-in-again');
        await webview.wait('#password-stored', { state: 'hidden' });
      }
      await assertNoSecrets({ ...secrets(), 'session token': token });

      // One field changed: saved without a new sign-in, nothing else in the entry touched.
      const dmPolicy = before['dmPolicy'] === 'open' ? 'disabled' : 'open';
      await choose('dmPolicy', dmPolicy);
      await webview.wait('#sign-in-notice', { state: 'hidden' });
      await saveEnabled('Save');
      await webview.click('#save');
      const { text } = await outcome();
      assert.equal(text, 'Saved.');
      assert.deepEqual(entry(view.id), { ...before, dmPolicy });
      assert.equal(await accessTokenOf(view.id), token, 'the session is unchanged');
      const after = await connectedAccount(view.userId!);
      assert.equal(after.deviceId, view.deviceId);
      assert.equal(after.config.dmPolicy, dmPolicy);

      // A new homeserver means signing in again, and the panel says so before saving.
      await webview.fill('#homeserver input', otherHomeserver());
      const notice = await webview.wait('#sign-in-notice', { text: 'the homeserver changed' });
      assert.match(notice.text, /Saving signs this channel in again/);
      assert.match((await webview.read('#save')).text, /sign in/);
      if (mode === 'password') await webview.wait('#password-stored', { state: 'hidden' });
      await webview.fill('#homeserver input', String(before['homeserver']));
      await webview.wait('#sign-in-notice', { state: 'hidden' });
      await webview.wait('#save', { attribute: 'disabled', value: '' });
      await closePanels();
      assert.deepEqual(entry(view.id), { ...before, dmPolicy }, 'nothing saved by the homeserver round trip');
      assert.equal(await accessTokenOf(view.id), token);
    });
  }

  it('removes the access-token channel: asked first, signed out, settings entry gone; an open panel says so', async () => {
    const view = views.access_token;
    assert.ok(view, 'the access-token channel was added');
    const others = (await api())
      .accounts()
      .filter((a) => a.id !== view.id)
      .map((a) => a.id);
    await openEditPanel(view, view.userId!);

    const removing = Promise.resolve(vscode.commands.executeCommand('matrixChannels.removeChannel', view));
    // Extension tests refuse modal dialogs; the question comes as a notification then, answered like a person.
    const question = await notificationWith('Remove the Matrix channel', 10_000);
    assert.equal(question, `Remove the Matrix channel ${bob.userId}? This signs it out and deletes its settings.`);
    assert.ok(
      (await api()).accounts().some((a) => a.id === view.id),
      'nothing removed before the answer',
    );
    await clickNotificationButton('Remove the Matrix channel', 'Remove');
    await removing;

    assert.equal(
      (await api()).accounts().find((a) => a.id === view.id),
      undefined,
      'no account',
    );
    assert.equal(
      channels().find((e) => e['id'] === view.id),
      undefined,
      'no settings entry',
    );
    await assert.rejects((await api()).client(view.id), /not signed in/);
    await assert.rejects(new MatrixApi(bed().classic.baseUrl, bob.accessToken).whoami(), 'logged out at the server');
    assert.deepEqual(
      (await api()).accounts().map((a) => a.id),
      others,
      'the other channels stay',
    );
    await webview.wait('#status', { text: 'This channel was removed' });
    await webview.wait('#save', { attribute: 'disabled', value: '' });
    await closePanels();
  });
});
