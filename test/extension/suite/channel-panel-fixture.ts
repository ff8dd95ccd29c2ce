/** What both channel panel test files (channel-panel*.test.ts) use. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { webview } from '../harness.ts';
import { setting } from '../support.ts';

export type Entry = Record<string, unknown>;

/** The `matrixChannels.channels` entries as written in the settings. */
export function channels(): Entry[] {
  return vscode.workspace.getConfiguration('matrixChannels').get<Entry[]>('channels') ?? [];
}

/** Save is enabled (the toolkit's button reflects `disabled` as an attribute) and says `label`. */
export async function saveEnabled(label: string): Promise<void> {
  const save = await webview.wait('#save', { attribute: 'disabled' });
  assert.equal(save.text.trim(), label);
}

/** The sign-in settings each channel panel test starts from. */
export async function signInSettings(): Promise<void> {
  await setting('signIn.host', 'local');
  await setting('signIn.flow', 'auto');
  await setting('signIn.timeoutSeconds', 60);
}
