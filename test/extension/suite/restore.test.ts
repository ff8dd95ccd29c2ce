/**
 * Reload the window, phase 1 (phase 2: test/extension/suite-after-reload/restore.test.ts): sign in a password
 * account and an OAuth account with 5-second tokens, and a room of the first (left open in its view with a draft
 * once every other test has run), and hand them to the after-reload phase, which the harness
 * runs after reloading the workbench in the same browser profile (same SecretStorage, same settings).
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AccountView } from '../../../src/core/account/account-service.ts';
import { createClassicUser, createOAuthAccount, MatrixApi } from '../../bed/matrix.ts';
import {
  bedInfo,
  expectBrowserSignIn,
  harnessUrl,
  registerAfterReload,
  webview,
  workbenchNotifications,
} from '../harness.ts';
import { RESTORE_KEY, type RestoreState } from '../restore-state.ts';
import { accessTokenOf, api, keptAcrossSuites, setting, sleep, until } from '../support.ts';

/** The OAuth account handed over, whose refreshes the end of the suite waits for (see the root hook below). */
let handedOver: string | undefined;
/** The room whose view the end of the suite leaves open, with a draft, for the reload to bring back. */
let roomLeftOpen: { accountId: string; roomId: string; message: string; draft: string } | undefined;

describe('restore across a reload (phase 1: sign in)', function () {
  this.timeout(90_000);

  before(function () {
    if (!harnessUrl()) this.skip(); // the reload is the code-server harness's
  });

  it('signs in a password account and an OAuth account with 5-second tokens, and hands them to the reload', async () => {
    await setting('signIn.host', 'local');
    await setting('signIn.flow', 'auto');
    await setting('signIn.timeoutSeconds', 60);
    const bed = bedInfo();
    const [classic, oauth] = await Promise.all([
      createClassicUser(bed),
      createOAuthAccount(bed, { accessTokenTtl: 5 }),
    ]);

    const byPassword = await vscode.commands.executeCommand<AccountView | undefined>('matrixChannels.signIn', {
      homeserver: bed.classic.baseUrl,
      userId: classic.userId,
      password: classic.password,
    });
    assert.equal(byPassword?.status.state, 'connected');
    // A room left open in its view, with a half-typed answer.
    const openRoom = { roomId: '', name: 'Kept open', message: 'still here after the reload', draft: 'half-typed' };
    const classicApi = new MatrixApi(bed.classic.baseUrl, classic.accessToken);
    openRoom.roomId = await classicApi.createRoom({ name: openRoom.name });
    await classicApi.sendText(openRoom.roomId, openRoom.message);
    await until('the room listed', async () =>
      (await api()).rooms(byPassword.id).find((room) => room.roomId === openRoom.roomId),
    );

    await expectBrowserSignIn({ ...oauth, action: 'allow' });
    const byOAuth = await vscode.commands.executeCommand<AccountView | undefined>('matrixChannels.signIn', {
      homeserver: bed.delegated.baseUrl,
      authMode: 'oidc',
    });
    if (!byOAuth)
      assert.fail(
        `the OAuth sign-in did not complete; notifications: ${JSON.stringify(await workbenchNotifications())}`,
      );
    assert.equal(byOAuth.status.state, 'connected');
    assert.equal(byOAuth.userId, oauth.userId);

    const state: RestoreState = {
      password: { id: byPassword.id, userId: classic.userId },
      oauth: { id: byOAuth.id, userId: oauth.userId },
      openRoom,
    };
    await registerAfterReload(RESTORE_KEY, state);
    handedOver = byOAuth.id;
    roomLeftOpen = { accountId: byPassword.id, ...openRoom };
    keptAcrossSuites.add(byPassword.id).add(byOAuth.id);
  });
});

// A root hook: runs once, after every test of the main suite. The reload stops this extension host wherever it
// is; a refresh whose answer is lost that way leaves the stored refresh token spent (the bed, strict, then ends
// the session). With 5-second tokens a refresh comes every ~4 s: end the suite right after one, well before the
// next.
after(async function () {
  if (!handedOver) return;
  this.timeout(45_000);
  // Opened last, so that no later test closes it: the room view the reload brings back.
  if (roomLeftOpen) {
    const { accountId, roomId, message, draft } = roomLeftOpen;
    await vscode.commands.executeCommand('matrixChannels.showRoom', { accountId, roomId });
    await webview.wait(`.message:has-text("${message}")`);
    await webview.fill('#composer textarea', draft);
    // The workbench stores its open editors and the page's state a moment after they change, not at once (a
    // reload within a second of opening the view does not bring it back).
    await sleep(3_000);
  }
  const id = handedOver;
  const previous = await accessTokenOf(id);
  await until(
    'a token refresh before the reload',
    async () => ((await accessTokenOf(id)) !== previous ? true : undefined),
    10_000,
  );
});
