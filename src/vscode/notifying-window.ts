/** Whether this window shows an account's notifications (the focused window takes over the lease). */
import * as vscode from 'vscode';
import type { Logger } from '../core/log.ts';
import type { WindowLease } from './window-lease.ts';

export async function speaksFor(lease: WindowLease, accountId: string, log: Logger): Promise<boolean> {
  const speaks = await lease.holds(accountId, { takeOver: vscode.window.state.focused }).catch((error: unknown) => {
    log.warn(`notification lease for ${accountId}: ${String(error)}; notifying anyway`);
    return true;
  });
  if (!speaks) log.debug(`account ${accountId}: another window shows the notifications`);
  return speaks;
}
