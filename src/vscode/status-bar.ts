/** A status bar summary of all accounts; warning colours when one needs attention. */
import * as vscode from 'vscode';
import type { AccountService, AccountView } from '../core/account/account-service.ts';
import { forMarkdown } from '../core/text/untrusted-text.ts';
import { accountLabel, stateLabel, statusText } from './account-presentation.ts';
import type { MutedRooms } from './muted-rooms.ts';
import type { RetryCountdown } from './retry-countdown.ts';
import { roomsWithUnreadText, unreadRoomsText } from './room-counts.ts';

export function createStatusBar(
  accounts: AccountService,
  muted: MutedRooms,
  countdown: RetryCountdown,
): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('matrixChannels.status', vscode.StatusBarAlignment.Left, 10);
  item.name = vscode.l10n.t('Matrix');
  item.command = 'matrixChannels.accounts.focus';
  const render = () => {
    const all = accounts.accounts();
    if (all.length === 0) {
      item.hide();
      return;
    }
    const attention = all.filter((a) => a.status.state === 'needs_sign_in' || a.status.state === 'error');
    const renewing = all.filter((a) => a.status.renewal);
    const connected = all.filter((a) => a.status.state === 'connected').length;
    const unreadRooms = all.reduce((sum, a) => sum + muted.countUnread(a.id, accounts.rooms(a.id)), 0);
    const unread = unreadRooms ? ` · ${unreadRoomsText(unreadRooms)}` : '';
    item.text = attention.length
      ? `$(warning) ${attentionText(attention.length)}`
      : renewing.length
        ? `$(warning) ${vscode.l10n.t({
            message: 'Matrix: {0}',
            args: [statusText(renewing[0]!)],
            comment: [
              'In the status bar: {0} is an account\'s state, such as "sign-in server unavailable — retrying in 40 s"',
            ],
          })}`
        : `$(comment-discussion) ${vscode.l10n.t({
            message: 'Matrix: {0}/{1} connected',
            args: [connected, all.length],
            comment: ['In the status bar: {0} is the number of connected accounts; {1} is the number of all accounts'],
          })}${unread}`;
    item.backgroundColor = attention.length ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.tooltip = tooltip(all, unreadRooms);
    // Screen readers get plain words (the tooltip is Markdown, escaped for display).
    item.accessibilityInformation = {
      label: [item.text.replace(/^\$\([^)]*\)\s*/, ''), ...all.map((a) => `${accountLabel(a)}: ${statusText(a)}`)].join(
        '; ',
      ),
    };
    item.show();
  };
  const subscriptions = [
    accounts.onDidChange(render),
    accounts.onDidChangeRooms(render),
    muted.onDidChange(render),
    countdown.onDidTick(render),
  ];
  render();
  return {
    dispose: () => {
      for (const subscription of subscriptions) subscription.dispose();
      item.dispose();
    },
  };
}

/** "Matrix: 1 account needs you", "Matrix: 2 accounts need you". */
function attentionText(accounts: number): string {
  return accounts === 1
    ? vscode.l10n.t('Matrix: 1 account needs you')
    : vscode.l10n.t({
        message: 'Matrix: {0} accounts need you',
        args: [accounts],
        comment: ['{0} is a number of accounts, 2 or more'],
      });
}

/** One line per account; accounts whose renewal fails get a "Retry Now" link. */
function tooltip(all: AccountView[], unreadRooms: number): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString();
  markdown.isTrusted = { enabledCommands: ['matrixChannels.retryNow'] };
  all.forEach((account, index) => {
    if (index) markdown.appendMarkdown('  \n');
    // A trusted tooltip: the label (server text) must not add links of its own, autolinks included.
    markdown.appendMarkdown(
      forMarkdown(
        `${accountLabel(account)}: ${account.status.renewal ? statusText(account) : stateLabel(account.status.state)}`,
      ),
    );
    if (account.status.renewal) {
      const link = `command:matrixChannels.retryNow?${encodeURIComponent(JSON.stringify([account.id]))}`;
      markdown.appendMarkdown(` · [${vscode.l10n.t('Retry Now')}](${link})`);
    }
  });
  if (unreadRooms) markdown.appendMarkdown('  \n').appendText(roomsWithUnreadText(unreadRooms));
  return markdown;
}
