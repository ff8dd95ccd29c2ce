/**
 * Each top-level suite starts without the accounts (and room views) that earlier suites left, except the
 * accounts handed to the reload.
 * Every live account syncs in this one extension host (and in a second window when one opens), and every account
 * is a row the tree tests scroll past, so a few dozen of them slow every later test; a suite that needs an
 * account signs one in.
 */
/// <reference types="mocha" />
import * as vscode from 'vscode';
import { api, closeRoomViews, keptAcrossSuites } from '../support.ts';

async function removeLeftovers(this: Mocha.Context): Promise<void> {
  this.timeout(60_000);
  // A room view reads its room while it is in front: none stays open for the next suite.
  await closeRoomViews();
  const left = (await api()).accounts().filter((account) => !keptAcrossSuites.has(account.id));
  for (const account of left)
    await vscode.commands.executeCommand('matrixChannels.removeChannel', account, { confirmed: true });
  if (left.length) await vscode.commands.executeCommand('notifications.clearAll');
}

// A root hook, run once all suite modules are loaded: it puts the clean-up first among each top-level suite's
// `before` hooks, ahead of the hooks that sign in the suite's own accounts. Mocha keeps a suite's hooks in the
// order they were added, in `_beforeAll`.
before(function () {
  for (const suite of this.test?.parent?.suites.slice(1) ?? []) {
    suite.beforeAll('start without the accounts of earlier suites', removeLeftovers);
    const hooks = (suite as unknown as { _beforeAll: Mocha.Hook[] })._beforeAll;
    hooks.unshift(hooks.pop()!);
  }
});
