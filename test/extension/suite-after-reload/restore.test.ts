/**
 * Reload the window, phase 2 (phase 1: test/extension/suite/restore.test.ts): after the harness reloaded the
 * workbench, the accounts handed over come back connected without any prompt or sign-in page, the room view left
 * open comes back with its messages and draft, and the account with 5-second tokens stays connected through its
 * refreshes.
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { harnessPhase, harnessUrl, reportMeasurement, webview, workbenchNotifications } from '../harness.ts';
import { RESTORE_KEY, type RestoreState } from '../restore-state.ts';
import { accessTokenOf, api, sleep, until } from '../support.ts';

describe('restore across a reload (phase 2: after the reload)', function () {
  this.timeout(90_000);
  let state: RestoreState;

  before(async function () {
    if (!harnessUrl()) return this.skip();
    const phase = await harnessPhase();
    const handed = phase.afterReload[RESTORE_KEY] as RestoreState | undefined;
    if (!handed) return this.skip(); // phase 1's test did not run (e.g. MATRIX_TEST_GREP)
    assert.equal(phase.phase, 'after-reload');
    state = handed;
  });

  it('restores the password and the OAuth account to connected, without any sign-in page', async () => {
    const extension = await api();
    const statusOf = (id: string) => extension.accounts().find((a) => a.id === id)?.status;
    const stateOf = (id: string) => statusOf(id)?.state;
    await until(
      'both accounts connected',
      () => stateOf(state.password.id) === 'connected' && stateOf(state.oauth.id) === 'connected',
      30_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}: password ${stateOf(state.password.id)}, OAuth ${stateOf(state.oauth.id)}`);
    });
    const { oauthPagesOpened, oauthPagesSinceReload, reloadStartedAt } = await harnessPhase();
    // Window reload → both accounts connected, as a person waits for it (workbench load and activation
    // included), and the part of it since this extension host started.
    const connectedAt = Math.max(...[state.password.id, state.oauth.id].map((id) => statusOf(id)?.since ?? NaN));
    if (reloadStartedAt && Number.isFinite(connectedAt)) {
      const hostStartedAt = Date.now() - process.uptime() * 1000;
      const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
      await reportMeasurement(
        'window reload → 2 accounts connected',
        `${seconds(connectedAt - reloadStartedAt)}, of which ${seconds(connectedAt - hostStartedAt)} since the ` +
          'extension host started',
      );
    }
    assert.ok(oauthPagesOpened >= 1, "the harness counted phase 1's sign-in page (so counting works)");
    assert.equal(oauthPagesSinceReload, 0, 'no OAuth page opened since the reload');
    for (const { id, userId } of [state.password, state.oauth]) {
      assert.equal((await (await extension.client(id)).whoami()).user_id, userId);
    }
    const prompts = (await workbenchNotifications()).filter(
      (text) =>
        [state.password.userId, state.oauth.userId].some((userId) => text.includes(userId)) && /sign in/i.test(text),
    );
    assert.deepEqual(prompts, [], 'no notification asks to sign in');
    const connected = (await workbenchNotifications()).filter((text) => text.startsWith('Connected to Matrix'));
    assert.deepEqual(connected, [], '"Connected" only after signing in, not on a window load');
  });

  it('brings back the room view that was open, with its messages and the draft', async () => {
    const { openRoom, password } = state;
    const roomTabs = () =>
      vscode.window.tabGroups.all
        .flatMap((group) => group.tabs)
        .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.label === openRoom.name);
    const allTabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    assert.equal(
      roomTabs().length,
      1,
      `its tab came back with the window; tabs: ${JSON.stringify(allTabs.map((tab) => [tab.label, (tab.input as { viewType?: string } | undefined)?.viewType]))}`,
    );
    // Brings the restored view to the front (a second one would be a new tab).
    await vscode.commands.executeCommand('matrixChannels.showRoom', {
      accountId: password.id,
      roomId: openRoom.roomId,
    });
    await webview.wait(`.message:has-text("${openRoom.message}")`, { timeoutMs: 30_000 });
    assert.equal((await webview.read('#composer textarea', { property: 'value' })).property, openRoom.draft);
    assert.equal(roomTabs().length, 1, 'the same view, not a second one');
  });

  it('keeps the OAuth account with 5-second tokens connected through refreshes', async () => {
    const extension = await api();
    // One client all along: its requests carry the session's current token (the client's own getAccessToken()
    // stays the one it was created with); a new client shows the current token.
    const client = await extension.client(state.oauth.id);
    const seen = new Set<string>();
    const end = Date.now() + 15_000;
    while (Date.now() < end) {
      assert.equal((await client.whoami()).user_id, state.oauth.userId);
      seen.add(await accessTokenOf(state.oauth.id));
      await sleep(500);
    }
    assert.ok(seen.size >= 3, `the token rotated ${seen.size - 1} times in 15 s (at least 2 expected)`);
    assert.equal(extension.accounts().find((a) => a.id === state.oauth.id)?.status.state, 'connected');
    assert.equal((await harnessPhase()).oauthPagesSinceReload, 0, 'still no OAuth page');
  });
});
