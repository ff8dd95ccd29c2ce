/**
 * The emoji of a verification, in a dialog: the person compares them with the other device's and says whether
 * they match. A modal dialog, because the answer decides whether this device trusts the other.
 */
import * as vscode from 'vscode';
import type { CompareEmoji, VerificationOutcome } from '../core/crypto/status-types.ts';
import { forNotification, LONG_MAX } from '../core/text/untrusted-text.ts';

/**
 * Compares emoji with the person; `other` names the other device. Where modal dialogs are refused (the
 * browser-driven extension tests), the same question and emoji come as a notification.
 */
export function emojiDialog(other: string): CompareEmoji {
  return async (emoji) => {
    const match = vscode.l10n.t('They Match');
    const noMatch = vscode.l10n.t("They Don't Match");
    const question = vscode.l10n.t({
      message: 'Do these emoji match the ones on {0}, in the same order?',
      args: [forNotification(other)],
      comment: ['{0} is the other device: its name and ID, e.g. "Element on Firefox (ABCDEF)"'],
    });
    // Each emoji with its name: names read out well, and tell similar emoji apart.
    const named = emoji.map((one) => `${one.symbol}  ${one.name}`);
    // "They Don't Match" first: the first button is the dialog's default, and Enter must not trust a device
    // whose emoji nobody looked at.
    const answer = await Promise.resolve(
      vscode.window.showInformationMessage(question, { modal: true, detail: named.join('\n') }, noMatch, match),
    ).catch(() => vscode.window.showInformationMessage(`${question} ${named.join(', ')}`, noMatch, match));
    return answer === match ? true : answer === noMatch ? false : undefined;
  };
}

/** What the person is told at the end of a verification (nothing when they cancelled it themselves). */
export function verificationWords(outcome: VerificationOutcome, account: string): string | undefined {
  const who = forNotification(account);
  switch (outcome) {
    case 'verified':
      return vscode.l10n.t({
        message: 'This device of {0} is verified.',
        args: [who],
        comment: ["{0} is the account's label or Matrix ID"],
      });
    case 'mismatch':
      return vscode.l10n.t({
        message:
          'The emoji did not match, so the verification of {0} stopped and nothing was trusted. Try again; if they never match, someone may be in between.',
        args: [who],
        comment: ["{0} is the account's label or Matrix ID"],
      });
    case 'cancelled_elsewhere':
      return vscode.l10n.t({
        message: 'The verification of {0} was cancelled on the other device.',
        args: [who],
        comment: ["{0} is the account's label or Matrix ID"],
      });
    case 'timed_out':
      return vscode.l10n.t({
        message: 'No other device of {0} answered the verification request in time.',
        args: [who],
        comment: ["{0} is the account's label or Matrix ID"],
      });
    case 'no_other_device':
      return vscode.l10n.t({
        message:
          '{0} has no other device to verify with. Sign in with another Matrix app (such as Element), or use the recovery key.',
        args: [who],
        comment: ["{0} is the account's label or Matrix ID"],
      });
    case 'cancelled':
      return undefined;
  }
}

/** Tells the person how a verification ended: a mismatch as a warning (it may be an attack), the rest as news. */
export function reportVerification(outcome: VerificationOutcome, account: string): void {
  const words = verificationWords(outcome, account);
  if (!words) return;
  if (outcome === 'mismatch') void vscode.window.showWarningMessage(words);
  else void vscode.window.showInformationMessage(words);
}

/** A verification that failed (not one that ended without trust: verificationWords says those). */
export function reportVerificationFailure(label: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  void vscode.window.showErrorMessage(
    vscode.l10n.t({
      message: 'Verifying {0} failed: {1}',
      args: [forNotification(label), forNotification(message, LONG_MAX)],
      comment: ["{0} is the account's label or Matrix ID; {1} is the reason, a sentence"],
    }),
  );
}
