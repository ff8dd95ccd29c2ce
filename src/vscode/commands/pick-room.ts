/** Room commands act on a tree node, on explicit arguments (automation), or ask which account and room. */
import * as vscode from 'vscode';
import type { AccountService } from '../../core/account/account-service.ts';
import { displayName, forIconLabel, forNotification } from '../../core/text/untrusted-text.ts';
import { accountLabel } from '../account-presentation.ts';
import { roomUnreadText } from '../room-counts.ts';
import { isRoomNode } from '../accounts-tree.ts';
import type { RoomRef } from '../room-actions.ts';
import { pickAccount } from './pick-account.ts';

/** `{ accountId, roomId }` from a script or test; the room's name is looked up. */
function isRoomArg(value: unknown): value is { accountId: string; roomId: string } {
  const arg = value as { accountId?: unknown; roomId?: unknown } | null;
  return typeof arg === 'object' && arg !== null && typeof arg.accountId === 'string' && typeof arg.roomId === 'string';
}

/**
 * *Open Room…*: one pick over the rooms of every connected account, those that mention you first, then the
 * unread ones, then by name; typing matches the name (and the account, when there are several).
 */
export async function pickAnyRoom(accounts: AccountService, arg: unknown, title: string): Promise<RoomRef | undefined> {
  if (isRoomNode(arg) || isRoomArg(arg)) return pickRoom(accounts, arg, { title });
  const live = accounts.accounts().filter((account) => account.status.state === 'connected');
  const rooms = live.flatMap((account) => accounts.rooms(account.id).map((room) => ({ account, room })));
  if (rooms.length === 0) {
    void vscode.window.showInformationMessage(
      live.length
        ? vscode.l10n.t('No connected account has joined a room yet.')
        : vscode.l10n.t('No Matrix account is connected. Sign in first.'),
    );
    return undefined;
  }
  rooms.sort(
    (a, b) =>
      b.room.mentions - a.room.mentions ||
      b.room.unread - a.room.unread ||
      displayName(a.room.name, a.room.roomId).localeCompare(displayName(b.room.name, b.room.roomId)),
  );
  const picked = await vscode.window.showQuickPick(
    rooms.map(({ account, room }) => ({
      label: `$(${room.encrypted ? 'lock' : room.isDirect ? 'person' : 'comment-discussion'}) ${forIconLabel(displayName(room.name, room.roomId))}`,
      description: [
        room.alias && room.alias !== room.name ? forIconLabel(room.alias) : '',
        roomUnreadText(room),
        live.length > 1 ? forIconLabel(accountLabel(account)) : '',
      ]
        .filter(Boolean)
        .join(' · '),
      account,
      room,
    })),
    { title, placeHolder: vscode.l10n.t('Room name'), matchOnDescription: true },
  );
  return picked && { accountId: picked.account.id, roomId: picked.room.roomId, roomName: picked.room.name };
}

export async function pickRoom(
  accounts: AccountService,
  arg: unknown,
  options: { unreadOnly?: boolean; title: string },
): Promise<RoomRef | undefined> {
  if (isRoomNode(arg)) return { accountId: arg.accountId, roomId: arg.roomId, roomName: arg.roomName };
  if (isRoomArg(arg)) {
    const name = accounts.rooms(arg.accountId).find((room) => room.roomId === arg.roomId)?.name ?? arg.roomId;
    return { accountId: arg.accountId, roomId: arg.roomId, roomName: name };
  }
  const account = await pickAccount(accounts, arg, (state) => state === 'connected' || state === 'reconnecting', {
    none: vscode.l10n.t('No Matrix account is connected. Sign in first.'),
  });
  if (!account) return undefined;
  const rooms = accounts.rooms(account.id).filter((room) => !options.unreadOnly || room.unread > 0);
  if (rooms.length === 0) {
    void vscode.window.showInformationMessage(
      options.unreadOnly
        ? vscode.l10n.t({
            message: '{0} has no unread rooms.',
            args: [forNotification(accountLabel(account))],
            comment: ["{0} is the account's label or Matrix ID"],
          })
        : vscode.l10n.t({
            message: '{0} has not joined any room yet.',
            args: [forNotification(accountLabel(account))],
            comment: ["{0} is the account's label or Matrix ID"],
          }),
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    rooms.map((room) => ({
      // Quick-pick labels draw $(icons): ours, not the room name's.
      label: `$(${room.encrypted ? 'lock' : room.isDirect ? 'person' : 'comment-discussion'}) ${forIconLabel(displayName(room.name, room.roomId))}`,
      description: roomUnreadText(room),
      room,
    })),
    {
      title: options.title,
      placeHolder: vscode.l10n.t({
        message: 'Room of {0}',
        args: [accountLabel(account)],
        comment: ["{0} is the account's label or Matrix ID"],
      }),
      matchOnDescription: true,
    },
  );
  return picked && { accountId: account.id, roomId: picked.room.roomId, roomName: picked.room.name };
}
