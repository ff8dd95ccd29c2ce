/**
 * What can be done to a room from a notification, the tree or the palette: reply, send, open (matrix.to),
 * mute, mark as read. Errors are shown to the user in words (an encrypted room's refusal as a warning that
 * says why nothing was sent); nothing here throws at its callers.
 */
import * as vscode from 'vscode';
import type { AccountService } from '../core/account/account-service.ts';
import { hasSession } from '../core/account/state.ts';
import { isMatrixChannelError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { matrixToLink, stripReplyFallback } from '../core/notify/notification-text.ts';
import type { ChannelMessage, SendOptions } from '../core/sync/channel-sync.ts';
import { displayName, forIconLabel, forNotification, forPrompt, LONG_MAX } from '../core/text/untrusted-text.ts';
import { accountLabel } from './account-presentation.ts';
import { askText } from './ask-text.ts';
import { openUrl } from './engine-loader.ts';
import type { MutedRooms } from './muted-rooms.ts';
import type { RoomPanels } from './room-view/room-panels.ts';

export interface RoomRef {
  accountId: string;
  roomId: string;
  roomName: string;
}

export class RoomActions {
  constructor(
    private readonly accounts: AccountService,
    private readonly muted: MutedRooms,
    private readonly log: Logger,
    private readonly panels: RoomPanels,
  ) {}

  /** Opens the room's view in the editor (or brings it to the front). */
  async view(room: RoomRef): Promise<void> {
    try {
      await this.panels.show(room.accountId, room.roomId);
    } catch (error) {
      this.report(
        vscode.l10n.t({
          message: '{0} could not be opened.',
          args: [forNotification(nameOf(room))],
          comment: ["{0} is a room's name"],
        }),
        error,
      );
    }
  }

  /**
   * Asks for the answer and sends it as a reply (`m.in_reply_to`) to `message`; the room is then read. An account
   * that cannot send (removed, signed out) is said so first, before any typing.
   */
  async reply(message: ChannelMessage): Promise<boolean> {
    if (!this.canSendFrom(message.accountId)) return false;
    const text = await askNonBlank({
      // The title is plain text; the prompt renders links and icons.
      title: vscode.l10n.t({
        message: 'Reply to {0} in {1}',
        args: [displayName(message.senderName, message.sender), displayName(message.roomName, message.roomId)],
        comment: ["{0} is the sender's name; {1} is the room's name"],
      }),
      prompt: forPrompt(stripReplyFallback(message.body), 120),
      // VS Code adds "Press 'Enter' to confirm or 'Escape' to cancel" itself.
      placeHolder: vscode.l10n.t('Your reply'),
      empty: vscode.l10n.t('Type a reply, or press Escape to cancel.'),
    });
    const room = { accountId: message.accountId, roomId: message.roomId, roomName: message.roomName };
    const sent = text !== undefined && (await this.send(room, text, { replyTo: message.eventId }));
    // Answering is reading: the tree, the badge and other clients stop counting the room as unread.
    if (sent) await this.markRead(room);
    return sent;
  }

  /** Whether the account can send now; if not, the person is told why (and offered to sign in). */
  private canSendFrom(accountId: string): boolean {
    const account = this.accounts.account(accountId);
    if (!account) {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'This message came to a Matrix account that has since been removed: there is nothing to reply from.',
        ),
      );
      return false;
    }
    if (hasSession(account.status.state)) return true;
    const signIn = vscode.l10n.t('Sign In');
    void vscode.window
      .showWarningMessage(
        vscode.l10n.t({
          message: 'You are signed out of {0}: sign in to reply.',
          args: [forNotification(accountLabel(account))],
          comment: ["{0} is the account's label or Matrix ID"],
        }),
        signIn,
      )
      .then((picked) => {
        if (picked === signIn) void vscode.commands.executeCommand('matrixChannels.signIn', account);
      });
    return false;
  }

  /**
   * Asks for a message (unless given), showing the room's latest messages above the box, and sends it; the room
   * is then read.
   */
  async compose(room: RoomRef, text?: string): Promise<boolean> {
    const latest = text === undefined ? await this.latestLine(room) : undefined;
    const message =
      text ??
      (await askNonBlank({
        title: vscode.l10n.t({ message: 'Message to {0}', args: [nameOf(room)], comment: ["{0} is a room's name"] }),
        ...(latest ? { prompt: latest } : {}),
        placeHolder: vscode.l10n.t('Your message'),
        empty: vscode.l10n.t('Type a message, or press Escape to cancel.'),
      }));
    if (!message?.trim()) return false;
    const sent = await this.send(room, message);
    if (sent) await this.markRead(room);
    return sent;
  }

  /** The room's last few messages on one line ("Bob: is it green? · Alice: yes"), or undefined without any. */
  private async latestLine(room: RoomRef): Promise<string | undefined> {
    const recent = await this.accounts.recentMessages(room.accountId, room.roomId, 3).catch(() => []);
    if (recent.length === 0) return undefined;
    // The prompt renders links and icons: every part is escaped for it.
    return recent
      .map((message) => {
        const who = forPrompt(displayName(message.senderName, message.sender), 40);
        const what = message.encrypted
          ? vscode.l10n.t('encrypted message')
          : forPrompt(stripReplyFallback(message.body ?? ''), 80);
        return `${who}: ${what}`;
      })
      .join(' · ');
  }

  async send(room: RoomRef, text: string, options: SendOptions = {}): Promise<boolean> {
    try {
      await this.accounts.sendText(room.accountId, room.roomId, text, options);
      vscode.window.setStatusBarMessage(
        vscode.l10n.t({
          message: '$(check) Sent to {0}',
          args: [forIconLabel(nameOf(room))],
          comment: ["{0} is a room's name; $(check) is an icon"],
        }),
        4000,
      );
      return true;
    } catch (error) {
      this.report(
        vscode.l10n.t({
          message: 'Nothing was sent to {0}.',
          args: [forNotification(nameOf(room))],
          comment: ["{0} is a room's name"],
        }),
        error,
      );
      return false;
    }
  }

  /** Opens the room (matrix.to); seen there, it is read here too when `room` is given. */
  async open(roomId: string, eventId?: string, room?: RoomRef): Promise<void> {
    await openUrl(matrixToLink(roomId, eventId));
    if (room) await this.markRead(room);
  }

  async markRead(room: RoomRef): Promise<void> {
    try {
      await this.accounts.markRead(room.accountId, room.roomId);
    } catch (error) {
      this.report(
        vscode.l10n.t({
          message: '{0} could not be marked as read.',
          args: [forNotification(nameOf(room))],
          comment: ["{0} is a room's name"],
        }),
        error,
      );
    }
  }

  /** Mutes a room's notifications, with an Undo. */
  async mute(room: RoomRef): Promise<void> {
    await this.muted.set(room.accountId, room.roomId, true);
    const undo = vscode.l10n.t('Undo');
    const answer = await vscode.window.showInformationMessage(
      vscode.l10n.t({
        message: 'Muted {0}: its messages no longer show here. Unmute it from the Matrix view.',
        args: [forNotification(nameOf(room))],
        comment: ["{0} is a room's name"],
      }),
      undo,
    );
    if (answer === undo) await this.muted.set(room.accountId, room.roomId, false);
  }

  async unmute(room: RoomRef): Promise<void> {
    await this.muted.set(room.accountId, room.roomId, false);
  }

  /** `what` is already escaped; the reason may quote the server. */
  private report(what: string, error: unknown): void {
    const raw = error instanceof Error ? error.message : String(error);
    this.log.warn(`${what} ${raw}`);
    const reason = forNotification(raw, LONG_MAX);
    if (isMatrixChannelError(error) && error.kind === 'encrypted_room')
      void vscode.window.showWarningMessage(`${what} ${reason}`);
    else void vscode.window.showErrorMessage(`${what} ${reason}`);
  }
}

/** A room's name as plain text (its ID when the name shows nothing); escaped again for each kind of sink. */
function nameOf(room: RoomRef): string {
  return displayName(room.roomName, room.roomId);
}

/** An input box that stays open when focus moves away and refuses blank text; undefined when cancelled. */
async function askNonBlank(options: {
  title: string;
  placeHolder: string;
  empty: string;
  prompt?: string;
}): Promise<string | undefined> {
  const { empty, ...shown } = options;
  const text = await askText({ ...shown, validate: (value) => (value.trim() ? undefined : empty) });
  return text?.trim() ? text : undefined;
}
