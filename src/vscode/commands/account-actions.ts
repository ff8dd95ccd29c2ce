/** Sign Out, Remove Channel, Reconnect, Open Account Management, Copy User ID. */
import * as vscode from 'vscode';
import type { AccountService } from '../../core/account/account-service.ts';
import { hasSession } from '../../core/account/state.ts';
import type { SignInEngine } from '../../core/auth/sign-in-engine.ts';
import { forIconLabel, forNotification, LONG_MAX } from '../../core/text/untrusted-text.ts';
import { openUrl, type EngineModule } from '../engine-loader.ts';
import { accountLabel } from '../account-presentation.ts';
import { confirm, isConfirmed } from '../confirm.ts';
import { noneSignedIn, pickAccount } from './pick-account.ts';

export function registerAccountActions(
  accounts: AccountService,
  engine: () => Promise<SignInEngine>,
  engineModule: () => Promise<EngineModule>,
): vscode.Disposable[] {
  // The secret is gone whatever the server said; "try again" would not apply, so say what it means instead.
  const reportSignOut = (label: string, result: { revoked: boolean; error?: { reason: string } }, done: string) => {
    if (!result.error) {
      void vscode.window.showInformationMessage(done);
    } else {
      void vscode.window.showWarningMessage(
        vscode.l10n.t({
          message:
            'Signed out of {0} on this computer, but the server did not confirm: {1} The session may stay listed in your account until it expires.',
          args: [forNotification(label), forNotification(result.error.reason, LONG_MAX)],
          comment: ["{0} is the account's label or Matrix ID; {1} is the reason, a sentence"],
        }),
      );
    }
  };
  return [
    vscode.commands.registerCommand('matrixChannels.signOut', async (arg?: unknown, options?: unknown) => {
      const account = await pickAccount(accounts, arg, (state) => state !== 'signed_out', noneSignedIn());
      if (!account) return;
      const question = vscode.l10n.t({
        message: 'Sign out of {0}? Its messages stop coming to this editor; its settings stay, to sign in again.',
        args: [forNotification(accountLabel(account))],
        comment: ["{0} is the account's label or Matrix ID"],
      });
      if (!isConfirmed(options) && !(await confirm(question, vscode.l10n.t('Sign Out')))) return;
      const label = accountLabel(account);
      reportSignOut(
        label,
        await accounts.signOut(account.id),
        vscode.l10n.t({
          message: 'Signed out of {0}.',
          args: [forNotification(label)],
          comment: ["{0} is the account's label or Matrix ID"],
        }),
      );
    }),
    vscode.commands.registerCommand('matrixChannels.removeChannel', async (arg?: unknown, options?: unknown) => {
      const account = await pickAccount(accounts, arg);
      if (!account) return;
      const question = vscode.l10n.t({
        message: 'Remove the Matrix channel {0}? This signs it out and deletes its settings.',
        args: [forNotification(accountLabel(account))],
        comment: ["{0} is the account's label or Matrix ID"],
      });
      if (!isConfirmed(options) && !(await confirm(question, vscode.l10n.t('Remove')))) return;
      const label = accountLabel(account);
      reportSignOut(
        label,
        await accounts.remove(account.id),
        vscode.l10n.t({
          message: 'Removed {0}.',
          args: [forNotification(label)],
          comment: ["{0} is the account's label or Matrix ID"],
        }),
      );
    }),
    vscode.commands.registerCommand('matrixChannels.reconnect', async (arg?: unknown) => {
      const account = await pickAccount(
        accounts,
        arg,
        (state) => hasSession(state) || state === 'error',
        noneSignedIn(),
      );
      if (account)
        await accounts
          .reconnect(account.id)
          .catch((error: Error) => vscode.window.showErrorMessage(forNotification(error.message, LONG_MAX)));
    }),
    // While renewing the session keeps failing: try at once rather than at the next scheduled attempt.
    vscode.commands.registerCommand('matrixChannels.retryNow', async (arg?: unknown) => {
      const account = await pickAccount(accounts, arg, hasSession, noneSignedIn());
      if (account)
        await accounts
          .reconnect(account.id)
          .catch((error: Error) => vscode.window.showErrorMessage(forNotification(error.message, LONG_MAX)));
    }),
    vscode.commands.registerCommand('matrixChannels.openAccountManagement', async (arg?: unknown) => {
      const account = await pickAccount(accounts, arg, hasSession, noneSignedIn());
      const managed = account && accounts.session(account.id);
      if (!account || !managed) return;
      const { accountManagementUrl } = await engineModule();
      const metadata =
        managed.session.authMode === 'oidc'
          ? await (await engine()).metadataFor(managed.session).catch(() => undefined)
          : undefined;
      const url = metadata && accountManagementUrl(metadata, 'device', managed.session.deviceId);
      if (!url) {
        void vscode.window.showInformationMessage(
          vscode.l10n.t({
            message: 'The homeserver of {0} has no account management page.',
            args: [forNotification(accountLabel(account))],
            comment: ["{0} is the account's label or Matrix ID"],
          }),
        );
        return;
      }
      await openUrl(url);
    }),
    vscode.commands.registerCommand('matrixChannels.copyUserId', async (arg?: unknown) => {
      const account = await pickAccount(accounts, arg, (state) => state !== 'signed_out', noneSignedIn());
      if (!account?.userId) return;
      await vscode.env.clipboard.writeText(account.userId);
      void vscode.window.setStatusBarMessage(
        vscode.l10n.t({
          message: 'Copied {0}',
          args: [forIconLabel(account.userId)],
          comment: ['{0} is a Matrix ID, such as @alice:example.org'],
        }),
        3000,
      );
    }),
  ];
}
