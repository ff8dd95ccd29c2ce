/** How an account's state looks: label, icon and words, shared by the tree and the status bar. */
import * as vscode from 'vscode';
import type { AccountView } from '../core/account/account-service.ts';
import type { AccountState } from '../core/account/state.ts';

const ICONS: Record<AccountState, [string, string?]> = {
  signed_out: ['circle-outline'],
  authorizing: ['key'],
  connecting: ['sync~spin'],
  syncing: ['sync~spin'],
  connected: ['pass-filled', 'testing.iconPassed'],
  reconnecting: ['sync~spin', 'list.warningForeground'],
  needs_sign_in: ['warning', 'list.warningForeground'],
  error: ['error', 'list.errorForeground'],
};

export function stateLabel(state: AccountState): string {
  switch (state) {
    case 'signed_out':
      return vscode.l10n.t('signed out');
    case 'authorizing':
      return vscode.l10n.t('authorizing…');
    case 'connecting':
      return vscode.l10n.t('connecting…');
    case 'syncing':
      return vscode.l10n.t('syncing…');
    case 'connected':
      return vscode.l10n.t('connected');
    case 'reconnecting':
      return vscode.l10n.t('reconnecting…');
    case 'needs_sign_in':
      return vscode.l10n.t('needs sign-in');
    case 'error':
      return vscode.l10n.t('error');
  }
}

export function stateIcon(state: AccountState): vscode.ThemeIcon {
  const [id, color] = ICONS[state];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

/** The channel's own label when it has one (two accounts may share a user ID), else who signs in. */
export function accountLabel(account: AccountView): string {
  return account.config.label?.trim() || account.userId || account.config.homeserver;
}
