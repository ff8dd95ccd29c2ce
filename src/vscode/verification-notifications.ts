/**
 * When another of the person's devices asks to verify this one: a notification with Verify and Decline. Verify
 * accepts and shows the emoji to compare; ignoring it lets the request lapse on the other device.
 */
import * as vscode from 'vscode';
import type { AccountService } from '../core/account/account-service.ts';
import type { IncomingVerification } from '../core/crypto/status-types.ts';
import { forNotification } from '../core/text/untrusted-text.ts';
import { accountLabel } from './account-presentation.ts';
import { emojiDialog, reportVerificationFailure, verificationWords } from './emoji-dialog.ts';

export function showVerificationRequests(accounts: AccountService): vscode.Disposable {
  return accounts.onVerificationRequest((request) => void answer(accounts, request));
}

async function answer(accounts: AccountService, request: IncomingVerification): Promise<void> {
  const account = accounts.account(request.accountId);
  if (!account) return;
  const label = accountLabel(account);
  // Device names are chosen by whoever signed in there: untrusted text.
  const device = forNotification(
    request.deviceName
      ? `${request.deviceName} (${request.deviceId ?? ''})`
      : (request.deviceId ?? vscode.l10n.t('another device')),
  );
  const verify = vscode.l10n.t('Verify');
  const decline = vscode.l10n.t('Decline');
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t({
      message: 'Your device {0} asks to verify this device of {1}.',
      args: [device, forNotification(label)],
      comment: ['{0} is a device, e.g. "Element on Firefox (ABCDEF)"; {1} is the account\'s label or Matrix ID'],
    }),
    verify,
    decline,
  );
  try {
    if (choice === decline) return await request.decline();
    if (choice !== verify) return;
    const outcome = await request.accept(emojiDialog(device));
    const words = verificationWords(outcome, label);
    if (words) void vscode.window.showInformationMessage(words);
  } catch (error) {
    reportVerificationFailure(label, error);
  }
}
