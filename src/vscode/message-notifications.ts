/**
 * Editor notifications for the messages that passed a channel's policy: batched per room, skipped for muted
 * rooms and channels with notifications off, shown by one window per account (WindowLease), with Reply,
 * Open and Mute Room.
 */
import * as vscode from 'vscode';
import { hasSession } from '../core/account/state.ts';
import { accountLabel } from './account-presentation.ts';
import type { AccountService } from '../core/account/account-service.ts';
import type { Logger } from '../core/log.ts';
import { MessageBatcher, type MessageBatch } from '../core/notify/message-batcher.ts';
import { notificationText } from '../core/notify/notification-text.ts';
import type { MutedRooms } from './muted-rooms.ts';
import type { RoomActions } from './room-actions.ts';

export interface MessageNotificationsDeps {
  accounts: AccountService;
  muted: MutedRooms;
  actions: RoomActions;
  log: Logger;
}

export function showMessageNotifications(deps: MessageNotificationsDeps): vscode.Disposable {
  const { accounts, muted, actions } = deps;
  const batcher = new MessageBatcher({ flush: (batch) => void show(batch) });
  const subscription = accounts.onMessage((message) => {
    const account = accounts.account(message.accountId);
    if (!account?.config.notifications || muted.isMuted(message.accountId, message.roomId)) return;
    batcher.add(message);
  });

  async function show(batch: MessageBatch): Promise<void> {
    // Muted or switched off while the batch was open: say nothing.
    if (!accounts.account(batch.accountId)?.config.notifications || muted.isMuted(batch.accountId, batch.roomId))
      return;
    const latest = batch.messages[batch.messages.length - 1]!;
    const room = { accountId: batch.accountId, roomId: batch.roomId, roomName: batch.roomName };
    const reply = vscode.l10n.t('Reply');
    const open = vscode.l10n.t('Open');
    const mute = vscode.l10n.t('Mute Room');
    // With more than one account signed in, say which one the message came to.
    const signedIn = accounts.accounts().filter((account) => hasSession(account.status.state));
    const account = accounts.account(batch.accountId);
    const to = signedIn.length > 1 && account ? accountLabel(account) : undefined;
    const choice = await vscode.window.showInformationMessage(notificationText(batch, to), reply, open, mute);
    if (choice === reply) await actions.reply(latest);
    else if (choice === open) await actions.view(room);
    else if (choice === mute) await actions.mute(room);
  }

  return {
    dispose: () => {
      subscription.dispose();
      batcher.dispose();
    },
  };
}
