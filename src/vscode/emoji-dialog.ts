/**
 * The emoji of a verification, in a dialog: the person compares them with the other device's and says whether
 * they match. A modal dialog, because the answer decides whether this device trusts the other.
 */
import * as vscode from 'vscode';
import type { CompareEmoji, VerificationOutcome } from '../core/crypto/status-types.ts';
import { forNotification, LONG_MAX } from '../core/text/untrusted-text.ts';

/** Compares emoji with the person; `other` names the other device. */
export function emojiDialog(other: string): CompareEmoji {
  return async (emoji) => {
    const match = vscode.l10n.t('They Match');
    const noMatch = vscode.l10n.t("They Don't Match");
    const answer = await vscode.window.showInformationMessage(
      vscode.l10n.t('Do these emoji match the ones on {0}, in the same order?', forNotification(other)),
      {
        modal: true,
        // Each emoji with its name: names read out well, and tell similar emoji apart.
        detail: emoji.map((one) => `${one.symbol}  ${one.name}`).join('\n'),
      },
      match,
      noMatch,
    );
    return answer === match ? true : answer === noMatch ? false : undefined;
  };
}

/** What the person is told at the end of a verification (nothing when they cancelled it themselves). */
export function verificationWords(outcome: VerificationOutcome, account: string): string | undefined {
  const who = forNotification(account);
  switch (outcome) {
    case 'verified':
      return vscode.l10n.t('This device of {0} is verified.', who);
    case 'mismatch':
      return vscode.l10n.t(
        'The emoji did not match, so the devices of {0} do not trust each other. Try again; if they never match, someone may be in between.',
        who,
      );
    case 'cancelled_elsewhere':
      return vscode.l10n.t('The verification of {0} was cancelled on the other device.', who);
    case 'timed_out':
      return vscode.l10n.t('No other device of {0} answered the verification request in time.', who);
    case 'no_other_device':
      return vscode.l10n.t(
        '{0} has no other device to verify with. Sign in with another Matrix app (such as Element), or use the recovery key.',
        who,
      );
    case 'cancelled':
      return undefined;
  }
}

/** A verification that failed (not one that ended without trust: verificationWords says those). */
export function reportVerificationFailure(label: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  void vscode.window.showErrorMessage(
    vscode.l10n.t('Verifying {0} failed: {1}', forNotification(label), forNotification(message, LONG_MAX)),
  );
}
