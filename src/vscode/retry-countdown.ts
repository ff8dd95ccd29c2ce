/**
 * "retrying in 40 s": how long until an account's next attempt, kept current while one is pending. The
 * tree and the status bar render again on each tick; nothing ticks while no account waits.
 */
import * as vscode from 'vscode';
import type { AccountService, AccountView } from '../core/account/account-service.ts';

/** The next attempt of an account that waits for one: a renewal in trouble, or a reconnect. */
export function nextAttemptAt(account: AccountView): number | undefined {
  return (
    account.status.renewal?.retryAt ?? (account.status.state === 'reconnecting' ? account.status.retryAt : undefined)
  );
}

/** "in 40 s", "in 3 min", or "now" once it is due. */
export function untilText(at: number, now = Date.now()): string {
  const seconds = Math.ceil((at - now) / 1000);
  if (seconds <= 0) return vscode.l10n.t('now');
  if (seconds < 90)
    return vscode.l10n.t({ message: 'in {0} s', args: [seconds], comment: ['{0} is a number of seconds'] });
  return vscode.l10n.t({
    message: 'in {0} min',
    args: [Math.round(seconds / 60)],
    comment: ['{0} is a number of minutes'],
  });
}

/** Fires every second while any account has a next attempt ahead. */
export class RetryCountdown implements vscode.Disposable {
  private readonly ticks = new vscode.EventEmitter<void>();
  readonly onDidTick = this.ticks.event;
  private timer?: ReturnType<typeof setInterval>;
  private readonly subscription: { dispose(): void };

  constructor(private readonly accounts: AccountService) {
    this.subscription = accounts.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const waiting = this.accounts.accounts().some((account) => (nextAttemptAt(account) ?? 0) > Date.now());
    if (waiting && !this.timer) {
      this.timer = setInterval(() => {
        this.ticks.fire();
        this.update();
      }, 1_000);
    } else if (!waiting && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.subscription.dispose();
    this.ticks.dispose();
  }
}
