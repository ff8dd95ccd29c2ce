/** Commands act on a tree node, or ask which account when run from the palette. */
import * as vscode from 'vscode';
import type { AccountService, AccountView } from '../../core/account/account-service.ts';
import type { AccountState } from '../../core/account/state.ts';
import { forIconLabel } from '../../core/text/untrusted-text.ts';
import { accountLabel, stateLabel } from '../account-presentation.ts';

export async function pickAccount(
  accounts: AccountService,
  arg: unknown,
  filter: (state: AccountState) => boolean = () => true,
): Promise<AccountView | undefined> {
  if (isAccountView(arg)) return accounts.account(arg.id);
  if (typeof arg === 'string') return accounts.account(arg);
  const candidates = accounts.accounts().filter((a) => filter(a.status.state));
  if (candidates.length <= 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((account) => ({
      label: forIconLabel(accountLabel(account)),
      description: stateLabel(account.status.state),
      account,
    })),
    { title: vscode.l10n.t('Matrix account') },
  );
  return picked?.account;
}

export function isAccountView(value: unknown): value is AccountView {
  return typeof value === 'object' && value !== null && 'id' in value && 'config' in value && 'status' in value;
}
