/**
 * Context keys for `when` clauses (package.json): the command palette offers a command only when it has
 * something to act on (a signed-in account, a room, an unread or muted room).
 */
import * as vscode from 'vscode';
import type { AccountService } from '../core/account/account-service.ts';
import { hasSession } from '../core/account/state.ts';
import type { MutedRooms } from './muted-rooms.ts';

export function trackContextKeys(
  accounts: AccountService,
  muted: MutedRooms,
  configsChanged: (listener: () => void) => { dispose(): void },
): vscode.Disposable {
  const shown = new Map<string, boolean>();
  const set = (key: string, value: boolean) => {
    if (shown.get(key) === value) return;
    shown.set(key, value);
    void vscode.commands.executeCommand('setContext', `matrixChannels.${key}`, value);
  };
  const update = () => {
    const views = accounts.accounts();
    const live = views.filter((account) => hasSession(account.status.state));
    const rooms = live.flatMap((account) =>
      accounts.rooms(account.id).map((room) => ({ room, muted: muted.isMuted(account.id, room.roomId) })),
    );
    set('hasAccounts', views.length > 0);
    set(
      'hasSignedIn',
      views.some((account) => account.status.state !== 'signed_out'),
    );
    set('hasSession', live.length > 0);
    set('hasRooms', rooms.length > 0);
    set(
      'hasUnread',
      rooms.some(({ room }) => room.unread > 0),
    );
    set(
      'hasMuted',
      rooms.some((room) => room.muted),
    );
  };
  const subscriptions = [
    accounts.onDidChange(update),
    accounts.onDidChangeRooms(update),
    muted.onDidChange(update),
    configsChanged(update),
  ];
  update();
  return {
    dispose: () => {
      for (const subscription of subscriptions) subscription.dispose();
    },
  };
}
