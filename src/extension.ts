import * as vscode from 'vscode';

let log: vscode.LogOutputChannel | undefined;

export function activate(context: vscode.ExtensionContext): void {
  log = vscode.window.createOutputChannel('Matrix', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('matrixChannels.showLog', () => log?.show()),
  );
  log.info(vscode.l10n.t('Matrix Channels activated (version {0})', String(context.extension.packageJSON.version)));
}

export function deactivate(): void {
  log = undefined;
}
