/** How an account's state looks: label, icon and words, shared by the tree and the status bar. */
import * as vscode from 'vscode';
import { whatNotifies } from '../core/policy/what-notifies.ts';
import type { AccountView } from '../core/account/account-service.ts';
import type { AccountState } from '../core/account/state.ts';
import { displayName, forMarkdown } from '../core/text/untrusted-text.ts';
import { encryptionLines } from '../core/crypto/encryption-words.ts';
import { nextAttemptAt, untilText } from './retry-countdown.ts';
import { roomCountText } from './room-counts.ts';

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

/**
 * The channel's own label when it has one (two accounts may share a user ID), else who signs in. Plain text
 * (the user ID comes from the server): each sink still escapes it its own way.
 */
export function accountLabel(account: AccountView): string {
  return displayName(account.config.label, account.userId || account.config.homeserver);
}

/**
 * The state in a few words, with what is being retried and when: "connected", "reconnecting… retrying in
 * 12 s", or, while renewing the session keeps failing, "sign-in server unavailable — retrying in 40 s".
 */
export function statusText(account: AccountView): string {
  const { follows } = account.status;
  if (follows === 'stale') return vscode.l10n.t('reload this window to continue');
  const own = ownStatusText(account);
  return follows
    ? vscode.l10n.t({
        message: '{0} · live in another window',
        args: [own],
        comment: ['An account\'s state: {0} is its state in a few words, such as "connected"'],
      })
    : own;
}

function ownStatusText(account: AccountView): string {
  const { state, renewal } = account.status;
  const at = nextAttemptAt(account);
  if (renewal)
    return vscode.l10n.t({
      message: '{0} — retrying {1}',
      args: [renewal.summary, untilText(renewal.retryAt)],
      comment: [
        'An account\'s state: {0} says what keeps failing, such as "sign-in server unavailable"; {1} says when it is tried again, such as "in 40 s" or "now"',
      ],
    });
  if (at !== undefined)
    return vscode.l10n.t({
      message: '{0} retrying {1}',
      args: [stateLabel(state), untilText(at)],
      comment: [
        'An account\'s state: {0} is its state in a word or two, such as "reconnecting…"; {1} says when it is tried again, such as "in 40 s" or "now"',
      ],
    });
  return stateLabel(state);
}

/**
 * Who, where, the state and why, the next attempt, the device, the room count and what notifies; server text as
 * plain text.
 */
export function accountTooltip(account: AccountView, roomCount: number): vscode.MarkdownString {
  const { state, reason, renewal } = account.status;
  const lines = [accountLabel(account)];
  if (account.userId && account.userId !== accountLabel(account)) lines.push(account.userId);
  lines.push(account.config.homeserver, stateLabel(state));
  if (reason) lines.push(reason);
  if (renewal)
    lines.push(
      vscode.l10n.t({
        message: 'Renewing the session failed: {0}',
        args: [renewal.reason],
        comment: ["In an account's tooltip: {0} is the reason, a sentence"],
      }),
    );
  const at = nextAttemptAt(account);
  if (at !== undefined) {
    lines.push(
      vscode.l10n.t({
        message: 'Next attempt {0} ({1})',
        args: [untilText(at), new Date(at).toLocaleTimeString()],
        comment: ['{0} says when, such as "in 40 s" or "now"; {1} is the time of day it is due, such as 14:05:30'],
      }),
    );
  }
  if (account.deviceId)
    lines.push(
      vscode.l10n.t({
        message: 'Device {0}',
        args: [account.deviceId],
        comment: ['{0} is the Matrix device ID, such as ABCDEFGHIJ'],
      }),
    );
  if (account.status.encryption) lines.push(...encryptionLines(account.status.encryption));
  if (roomCount) lines.push(roomCountText(roomCount));
  lines.push(whatNotifies(account.config));
  // forMarkdown, not appendText: appendText leaves autolinks such as <command:x#\> and bare URLs working.
  return new vscode.MarkdownString(lines.map((line) => forMarkdown(line)).join('\n\n'));
}
