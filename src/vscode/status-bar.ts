/** A status bar summary of all accounts; warning colours when one needs attention. */
import * as vscode from 'vscode';
import type { AccountService } from '../core/account/account-service.ts';
import { accountLabel, stateLabel } from './account-presentation.ts';
import type { MutedRooms } from './muted-rooms.ts';

export function createStatusBar(accounts: AccountService, muted: MutedRooms): vscode.Disposable {
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
    const unreadRooms = all.reduce((sum, a) => sum + muted.countUnread(a.id, accounts.rooms(a.id)), 0);
    const unread = unreadRooms ? ` · ${vscode.l10n.t('{0} unread', unreadRooms)}` : '';
    item.text = attention.length
      ? `$(warning) ${vscode.l10n.t('Matrix: {0} need attention', attention.length)}`
      : `$(comment-discussion) ${vscode.l10n.t('Matrix: {0}/{1} connected', connected, all.length)}${unread}`;
    item.backgroundColor = attention.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.tooltip =
      all.map((a) => `${accountLabel(a)}: ${stateLabel(a.status.state)}`).join('\n') +
      (unreadRooms ? `\n${vscode.l10n.t('{0} rooms with unread messages', unreadRooms)}` : '');
    item.show();
  };
  const subscriptions = [accounts.onDidChange(render), accounts.onDidChangeRooms(render), muted.onDidChange(render)];
  render();
  return {
    dispose: () => {
      for (const subscription of subscriptions) subscription.dispose();
      item.dispose();
    },
  };
}
