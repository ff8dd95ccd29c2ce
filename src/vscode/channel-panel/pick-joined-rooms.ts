/** The room allowlist's picker: the account's joined rooms by name, several at once. */
import * as vscode from 'vscode';
import type { AccountService } from '../../core/account/account-service.ts';
import { displayName, forIconLabel } from '../../core/text/untrusted-text.ts';

/** The room IDs the person picked; [] when cancelled or when the account has joined no room. */
export async function pickJoinedRooms(accounts: AccountService, accountId: string): Promise<string[]> {
  const rooms = accounts.rooms(accountId);
  if (rooms.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This account has not joined any room yet.'));
    return [];
  }
  const picked = await vscode.window.showQuickPick(
    rooms.map((room) => ({
      label: forIconLabel(displayName(room.name, room.roomId)),
      description: room.roomId,
      roomId: room.roomId,
    })),
    {
      title: vscode.l10n.t('Rooms to allow'),
      placeHolder: vscode.l10n.t('Messages in the rooms you check can notify you'),
      canPickMany: true,
      matchOnDescription: true,
    },
  );
  return picked?.map((item) => item.roomId) ?? [];
}
