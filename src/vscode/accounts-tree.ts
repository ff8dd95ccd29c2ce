/** The sidebar's accounts view: one node per account with its connection state, actions in menus. */
import * as vscode from 'vscode';
import type { AccountService, AccountView } from '../core/account/account-service.ts';
import { accountLabel, stateIcon, stateLabel } from './account-presentation.ts';

export class AccountsTree implements vscode.TreeDataProvider<AccountView>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };

  constructor(private readonly accounts: AccountService) {
    this.subscription = accounts.onDidChange(() => this.changed.fire());
  }

  getChildren(element?: AccountView): AccountView[] {
    return element ? [] : this.accounts.accounts();
  }

  getTreeItem(account: AccountView): vscode.TreeItem {
    const item = new vscode.TreeItem(accountLabel(account), vscode.TreeItemCollapsibleState.None);
    const { state, reason } = account.status;
    item.id = account.id;
    item.description = stateLabel(state);
    item.iconPath = stateIcon(state);
    item.contextValue = `account.${state}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(`${accountLabel(account)}\n${account.config.homeserver}\n${stateLabel(state)}`);
    if (reason) tooltip.appendText(`\n${reason}`);
    if (account.deviceId) tooltip.appendText(`\n${vscode.l10n.t('Device {0}', account.deviceId)}`);
    item.tooltip = tooltip;
    if (state === 'needs_sign_in' || state === 'signed_out') {
      item.command = { command: 'matrixChannels.signIn', title: vscode.l10n.t('Sign In'), arguments: [account] };
    }
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
