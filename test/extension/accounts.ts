/** Signing accounts in from extension tests, as a person would: the command, then the harness's browser. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AccountView } from '../../src/core/account/account-service.ts';
import { bedInfo, expectBrowserSignIn, workbenchNotifications } from './harness.ts';

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
