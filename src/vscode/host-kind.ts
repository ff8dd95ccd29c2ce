/** Where this extension host runs, which decides the sign-in flows (the loopback redirect needs a browser on this machine). */
import * as vscode from 'vscode';
import type { HostKind } from '../core/auth/oauth/flows/flow.ts';

export function detectHostKind(): HostKind {
  const override = vscode.workspace.getConfiguration('matrixChannels').get<string>('signIn.host', 'auto');
  if (override === 'local' || override === 'remote' || override === 'web') return override;
  if (vscode.env.uiKind === vscode.UIKind.Web) return 'web';
  if (vscode.env.remoteName) return 'remote';
  return 'local';
}
