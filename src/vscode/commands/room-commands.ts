/** Open Room…, Send Message to Room…, Send Selection to Room…, Mark Room as Read, and the tree's Open / Mute / Unmute. */
import * as vscode from 'vscode';
import type { AccountService } from '../../core/account/account-service.ts';
import { selectionBlock } from '../editor-selection.ts';
import type { RoomActions } from '../room-actions.ts';
import { pickAnyRoom, pickRoom } from './pick-room.ts';

/** Automation: `{ accountId, roomId, text }` sends without asking. */
function textArg(arg: unknown): string | undefined {
  const text = (arg as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : undefined;
}

export function registerRoomCommands(accounts: AccountService, actions: RoomActions): vscode.Disposable[] {
  const command = (id: string, run: (arg?: unknown) => Promise<unknown>) => vscode.commands.registerCommand(id, run);
  return [
    command('matrixChannels.sendMessage', async (arg) => {
      const room = await pickRoom(accounts, arg, { title: vscode.l10n.t('Send Message to Room') });
      return room ? actions.compose(room, textArg(arg)) : false;
    }),
    command('matrixChannels.sendSelection', async (arg) => {
      const block = selectionBlock(vscode.window.activeTextEditor);
      if (!block) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Select the code to send first.'));
        return false;
      }
      const room = await pickRoom(accounts, arg, { title: vscode.l10n.t('Send Selection to Room') });
      if (!room) return false;
      const { text, html } = block;
      return actions.send(room, text, { html });
    }),
    command('matrixChannels.showRoom', async (arg) => {
      const room = await pickAnyRoom(accounts, arg, vscode.l10n.t('Open Room'));
      if (room) await actions.view(room);
    }),
    command('matrixChannels.markRoomRead', async (arg) => {
      const room = await pickRoom(accounts, arg, { unreadOnly: true, title: vscode.l10n.t('Mark Room as Read') });
      if (room) await actions.markRead(room);
    }),
    command('matrixChannels.openRoom', async (arg) => {
      const room = await pickRoom(accounts, arg, { title: vscode.l10n.t('Open Room in Browser') });
      if (room) await actions.open(room.roomId);
    }),
    command('matrixChannels.muteRoom', async (arg) => {
      const room = await pickRoom(accounts, arg, { title: vscode.l10n.t('Mute Room') });
      if (room) await actions.mute(room);
    }),
    command('matrixChannels.unmuteRoom', async (arg) => {
      const room = await pickRoom(accounts, arg, { title: vscode.l10n.t('Unmute Room') });
      if (room) await actions.unmute(room);
    }),
  ];
}
