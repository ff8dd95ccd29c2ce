/** The unread count on the Matrix view's activity-bar icon: rooms with unread messages, muted ones left out. */
import * as vscode from 'vscode';
import type { AccountService } from '../core/account/account-service.ts';
import type { MutedRooms } from './muted-rooms.ts';
import { unreadBadgeTooltip } from './room-counts.ts';

export function showUnreadBadge(
  view: vscode.TreeView<unknown>,
  accounts: AccountService,
  muted: MutedRooms,
): vscode.Disposable {
  const render = () => {
    const unread = accounts
      .accounts()
      .reduce((sum, account) => sum + muted.countUnread(account.id, accounts.rooms(account.id)), 0);
    view.badge = unread ? { value: unread, tooltip: unreadBadgeTooltip(unread) } : undefined;
  };
  const subscriptions = [accounts.onDidChangeRooms(render), accounts.onDidChange(render), muted.onDidChange(render)];
  render();
  return {
    dispose: () => {
      for (const subscription of subscriptions) subscription.dispose();
    },
  };
}
