/**
 * When another of the person's devices asks to verify this one: a notification with Verify and Decline. Verify
 * accepts and shows the emoji to compare; ignoring it lets the request lapse on the other device.
 */
import * as vscode from 'vscode';
import type { AccountService } from '../core/account/account-service.ts';
import type { IncomingVerification } from '../core/crypto/status-types.ts';
import { forNotification } from '../core/text/untrusted-text.ts';
import { accountLabel } from './account-presentation.ts';
import { emojiDialog, reportVerification, reportVerificationFailure } from './emoji-dialog.ts';

export function showVerificationRequests(accounts: AccountService): vscode.Disposable {
  return accounts.onVerificationRequest((request) => void answer(accounts, request));
}

async function answer(accounts: AccountService, request: IncomingVerification): Promise<void> {
  const account = accounts.account(request.accountId);
  if (!account) return;
  const label = accountLabel(account);
  // Device names are chosen by whoever signed in there: untrusted text. A device without a name (many
  // clients set none) is named by its ID, as "your other device", not as a bare code.
  const { deviceName, deviceId } = request;
  const who = forNotification(label);
  const device = deviceName
    ? forNotification(`${deviceName} (${deviceId ?? ''})`)
    : vscode.l10n.t({
        message: 'your other device ({0})',
        args: [forNotification(deviceId ?? '?')],
        comment: ['{0} is a device ID, such as ABCDEFGHIJ'],
      });
  const verify = vscode.l10n.t('Verify');
  const decline = vscode.l10n.t('Decline');
  const choice = await vscode.window.showInformationMessage(
    deviceName
      ? vscode.l10n.t({
          message: 'Your device {0} asks to verify this device of {1}.',
          args: [device, who],
          comment: ['{0} is a device, e.g. "Element on Firefox (ABCDEF)"; {1} is the account\'s label or Matrix ID'],
        })
      : vscode.l10n.t({
          message: 'Another of your devices ({0}) asks to verify this device of {1}.',
          args: [forNotification(deviceId ?? '?'), who],
          comment: ["{0} is a device ID, such as ABCDEFGHIJ; {1} is the account's label or Matrix ID"],
        }),
    verify,
    decline,
  );
  try {
    if (choice === decline) return await request.decline();
    if (choice !== verify) return;
    const outcome = await request.accept(emojiDialog(device));
    reportVerification(outcome, label);
  } catch (error) {
    reportVerificationFailure(label, error);
  }
}
