/** A webview's page: one of our bundles with its stylesheet, under the strict CSP, in the editor's language. */
import * as vscode from 'vscode';
import { createNonce, panelHtml } from './channel-panel/panel-html.ts';

export function showPage(
  webview: vscode.Webview,
  root: vscode.Uri,
  page: { script: string; style: string; title?: string; images?: boolean },
): void {
  webview.html = panelHtml({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, page.script)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, page.style)).toString(),
    nonce: createNonce(),
    ...(page.title ? { title: page.title } : {}),
    ...(page.images ? { images: true } : {}),
    language: vscode.env.language,
    ...(vscode.l10n.bundle ? { bundle: vscode.l10n.bundle } : {}),
  });
}
