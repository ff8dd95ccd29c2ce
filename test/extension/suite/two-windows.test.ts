/**
 * Two VS Code windows on one account. Each window runs its own extension host; in VS Code for the Web and
 * code-server neither sees the other's SecretStorage writes, so a window that spent a refresh token the other
 * already rotated would get the grant revoked and sign both out. With 5-second tokens for the watch (WATCH_MS): no
 * forced sign-out, and at every look both windows show the account connected and its room.
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createOAuthAccount, MatrixApi } from '../../bed/matrix.ts';
import { introspectToken } from '../../bed/oauth-client.ts';
import { signInOAuth } from '../accounts.ts';
import {
  bedInfo,
  closeSecondWindow,
  expandTreeRow,
  harnessUrl,
  openSecondWindow,
  runFromPalette,
  screenshot,
  workbenchNotifications,
  workbenchTree,
  type TreeRow,
  type WindowOption,
} from '../harness.ts';
import { accessTokenOf, api, setting, sleep, until } from '../support.ts';

/** Two lease periods (a window is taken for gone after 30 s) and a dozen renewals of 5-second tokens. */
const WATCH_MS = 60_000;

describe('two windows on one account', function () {
  // The watch, plus sign-in, a second window and reading two long trees on a loaded machine.
  this.timeout(WATCH_MS + 240_000);

  before(function () {
    if (!harnessUrl()) this.skip();
  });

  after(async () => {
    if (harnessUrl()) await closeSecondWindow();
  });

  it('5-second tokens for a minute: both windows stay connected with their rooms', async () => {
    const bed = bedInfo();
    await setting('signIn.host', 'local');
    const account = await createOAuthAccount(bed, { accessTokenTtl: 5 });
    const view = await signInOAuth(account);
    await vscode.commands.executeCommand('matrixChannels.accounts.focus');
    await new MatrixApi(bed.delegated.baseUrl, await accessTokenOf(view.id)).createRoom({ name: 'Two windows' });
    await until('the room in this window', async () =>
      (await api()).rooms(view.id).some((room) => room.name === 'Two windows'),
    );

    await openSecondWindow();
    await runFromPalette('Matrix: Focus on Accounts View', { window: 'second' });
    const rowsIn = async (options: WindowOption = {}): Promise<{ account?: TreeRow; room?: TreeRow }> => {
      const rows = await workbenchTree('Accounts', { ...options, reveal: 'Two windows' });
      return {
        account: rows.find((row) => row.label.includes(account.userId)),
        room: rows.find((row) => row.label === 'Two windows'),
      };
    };
    await until(
      'the account connected in the second window',
      async () => (await rowsIn({ window: 'second' })).account?.ariaLabel.includes(', connected'),
      60_000,
    );

    // As a person would, open the account in each window to see its rooms.
    const expanded = await expandTreeRow('Accounts', account.userId);
    const expandedSecond = await expandTreeRow('Accounts', account.userId, { window: 'second' });
    const seen: string[] = [
      `first expanded: ${expanded.find((r) => r.label.includes(account.userId))?.expanded}`,
      `second expanded: ${expandedSecond.find((r) => r.label.includes(account.userId))?.expanded}`,
    ];
    const deadline = Date.now() + WATCH_MS;
    while (Date.now() < deadline) {
      for (const window of ['first', 'second'] as const) {
        const shown = await rowsIn(window === 'second' ? { window } : {});
        const state = `${window}: ${shown.account?.ariaLabel ?? 'no row'}, room ${shown.room ? 'shown' : 'missing'}`;
        if (seen.at(-1) !== state) seen.push(state);
        // At every look, in both windows: the account connected, and its room in view.
        assert.match(shown.account?.ariaLabel ?? '', /, connected/, seen.join('\n'));
        assert.ok(shown.room, seen.join('\n'));
      }
      await sleep(5_000);
    }
    await screenshot('two-windows-first');
    const first = await rowsIn();
    const second = await rowsIn({ window: 'second' });
    for (const shown of [first, second]) {
      // Connected is the icon (and what a screen reader hears); the narrow row keeps its words for news.
      assert.equal(shown.account?.icon, 'pass-filled', seen.join('\n'));
      assert.match(shown.account?.ariaLabel ?? '', /, connected/, seen.join('\n'));
    }
    assert.ok(first.room && second.room, `both windows show the room:\n${seen.join('\n')}`);
    // Tokens last 5 s and a renewal revokes the previous one: a token read just before a renewal can be dead by
    // the time it is asked about, so the current one is read again (a session that ended stays dead).
    await until(
      'the session alive at the server',
      async () => ((await introspectToken(bed, await accessTokenOf(view.id))).active ? true : undefined),
      10_000,
    );
    const ended = (await workbenchNotifications()).filter((n) => n.includes(account.userId) && n.includes('ended'));
    assert.deepEqual(ended, []);
    // Renewing every few seconds for the rest of the suite would only slow the tests after this one.
    await vscode.commands.executeCommand('matrixChannels.signOut', view, { confirmed: true });
  });
});
