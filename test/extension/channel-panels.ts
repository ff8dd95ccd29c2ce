/** Opening the channel panel from extension tests, as a person does, waiting until the form is usable. */
import * as vscode from 'vscode';
import type { AccountView } from '../../src/core/account/account-service.ts';
import { webview } from './harness.ts';
import { sleep } from './support.ts';

export async function closePanels(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await sleep(300);
}

export async function openAddPanel(): Promise<void> {
  await closePanels();
  await vscode.commands.executeCommand('matrixChannels.addChannel');
  await webview.wait('#heading', { text: 'Add Matrix channel', timeoutMs: 30_000 });
  await webview.wait('#homeserver', { attribute: 'disabled' }); // the host's panel arrived: the form is unlocked
}

export async function openEditPanel(view: AccountView, heading: string): Promise<void> {
  await closePanels();
  await vscode.commands.executeCommand('matrixChannels.editChannel', view);
  await webview.wait('#heading', { text: `Edit channel: ${heading}`, timeoutMs: 30_000 });
  await webview.wait('#homeserver', { attribute: 'disabled' });
}
