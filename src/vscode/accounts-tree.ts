/**
 * The sidebar's accounts view: one node per account with its connection state, and under a live account its
 * joined rooms with unread counts (mentions first). Actions are in menus (package.json).
 */
import * as vscode from 'vscode';
import type { AccountService, AccountView } from '../core/account/account-service.ts';
import { accountContextValue, saysUnverified } from '../core/account/menu-context.ts';
import type { RoomSummary } from '../core/sync/room-list.ts';
import { displayName, forPlain, LONG_MAX } from '../core/text/untrusted-text.ts';
import { accountLabel, accountTooltip, stateIcon, statusText } from './account-presentation.ts';
import { roomUnreadText, unreadRoomsText } from './room-counts.ts';
import type { MutedRooms } from './muted-rooms.ts';
import { nextAttemptAt, type RetryCountdown } from './retry-countdown.ts';

/** A room under its account; what room commands receive from the tree. */
export interface RoomNode {
  kind: 'room';
  accountId: string;
  roomId: string;
  roomName: string;
  summary: RoomSummary;
  muted: boolean;
}

/** The visible "Sign In…" row under an account that needs it (a row's inline buttons show only on hover). */
export interface SignInNode {
  kind: 'sign-in';
  account: AccountView;
}

export type TreeNode = AccountView | RoomNode | SignInNode;

const EXPANDED_UP_TO = 15;

export function isRoomNode(value: unknown): value is RoomNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'room';
}

function isSignInNode(value: unknown): value is SignInNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'sign-in';
}

/** States in which an account can only be signed in (again). */
const needsSignIn = (account: AccountView) =>
  account.status.state === 'needs_sign_in' || account.status.state === 'signed_out';

export class AccountsTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: Array<{ dispose(): void }>;
  /**
   * The account nodes last handed to the view, one object per account: the view knows its rows by these
   * objects, so the countdown can redraw just the rows that count down (the rest of the tree, and the pointer
   * over it, stay as they are).
   */
  private readonly accountNodes = new Map<string, AccountView>();

  constructor(
    private readonly accounts: AccountService,
    private readonly muted: MutedRooms,
    countdown: RetryCountdown,
  ) {
    const refresh = () => this.changed.fire(undefined);
    this.subscriptions = [
      countdown.onDidTick(() => this.redrawWaiting()),
      accounts.onDidChange(refresh),
      accounts.onDidChangeRooms(refresh),
      muted.onDidChange(refresh),
    ];
  }

  getChildren(element?: TreeNode): TreeNode[] {
    if (!element) {
      const views = this.accounts.accounts();
      const live = new Set(views.map((view) => view.id));
      for (const id of this.accountNodes.keys()) if (!live.has(id)) this.accountNodes.delete(id);
      return views.map((view) => {
        const node = this.accountNodes.get(view.id);
        if (!node) {
          this.accountNodes.set(view.id, view);
          return view;
        }
        return updated(node, view);
      });
    }
    if (isRoomNode(element) || isSignInNode(element)) return [];
    if (needsSignIn(element) && element.status.follows !== 'stale') return [{ kind: 'sign-in', account: element }];
    return this.accounts.rooms(element.id).map((summary) => ({
      kind: 'room',
      accountId: element.id,
      roomId: summary.roomId,
      roomName: summary.name,
      summary,
      muted: this.muted.isMuted(element.id, summary.roomId),
    }));
  }

  /** The accounts that count down to a retry: their rows, with the latest status, and nothing else. */
  private redrawWaiting(): void {
    const waiting: AccountView[] = [];
    for (const node of this.accountNodes.values()) {
      const current = this.accounts.account(node.id);
      if (current && nextAttemptAt(current) !== undefined) waiting.push(updated(node, current));
    }
    if (waiting.length) this.changed.fire(waiting);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (isSignInNode(node)) return signInItem(node);
    return isRoomNode(node) ? this.roomItem(node) : this.accountItem(node);
  }

  private accountItem(account: AccountView): vscode.TreeItem {
    const rooms = this.accounts.rooms(account.id);
    // Open at first when its rooms fit on a screen; VS Code then remembers what the user chose. An account that
    // needs signing in shows its "Sign In…" row.
    const collapsible = needsSignIn(account)
      ? vscode.TreeItemCollapsibleState.Expanded
      : rooms.length === 0
        ? vscode.TreeItemCollapsibleState.None
        : rooms.length <= EXPANDED_UP_TO
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(accountLabel(account), collapsible);
    const { state } = account.status;
    const unread = this.muted.countUnread(account.id, rooms);
    // VS Code remembers a row's folding by id, and keeps a row that had nothing to fold closed once it has: a new
    // id when the row comes to need signing in (it opens on its "Sign In…" row) and while it has no rooms (so
    // the rooms, when they come, show as the person left them, or open).
    item.id = needsSignIn(account)
      ? `${account.id}\nsigned-out`
      : rooms.length === 0
        ? `${account.id}\nno-rooms`
        : account.id;
    // The sidebar is narrow: a connected account shows only what is unread (its state is the icon); any other
    // state is news and says so in words. Screen readers hear both.
    const status = statusText(account);
    const quiet = state === 'connected' && !account.status.renewal && account.status.follows !== 'stale';
    const unreadText = unread ? unreadRoomsText(unread) : '';
    const trust = saysUnverified(account.status) ? vscode.l10n.t('not verified') : '';
    item.description = [quiet ? '' : status, trust, unreadText].filter(Boolean).join(' · ');
    item.accessibilityInformation = {
      label: [accountLabel(account), status, trust, unreadText].filter(Boolean).join(', '),
    };
    item.iconPath = account.status.renewal
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
      : stateIcon(state);
    item.contextValue = accountContextValue(account.status);
    item.tooltip = accountTooltip(account, rooms.length);
    if (account.status.follows === 'stale') {
      // This window's SecretStorage cannot see the current tokens (VS Code for the Web); a reload reads them.
      item.command = {
        command: 'workbench.action.reloadWindow',
        title: vscode.l10n.t('Reload Window'),
      };
    } else if (state === 'needs_sign_in' || state === 'signed_out') {
      item.command = { command: 'matrixChannels.signIn', title: vscode.l10n.t('Sign In'), arguments: [account] };
    }
    return item;
  }

  private roomItem(node: RoomNode): vscode.TreeItem {
    const { summary, muted } = node;
    // Tree labels and string tooltips are plain text (no icons, no links); the tooltip has room for a long name.
    const name = displayName(summary.name, summary.roomId);
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
    item.id = `${node.accountId}\n${summary.roomId}`;
    const counts = roomUnreadText(summary);
    item.description = [counts, muted ? vscode.l10n.t('muted') : ''].filter(Boolean).join(' · ');
    const icon = muted ? 'bell-slash' : summary.encrypted ? 'lock' : summary.isDirect ? 'person' : 'comment-discussion';
    item.iconPath = new vscode.ThemeIcon(
      icon,
      summary.mentions ? new vscode.ThemeColor('list.warningForeground') : undefined,
    );
    item.contextValue = [
      'room',
      summary.unread ? 'unread' : '',
      muted ? 'muted' : '',
      summary.encrypted ? 'encrypted' : '',
    ]
      .filter(Boolean)
      .join('.');
    const tooltip = [
      displayName(summary.name, summary.roomId, LONG_MAX),
      forPlain(summary.roomId, LONG_MAX),
      summary.isDirect ? vscode.l10n.t('Direct message') : '',
    ];
    if (summary.encrypted)
      tooltip.push(
        vscode.l10n.t('End-to-end encrypted: read and answered through the encryption of this device, never in clear.'),
      );
    item.tooltip = tooltip.filter(Boolean).join('\n');
    item.accessibilityInformation = {
      label: [name, counts, muted ? vscode.l10n.t('muted') : ''].filter(Boolean).join(', '),
    };
    item.command = { command: 'matrixChannels.showRoom', title: vscode.l10n.t('Open Room'), arguments: [node] };
    return item;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}

function signInItem(node: SignInNode): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('Sign In…'), vscode.TreeItemCollapsibleState.None);
  item.id = `${node.account.id}\nsign-in`;
  item.iconPath = new vscode.ThemeIcon('sign-in');
  item.command = { command: 'matrixChannels.signIn', title: vscode.l10n.t('Sign In'), arguments: [node.account] };
  item.tooltip = vscode.l10n.t({
    message: 'Sign in to {0} again (the device is kept)',
    args: [accountLabel(node.account)],
    comment: ["{0} is the account's label or Matrix ID"],
  });
  return item;
}

/** The same node object, now showing `view` (a field the view no longer has goes too). */
function updated(node: AccountView, view: AccountView): AccountView {
  for (const key of Object.keys(node) as Array<keyof AccountView>) if (!(key in view)) delete node[key];
  return Object.assign(node, view);
}
