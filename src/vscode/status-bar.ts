/** A status bar summary of all accounts; warning colours when one needs attention. */
import * as vscode from 'vscode';
import type { AccountService } from '../core/account/account-service.ts';

export function createStatusBar(accounts: AccountService): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('matrixChannels.status', vscode.StatusBarAlignment.Left, 10);
  item.name = vscode.l10n.t('Matrix');
  item.command = 'matrixChannels.accounts.focus';
  const render = () => {
    const all = accounts.accounts();
    if (all.length === 0) {
      item.hide();
      return;
    }
    const attention = all.filter((a) => a.status.state === 'needs_sign_in' || a.status.state === 'error');
    const connected = all.filter((a) => a.status.state === 'connected').length;
    item.text = attention.length
      ? `$(warning) ${vscode.l10n.t('Matrix: {0} need attention', attention.length)}`
      : `$(comment-discussion) ${vscode.l10n.t('Matrix: {0}/{1} connected', connected, all.length)}`;
    item.backgroundColor = attention.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.tooltip = all.map((a) => `${a.userId ?? a.config.homeserver}: ${a.status.state.replace('_', ' ')}`).join('\n');
    item.show();
  };
  const subscription = accounts.onDidChange(render);
  render();
  return { dispose: () => { subscription.dispose(); item.dispose(); } };
}
