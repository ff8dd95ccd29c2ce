/** Commands act on a tree node, or ask which account when run from the palette. */
import * as vscode from 'vscode';
import type { AccountService, AccountView } from '../../core/account/account-service.ts';
import type { AccountState } from '../../core/account/state.ts';
import { forIconLabel } from '../../core/text/untrusted-text.ts';
import { accountLabel, stateLabel } from '../account-presentation.ts';

/** What a command that needs a signed-in account says when there is none. */
export const noneSignedIn = () => ({ none: vscode.l10n.t('No Matrix account is signed in.') });

/**
 * The account `arg` names, else the only one that fits, else the person's pick. When none fits the person is
 * told (`none`), so no command silently does nothing.
 */
export async function pickAccount(
  accounts: AccountService,
  arg: unknown,
  filter: (state: AccountState) => boolean = () => true,
  options: { none?: string } = {},
): Promise<AccountView | undefined> {
  if (isAccountView(arg)) return accounts.account(arg.id);
  if (typeof arg === 'string') return accounts.account(arg);
  const candidates = accounts.accounts().filter((a) => filter(a.status.state));
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(
      options.none ?? vscode.l10n.t('There is no Matrix account yet. Sign in with Matrix: Sign In….'),
    );
    return undefined;
  }
  if (candidates.length === 1) return candidates[0];
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
