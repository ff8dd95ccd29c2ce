/**
 * The room views: one editor panel per room (opening a room again brings its panel to the front), each a
 * webview (dist/webview/room.js) driven by a RoomViewController over the room's live feed.
 */
import * as vscode from 'vscode';
import type { AccountService } from '../../core/account/account-service.ts';
import type { Logger } from '../../core/log.ts';
import { sanitizeMatrixHtml } from '../../core/timeline/sanitize-html.ts';
import { showPage } from '../webview-page.ts';
import { RoomViewController } from './room-view-controller.ts';

export const ROOM_VIEW_TYPE = 'matrixChannels.room';

export interface RoomPanelsDeps {
  extensionUri: vscode.Uri;
  accounts: AccountService;
  log: Logger;
}

export class RoomPanels implements vscode.Disposable {
  private readonly open = new Map<string, vscode.WebviewPanel>();

  constructor(private readonly deps: RoomPanelsDeps) {}

  /** Shows the room's view, opening it if needed; throws (a MatrixChannelError) when the account is not live. */
  async show(accountId: string, roomId: string): Promise<void> {
    const key = `${accountId}\n${roomId}`;
    const existing = this.open.get(key);
    if (existing) return existing.reveal();
    const { accounts, log } = this.deps;
    const feed = await accounts.roomFeed(accountId, roomId);
    const roomName = () => accounts.rooms(accountId).find((room) => room.roomId === roomId)?.name ?? roomId;
    const root = vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(ROOM_VIEW_TYPE, roomName(), vscode.ViewColumn.Active, {
      enableScripts: true,
      enableForms: false,
      // A hidden panel drops its page; shown again, the page asks for the timeline (`ready`).
      retainContextWhenHidden: false,
      localResourceRoots: [root],
    });
    this.open.set(key, panel);
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'matrix.svg');
    const { webview } = panel;
    showPage(webview, root, { script: 'room.js', style: 'room.css', title: roomName() });
    const controller = new RoomViewController({
      feed,
      me: accounts.account(accountId)?.userId ?? '',
      log,
      roomName,
      memberName: (userId) => feed.memberName(userId),
      unreadCount: () => accounts.rooms(accountId).find((room) => room.roomId === roomId)?.unread ?? 0,
      markRead: () => accounts.markRead(accountId, roomId),
      isActive: () => panel.active && panel.visible && vscode.window.state.focused,
      // A hidden panel has no page to receive this; it asks again (`ready`) when shown.
      post: (message) => void webview.postMessage(message),
      sanitize: (html) => sanitizeMatrixHtml(html).html,
    });
    const subscriptions = [
      webview.onDidReceiveMessage((message: unknown) => void controller.receive(message)),
      panel.onDidChangeViewState(() => {
        panel.title = roomName();
        if (panel.active) controller.activated();
      }),
    ];
    panel.onDidDispose(() => {
      this.open.delete(key);
      for (const subscription of subscriptions) subscription.dispose();
      controller.dispose();
    });
    void controller.open();
  }

  dispose(): void {
    for (const panel of [...this.open.values()]) panel.dispose();
  }
}
