/**
 * Verify This Device with Recovery Key (the account's recovery key or passphrase verifies this device) and
 * Verify with Another Device (the emoji of both devices are compared).
 */
import * as vscode from 'vscode';
import type { AccountService, AccountView } from '../../core/account/account-service.ts';
import type { RecoveryResult } from '../../core/crypto/status-types.ts';
import { isMatrixChannelError } from '../../core/errors.ts';
import { forNotification } from '../../core/text/untrusted-text.ts';
import { accountLabel } from '../account-presentation.ts';
import { askText } from '../ask-text.ts';
import { emojiDialog, reportVerification, reportVerificationFailure, verificationWords } from '../emoji-dialog.ts';
import { pickAccount } from './pick-account.ts';

export function registerEncryptionCommands(accounts: AccountService): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('matrixChannels.verifyWithRecoveryKey', async (arg?: unknown) => {
      const account = await pickAccount(accounts, arg, (state) => state === 'connected', {
        none: vscode.l10n.t('No Matrix account is connected.'),
      });
      if (account) await verifyWithRecoveryKey(accounts, account);
    }),
    vscode.commands.registerCommand('matrixChannels.verifyWithDevice', async (arg?: unknown) => {
      const account = await pickAccount(accounts, arg, (state) => state === 'connected', {
        none: vscode.l10n.t('No Matrix account is connected.'),
      });
      if (account) await verifyWithDevice(accounts, account);
    }),
  ];
}

/** Asks for the key until it is right or the person gives up; a wrong key keeps what was typed, to correct. */
async function verifyWithRecoveryKey(accounts: AccountService, account: AccountView): Promise<void> {
  const label = accountLabel(account);
  const encryption = account.status.encryption;
  // Said before asking for a key there is none of (the status knows; the server would say the same).
  if (!encryption || !encryption.recovery) {
    void vscode.window.showInformationMessage(
      encryption
        ? vscode.l10n.t({
            message:
              '{0} has no recovery set up, so there is no recovery key to verify with. Set up recovery in another Matrix app (in Element: Settings, Encryption).',
            args: [forNotification(label)],
            comment: ["{0} is the account's label or Matrix ID"],
          })
        : vscode.l10n.t({
            message: 'End-to-end encryption is not running for {0} in this window.',
            args: [forNotification(label)],
            comment: ["{0} is the account's label or Matrix ID"],
          }),
    );
    return;
  }
  // The key is checked with the box open and busy: a wrong one keeps the box on what was typed, with why.
  let result: RecoveryResult | undefined;
  try {
    const typed = await askText({
      title: vscode.l10n.t({
        message: 'Verify {0} with Recovery Key',
        args: [forNotification(label)],
        comment: ["{0} is the account's label or Matrix ID; a box title"],
      }),
      prompt: vscode.l10n.t(
        'Enter the recovery key (or recovery passphrase) that another Matrix app gave you when you set up recovery.',
      ),
      placeHolder: vscode.l10n.t('EsT… or your passphrase'),
      password: true,
      validate: (text) => (text.trim() ? undefined : vscode.l10n.t('Enter the recovery key or passphrase.')),
      check: async (input) => {
        try {
          result = await accounts.deviceTrust(account.id).recover(input);
          return undefined;
        } catch (error) {
          if (!isMatrixChannelError(error, 'invalid_credentials')) throw error;
          return { message: error.reason, severity: vscode.InputBoxValidationSeverity.Error };
        }
      },
    });
    if (typed !== undefined && result) void vscode.window.showInformationMessage(recoveredWords(label, result));
  } catch (error) {
    reportVerificationFailure(label, error);
  }
}

async function verifyWithDevice(accounts: AccountService, account: AccountView): Promise<void> {
  const label = accountLabel(account);
  try {
    const outcome = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t({
          message: 'Asking your other devices to verify this one: accept the request on one of them ({0})…',
          args: [forNotification(label)],
          comment: ["{0} is the account's label or Matrix ID"],
        }),
      },
      () => accounts.deviceTrust(account.id).verifyWithDevice(emojiDialog(vscode.l10n.t('your other device'))),
    );
    reportVerification(outcome, label);
  } catch (error) {
    reportVerificationFailure(label, error);
  }
}

function recoveredWords(label: string, result: RecoveryResult): string {
  const who = forNotification(label);
  if (!result.deviceVerified)
    return vscode.l10n.t({
      message:
        'The recovery key of {0} was accepted, but this device could not be verified with it. Show Log says why.',
      args: [who],
      comment: ["{0} is the account's label or Matrix ID"],
    });
  // No key backup, or nothing in it yet: verified is all there is to say.
  if (!result.restoredKeys) return verificationWords('verified', label)!;
  if (result.restoredKeys === 1)
    return vscode.l10n.t({
      message:
        'This device of {0} is verified, and one message key came back from the key backup: an older encrypted message can be read here.',
      args: [who],
      comment: ["{0} is the account's label or Matrix ID"],
    });
  return vscode.l10n.t({
    message:
      'This device of {0} is verified, and {1} message keys came back from the key backup: older encrypted messages can be read here.',
    args: [who, result.restoredKeys],
    comment: ["{0} is the account's label or Matrix ID; {1} is a number, 2 or more"],
  });
}
