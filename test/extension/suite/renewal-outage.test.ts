/**
 * The sign-in server goes down while an OAuth account is connected: the person sees it in the tree and the
 * status bar ("sign-in server unavailable — retrying in N s", a Retry Now button), the account stays signed in,
 * Retry Now tries at once, and once the server is back the trouble clears by itself.
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createOAuthAccount } from '../../bed/matrix.ts';
import { armTokenFault, disarmTokenFault, tokenFaultCount } from '../../bed/oauth-client.ts';
import { signInOAuth } from '../accounts.ts';
import {
  bedInfo,
  clickTreeAction,
  harnessUrl,
  screenshot,
  workbenchNotifications,
  workbenchStatusBar,
  workbenchTree,
  type TreeRow,
} from '../harness.ts';
import { accessTokenOf, api, setting, until } from '../support.ts';

const TROUBLE = 'sign-in server unavailable — retrying in';

describe('renewal outage in VS Code', function () {
  this.timeout(120_000);

  before(function () {
    if (!harnessUrl()) this.skip();
  });

  it('shows the retry in the tree and status bar, retries on request, clears by itself', async () => {
    const bed = bedInfo();
    await setting('signIn.host', 'local');
    const account = await createOAuthAccount(bed, { accessTokenTtl: 5 });
    const view = await signInOAuth(account);
    await vscode.commands.executeCommand('matrixChannels.accounts.focus');
    const row = async (): Promise<TreeRow | undefined> =>
      (await workbenchTree('Accounts', { reveal: account.userId })).find((r) => r.label.includes(account.userId));

    // The 5-second token read may be renewed (and so revoked) before the bed looks it up: read it again then.
    const fault = await until('the outage armed', async () =>
      armTokenFault(bed, { token: await accessTokenOf(view.id), status: 503, body: 'html' }).catch(() => undefined),
    );
    try {
      const troubled = await until(
        'the tree row to show the retry',
        async () => {
          const shown = await row();
          return shown?.description.startsWith(TROUBLE) ? shown : undefined;
        },
        30_000,
      );
      assert.match(troubled.description, /^sign-in server unavailable — retrying (in \d+ s|now)$/);
      assert.ok(troubled.actions.includes('Retry Now'), `buttons: ${troubled.actions.join(', ')}`);
      assert.match(troubled.ariaLabel, /sign-in server unavailable/);

      const status = await workbenchStatusBar('matrixChannels.status', { hover: true });
      await screenshot('renewal-outage');
      assert.match(status.hover ?? '', new RegExp(`${regexpEscape(account.userId)}: ${TROUBLE}`));
      assert.match(status.hover ?? '', /Retry Now/);

      // Retry Now tries at once: one more failed attempt at the server, well before the next scheduled one.
      const failedBefore = await tokenFaultCount(bed, fault);
      await clickTreeAction('Accounts', account.userId, 'Retry Now');
      await until('an attempt at once', async () => (await tokenFaultCount(bed, fault)) > failedBefore, 5_000);
      const state = (await api()).accounts().find((a) => a.id === view.id)?.status.state;
      assert.ok(state === 'connected' || state === 'reconnecting', `still signed in (${state})`);
    } finally {
      await disarmTokenFault(bed, fault);
    }

    // Back: Retry Now renews, and the row and status bar say so.
    // (Unless it already renewed by itself: the button goes with the trouble.)
    if ((await row())?.actions.includes('Retry Now')) {
      await clickTreeAction('Accounts', account.userId, 'Retry Now').catch(() => undefined);
    }
    const recovered = await until(
      'the row to show connected',
      async () => {
        const shown = await row();
        return shown?.icon === 'pass-filled' && shown.ariaLabel.includes(', connected') ? shown : undefined;
      },
      30_000,
    );
    assert.ok(!recovered.actions.includes('Retry Now'), 'the button goes with the trouble');
    const status = await workbenchStatusBar('matrixChannels.status', { hover: true });
    assert.doesNotMatch(status.hover ?? '', new RegExp(`${regexpEscape(account.userId)}: sign-in server`));
    const ended = (await workbenchNotifications()).filter((n) => n.includes(account.userId) && n.includes('ended'));
    assert.deepEqual(ended, [], 'no "session ended" notification');
    // Renewing every few seconds for the rest of the suite would only slow the tests after this one.
    await vscode.commands.executeCommand('matrixChannels.signOut', view, { confirmed: true });
  });

  it('signing out while the sign-in server is down: signed out here, and told the server did not confirm', async () => {
    const bed = bedInfo();
    const account = await createOAuthAccount(bed);
    const view = await signInOAuth(account);
    const fault = await armTokenFault(bed, { token: await accessTokenOf(view.id), status: 503, body: 'html' });
    try {
      await vscode.commands.executeCommand('matrixChannels.signOut', view, { confirmed: true });
      const notice = await until('the warning', async () =>
        (await workbenchNotifications()).find((n) => n.includes('did not confirm') && n.includes(account.userId)),
      );
      assert.equal(
        notice,
        `Signed out of ${account.userId} on this computer, but the server did not confirm: Revoking the session failed: ` +
          'the sign-in server had an error (HTTP 503). The session may stay listed in your account until it expires.',
      );
      await vscode.commands.executeCommand('matrixChannels.accounts.focus');
      let seen: TreeRow[] = [];
      const rows = await until('the row signed out', async () => {
        seen = await workbenchTree('Accounts', { reveal: account.userId });
        const at = seen.findIndex((r) => r.label.includes(account.userId));
        return seen[at]?.description === 'signed out' ? seen.slice(at, at + 2) : undefined;
      }).catch((error: Error) => assert.fail(`${error.message}: ${JSON.stringify(seen)}`));
      assert.ok(rows[0]?.actions.includes('Sign In…'), `buttons: ${rows[0]?.actions.join(', ')}`);
      assert.equal(rows[1]?.label, 'Sign In…', 'a visible Sign In row under it, not only a button on hover');
      await screenshot('tree-signed-out');
    } finally {
      await disarmTokenFault(bed, fault);
    }
  });
});

function regexpEscape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
