/**
 * Editor notifications for sign-in events: connected, sign-in failed, session expired. One notification per
 * event and account, never a storm: a session that ends while its notice is still open is not announced again.
 */
import * as vscode from 'vscode';
import type { AccountService, AuthEvent } from '../core/account/account-service.ts';
import { forNotification, LONG_MAX } from '../core/text/untrusted-text.ts';

export function showAuthNotifications(accounts: AccountService): { dispose(): void } {
  const openExpiryNotices = new Set<string>();
  return accounts.onAuthEvent((event: AuthEvent) => {
    // The user ID and error texts may quote the server: escaped so they cannot become links.
    const who = forNotification(event.account.userId ?? event.account.config.homeserver);
    switch (event.type) {
      case 'connected':
        void vscode.window.showInformationMessage(
          vscode.l10n.t({
            message: 'Connected to Matrix as {0}.',
            args: [who],
            comment: ["{0} is the account's Matrix ID, or its homeserver"],
          }),
        );
        return;
      case 'sign_in_failed': {
        const retry = vscode.l10n.t('Try Again');
        const showLog = vscode.l10n.t('Show Log');
        void vscode.window
          .showErrorMessage(
            vscode.l10n.t({
              message: 'Signing in to Matrix failed: {0}',
              args: [forNotification(event.error.message, LONG_MAX)],
              comment: ['{0} is the reason, one or more sentences'],
            }),
            retry,
            showLog,
          )
          .then((picked) => {
            if (picked === retry) void vscode.commands.executeCommand('matrixChannels.signIn', event.account);
            if (picked === showLog) void vscode.commands.executeCommand('matrixChannels.showLog');
          });
        return;
      }
      case 'session_expired': {
        if (openExpiryNotices.has(event.account.id)) return;
        openExpiryNotices.add(event.account.id);
        const signIn = vscode.l10n.t('Sign In Again');
        void vscode.window
          .showWarningMessage(
            vscode.l10n.t({
              message: 'Your Matrix session for {0} has ended. {1}',
              args: [who, forNotification(event.error.reason, LONG_MAX)],
              comment: ["{0} is the account's Matrix ID, or its homeserver; {1} is the reason, one or more sentences"],
            }),
            signIn,
          )
          .then((picked) => {
            openExpiryNotices.delete(event.account.id);
            if (picked === signIn) void vscode.commands.executeCommand('matrixChannels.signIn', event.account);
          });
        return;
      }
    }
  });
}
