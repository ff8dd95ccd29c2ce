/** Signing accounts in from extension tests, as a person would: the command, then the harness's browser. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AccountView } from '../../src/core/account/account-service.ts';
import { createOAuthAccount } from '../bed/matrix.ts';
import { bedInfo, expectBrowserSignIn, workbenchNotifications } from './harness.ts';
import { until } from './support.ts';

/** Signs in through the browser (loopback OAuth), the harness entering the password and allowing access. */
export async function signInOAuth(
  account: { username: string; password: string },
  homeserver = bedInfo().delegated.baseUrl,
): Promise<AccountView> {
  await expectBrowserSignIn({ ...account, action: 'allow' });
  const view = await vscode.commands.executeCommand<AccountView | undefined>('matrixChannels.signIn', {
    homeserver,
    authMode: 'oidc',
  });
  if (!view)
    assert.fail(`the sign-in did not complete; notifications: ${JSON.stringify(await workbenchNotifications())}`);
  return view;
}

/**
 * Starts a browser sign-in that the person never finishes (the harness's browser leaves the page open), and
 * waits for its progress notification: `progress` is its text, `signingIn` the command's result.
 */
export async function startUnfinishedBrowserSignIn(): Promise<{ progress: string; signingIn: Thenable<unknown> }> {
  const account = await createOAuthAccount(bedInfo());
  await expectBrowserSignIn({ ...account, action: 'ignore' });
  const signingIn = vscode.commands.executeCommand('matrixChannels.signIn', {
    homeserver: bedInfo().delegated.baseUrl,
    authMode: 'oidc',
  });
  const progress = `Signing in to ${new URL(bedInfo().delegated.baseUrl).host}…`;
  await until('the sign-in progress', async () =>
    (await workbenchNotifications()).some((text) => text.startsWith(progress)),
  );
  return { progress, signingIn };
}
