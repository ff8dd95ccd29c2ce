/**
 * The room views: one editor panel per room (opening a room again brings its panel to the front), each a
 * webview (dist/webview/room.js) driven by a RoomViewController over the room's live feed. Views open when the
 * window closed come back after a reload (`restore`, VS Code's webview serializer).
 */
import * as vscode from 'vscode';
import type { AccountService } from '../../core/account/account-service.ts';
import type { Logger } from '../../core/log.ts';
import type { RoomFeed } from '../../core/sync/room-feed.ts';
import { parseRoomViewMessage, type TimelineView } from '../../shared/room-view-protocol.ts';
import { sanitizeMatrixHtml } from '../../core/timeline/sanitize-html.ts';
import { confirm } from '../confirm.ts';
import { LastTextEditor, selectionBlock } from '../editor-selection.ts';
import { showPage } from '../webview-page.ts';
import { RoomFiles } from './room-files.ts';
import { RoomViewController } from './room-view-controller.ts';
import { panelIcon } from '../panel-icon.ts';

export const ROOM_VIEW_TYPE = 'matrixChannels.room';

export interface RoomPanelsDeps {
  extensionUri: vscode.Uri;
  accounts: AccountService;
  log: Logger;
}

export class RoomPanels implements vscode.Disposable {
  private readonly open = new Map<string, vscode.WebviewPanel>();
  /** Views being opened (their feed is on its way): asking again waits for the same one. */
  private readonly opening = new Map<string, Promise<void>>();
  /** Where Insert Selection takes the code from (no text editor is active while a view has the focus). */
  private readonly lastEditor = new LastTextEditor();
  private readonly files = new RoomFiles();

  constructor(private readonly deps: RoomPanelsDeps) {}

  /** Shows the room's view, opening it if needed; throws (a MatrixChannelError) when the account is not live. */
  show(accountId: string, roomId: string): Promise<void> {
    const key = keyOf(accountId, roomId);
    const existing = this.open.get(key);
    if (existing) {
      existing.reveal();
      return Promise.resolve();
    }
    const pending = this.opening.get(key) ?? this.create(accountId, roomId).finally(() => this.opening.delete(key));
    this.opening.set(key, pending);
    return pending;
  }

  private async create(accountId: string, roomId: string): Promise<void> {
    const feed = await this.deps.accounts.roomFeed(accountId, roomId);
    const panel = vscode.window.createWebviewPanel(
      ROOM_VIEW_TYPE,
      this.roomName(accountId, roomId),
      vscode.ViewColumn.Active,
      this.options(),
    );
    this.page(panel, accountId, roomId);
    this.attach(panel, accountId, roomId, feed);
  }

  /**
   * A view open when the window closed, brought back by VS Code after a reload. The page comes back at once and
   * says what it waits for; the room attaches once its account is live (the account may connect a moment later,
   * or only when the person signs it in again).
   */
  restore(panel: vscode.WebviewPanel, state: unknown): void {
    const room = restoredRoom(state);
    if (!room || this.open.has(keyOf(room.accountId, room.roomId))) {
      panel.dispose();
      return;
    }
    const { accountId, roomId } = room;
    panel.webview.options = this.options();
    this.page(panel, accountId, roomId);
    const key = keyOf(accountId, roomId);
    this.open.set(key, panel);
    let closed = false;
    const waiting = [
      panel.onDidDispose(() => {
        closed = true;
        if (this.open.get(key) === panel) this.open.delete(key);
      }),
      // Until the room attaches, the page hears why it is empty, and a send is answered (not sent).
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseRoomViewMessage(raw);
        const view = this.waitingView(room);
        if (message?.type === 'send' || message?.type === 'edit')
          void panel.webview.postMessage({ type: 'sendResult', id: message.id, failed: view.problem });
        else void panel.webview.postMessage(view);
      }),
    ];
    void this.whenLive(accountId, roomId, () => closed).then((feed) => {
      for (const subscription of waiting) subscription.dispose();
      if (feed && !closed) this.attach(panel, accountId, roomId, feed);
      else feed?.dispose();
    });
  }

  /** What a restored view shows until its room attaches. */
  private waitingView(room: { accountId: string; roomId: string }): TimelineView {
    const state = this.deps.accounts.account(room.accountId)?.status.state;
    return {
      type: 'timeline',
      room,
      roomName: this.roomName(room.accountId, room.roomId),
      me: '',
      items: [],
      names: {},
      hasOlder: false,
      loadingOlder: false,
      problem:
        state === undefined || state === 'signed_out' || state === 'needs_sign_in'
          ? vscode.l10n.t('The account of this room is not signed in. Sign it in to see the room here.')
          : vscode.l10n.t('Connecting to the homeserver…'),
    };
  }

  private attach(panel: vscode.WebviewPanel, accountId: string, roomId: string, feed: RoomFeed): void {
    const { accounts, log } = this.deps;
    const key = keyOf(accountId, roomId);
    this.open.set(key, panel);
    const { webview } = panel;
    const controller = new RoomViewController({
      feed,
      room: { accountId, roomId },
      me: accounts.account(accountId)?.userId ?? '',
      log,
      roomName: () => this.roomName(accountId, roomId),
      memberName: (userId) => feed.memberName(userId),
      unreadCount: () => accounts.rooms(accountId).find((room) => room.roomId === roomId)?.unread ?? 0,
      markRead: () => accounts.markRead(accountId, roomId),
      confirmDelete: () =>
        confirm(vscode.l10n.t('Delete this message for everyone in the room?'), vscode.l10n.t('Delete')),
      isActive: () => panel.active && panel.visible && vscode.window.state.focused,
      // A hidden panel has no page to receive this; it asks again (`ready`) when shown.
      post: (message) => void webview.postMessage(message),
      sanitize: (html) => sanitizeMatrixHtml(html).html,
      files: this.files,
      selection: () => {
        const block = selectionBlock(this.lastEditor.editor);
        if (!block)
          void vscode.window.showInformationMessage(
            vscode.l10n.t('Select the code in an editor first, then Insert Selection.'),
          );
        return block?.text;
      },
    });
    const subscriptions = [
      webview.onDidReceiveMessage((message: unknown) => void controller.receive(message)),
      panel.onDidChangeViewState(() => {
        panel.title = this.knownName(accountId, roomId) ?? panel.title;
        if (panel.active) controller.activated();
      }),
    ];
    panel.onDidDispose(() => {
      if (this.open.get(key) === panel) this.open.delete(key);
      for (const subscription of subscriptions) subscription.dispose();
      controller.dispose();
    });
    void controller.open();
  }

  private page(panel: vscode.WebviewPanel, accountId: string, roomId: string): void {
    // A restored tab keeps the title it had until the account's rooms are known again.
    panel.title = this.knownName(accountId, roomId) ?? (panel.title || roomId);
    panel.iconPath = panelIcon(this.deps.extensionUri);
    showPage(panel.webview, this.root(), { script: 'room.js', style: 'room.css', title: panel.title, images: true });
  }

  /** The room's feed once its account is live (checked as the account changes); undefined if the view closed. */
  private whenLive(accountId: string, roomId: string, closed: () => boolean): Promise<RoomFeed | undefined> {
    const { accounts } = this.deps;
    return new Promise((resolve) => {
      let asking = false;
      let done = false;
      const attempt = () => {
        if (done) return;
        if (closed()) return finish(undefined);
        if (asking || accounts.account(accountId)?.status.state !== 'connected') return;
        asking = true;
        accounts.roomFeed(accountId, roomId).then(
          (feed) => (done ? feed.dispose() : finish(feed)),
          () => (asking = false),
        );
      };
      const subscription = accounts.onDidChange(attempt);
      const finish = (feed: RoomFeed | undefined) => {
        done = true;
        subscription.dispose();
        resolve(feed);
      };
      attempt();
    });
  }

  private knownName(accountId: string, roomId: string): string | undefined {
    return this.deps.accounts.rooms(accountId).find((room) => room.roomId === roomId)?.name;
  }

  private roomName(accountId: string, roomId: string): string {
    return this.knownName(accountId, roomId) ?? roomId;
  }

  private root(): vscode.Uri {
    return vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webview');
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableForms: false,
      // A hidden panel drops its page; shown again, the page asks for the timeline (`ready`).
      retainContextWhenHidden: false,
      localResourceRoots: [this.root()],
    };
  }

  dispose(): void {
    for (const panel of [...this.open.values()]) panel.dispose();
    this.lastEditor.dispose();
    this.files.dispose();
  }
}

function keyOf(accountId: string, roomId: string): string {
  return `${accountId}\n${roomId}`;
}

/** The room a restored page said it showed (its saved state), if the state names one. */
function restoredRoom(state: unknown): { accountId: string; roomId: string } | undefined {
  const room = (state as { room?: { accountId?: unknown; roomId?: unknown } } | undefined)?.room;
  return typeof room?.accountId === 'string' && typeof room.roomId === 'string'
    ? { accountId: room.accountId, roomId: room.roomId }
    : undefined;
}
