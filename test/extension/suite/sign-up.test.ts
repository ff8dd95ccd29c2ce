/**
 * Matrix: Sign In… from the palette, as a person meets it on a server whose sign-in service takes new accounts:
 * after the homeserver, a choice of the browser sign-in, creating an account, or an access token; creating an
 * account opens the server's sign-up page. (Where the service takes no new accounts the choice is not there, and
 * the palette goes straight to the browser: see test/integration/core/sign-up-choice.test.ts.)
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { answerQuickInput, bedInfo, expectBrowserSignIn, harnessUrl, lastBrowserPage } from '../harness.ts';
import { api, setting } from '../support.ts';

describe('sign-up from the palette', function () {
  this.timeout(60_000);

  before(function () {
    if (!harnessUrl()) this.skip();
  });

  after(async () => {
    await setting('signIn.timeoutSeconds', 60);
  });

  it('offers "Create an account" and opens the sign-up page', async () => {
    const before = (await api()).accounts().length;
    await setting('signIn.host', 'local');
    // Nobody signs up here: the attempt ends by itself once the page was seen.
    await setting('signIn.timeoutSeconds', 5);
    await expectBrowserSignIn({ username: '', password: '', action: 'ignore' });
    const command = vscode.commands.executeCommand('matrixChannels.signIn');

    const homeserver = await answerQuickInput({ value: bedInfo().delegated.baseUrl });
    assert.equal(homeserver.title, 'Sign in to Matrix');
    const choice = await answerQuickInput({ value: 'Create an account', items: true });
    assert.equal(choice.title, 'How do you want to sign in?');
    assert.deepEqual(choice.items, [
      'Sign in with the browser — OAuth 2.0, recommended',
      `Create an account — a new account on ${bedInfo().delegated.baseUrl}, in the browser`,
      'Access token — from another client',
    ]);

    const page = await lastBrowserPage({ waitMs: 15_000 });
    assert.equal(page?.title, 'Create account', `the page shown: ${page?.title ?? 'none'} ${page?.error ?? ''}`);
    assert.match(page?.text ?? '', /Username/);
    assert.equal(await command, undefined);
    assert.equal((await api()).accounts().length, before, 'nothing left behind by the attempt');
  });
});
