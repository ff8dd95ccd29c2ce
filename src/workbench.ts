/**
 * Composition root: wires the core (accounts, sign-in engine) to VS Code (commands, tree, status bar, URI
 * handler, SecretStorage, notifications, authentication provider). Its bundle (dist/workbench.js) is loaded by
 * the activation bundle when a channel is configured or the person first reaches for the extension; the engine
 * bundle (matrix-js-sdk, openid-client) only when an account exists or a sign-in starts.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { AccountService } from './core/account/account-service.ts';
import { setTranslator } from './core/l10n.ts';
import type { MatrixChannelsApi } from './vscode/api.ts';
import { AccountsTree, type TreeNode } from './vscode/accounts-tree.ts';
import { MatrixAuthenticationProvider } from './vscode/auth-provider.ts';
import { showAuthNotifications } from './vscode/auth-notifications.ts';
import { registerChannelPanelCommands } from './vscode/channel-panel/commands.ts';
import { trackContextKeys } from './vscode/context-keys.ts';
import { registerAccountActions } from './vscode/commands/account-actions.ts';
import { registerEncryptionCommands } from './vscode/commands/encryption-commands.ts';
import { showVerificationRequests } from './vscode/verification-notifications.ts';
import { registerRoomCommands } from './vscode/commands/room-commands.ts';
import { SignInCommand } from './vscode/commands/sign-in.ts';
import { engineFactory, loadEngineModule } from './vscode/engine-loader.ts';
import { outputLogger } from './vscode/log-output.ts';
import { showInviteNotifications } from './vscode/invite-notifications.ts';
import { showMessageNotifications } from './vscode/message-notifications.ts';
import { MutedRooms } from './vscode/muted-rooms.ts';
import { DirectoryRefreshLock } from './vscode/refresh-lock.ts';
import { RetryCountdown } from './vscode/retry-countdown.ts';
import { RoomActions } from './vscode/room-actions.ts';
import { RoomPanels } from './vscode/room-view/room-panels.ts';
import { SecretStorageStore } from './vscode/secret-storage.ts';
import { SettingsChannelStore } from './vscode/settings-store.ts';
import { SignInUi } from './vscode/sign-in-ui.ts';
import { createStatusBar } from './vscode/status-bar.ts';
import { GlobalStateSyncStore } from './vscode/sync-state-store.ts';
import { showUnreadBadge } from './vscode/unread-badge.ts';
import { UriCallbacks } from './vscode/uri-handler.ts';
import { FileAccountCoordination } from './vscode/account-coordination.ts';
import { WindowLease } from './vscode/window-lease.ts';

/** How long closing the window waits for the accounts to stop (VS Code gives deactivate() a few seconds). */
const STOP_WAIT_MS = 3_000;

/** What the activation bundle hands on to the workbench it loads. */
export interface WorkbenchHost {
  /** The accounts view, created at activation so that it has a provider before anything else loads. */
  treeView: vscode.TreeView<TreeNode>;
}

/** What the activation bundle forwards to: the real providers behind its stand-ins, and a way to stop. */
export interface Workbench {
  tree: AccountsTree;
  uriHandler: vscode.UriHandler;
  authProvider: MatrixAuthenticationProvider;
  /** The room views (VS Code brings back those open at the last close through the activation bundle). */
  roomPanels: RoomPanels;
  api: MatrixChannelsApi;
  /** Gives up this window's accounts and the sessions it owned. */
  stop(): Promise<void>;
}

/**
 * Registers the commands (the activation bundle has given up its stand-ins for them) and starts the accounts.
 * Everything it creates is disposed with the context.
 */
export function startWorkbench(context: vscode.ExtensionContext, { treeView }: WorkbenchHost): Workbench {
  // The core's words (errors, notifications) in the editor's language, in both bundles.
  // (Not written as a call of l10n.t: scripts/l10n.mjs takes those for messages of their own.)
  setTranslator(
    (message, args, comment) =>
      Reflect.apply(vscode.l10n.t, vscode.l10n, comment ? [{ message, args, comment }] : [message, ...args]) as string,
  );
  const channel = vscode.window.createOutputChannel('Matrix', { log: true });
  const log = outputLogger(channel);
  const secrets = new SecretStorageStore(context.secrets);
  const configs = new SettingsChannelStore(log);
  const engine = engineFactory({
    manifest: context.extension.packageJSON as { name: string; displayName?: string; homepage?: string },
    secrets,
    lock: new DirectoryRefreshLock(join(context.globalStorageUri.fsPath, 'locks')),
    log,
  });
  const syncState = new GlobalStateSyncStore(context.globalState);
  // Each account's end-to-end encryption store, sealed with a key in secret storage.
  const crypto = { directory: join(context.globalStorageUri.fsPath, 'crypto'), secrets };
  const lease = new WindowLease({ directory: join(context.globalStorageUri.fsPath, 'session-owners') });
  const accounts = new AccountService({
    configs,
    engine,
    log,
    channels: async ({ accountId, session, config }) =>
      new (await loadEngineModule()).ChannelSync({ accountId, session, config, store: syncState, log, crypto }),
    forget: async (accountId) => (await loadEngineModule()).CryptoStore.destroy({ accountId, ...crypto }),
    coordination: new FileAccountCoordination(lease, join(context.globalStorageUri.fsPath, 'accounts')),
    focused: () => vscode.window.state.focused,
  });
  const muted = new MutedRooms(context.globalState);
  const roomPanels = new RoomPanels({ extensionUri: context.extensionUri, accounts, log });
  const roomActions = new RoomActions(accounts, muted, log, roomPanels);
  const uriHandler = new UriCallbacks(log);
  const ui = new SignInUi({
    accounts,
    engine: loadEngineModule,
    callbacks: uriHandler,
    extensionId: context.extension.id,
    log,
  });
  const signIn = new SignInCommand(accounts, engine, ui);
  const countdown = new RetryCountdown(accounts);
  const tree = new AccountsTree(accounts, muted, countdown);
  const authProvider = new MatrixAuthenticationProvider(accounts, (target) => signIn.run(target));

  context.subscriptions.push(
    channel,
    countdown,
    tree,
    authProvider,
    showUnreadBadge(treeView, accounts, muted),
    createStatusBar(accounts, muted, countdown),
    showAuthNotifications(accounts),
    showMessageNotifications({ accounts, muted, actions: roomActions, log }),
    showInviteNotifications(accounts, configs, log),
    muted,
    roomPanels,
    { dispose: () => void lease.dispose() },
    vscode.commands.registerCommand('matrixChannels.signIn', (arg?: unknown) => signIn.run(arg)),
    ...registerChannelPanelCommands({ extensionUri: context.extensionUri, accounts, configs, engine, ui, log }),
    vscode.commands.registerCommand('matrixChannels.showLog', () => channel.show()),
    ...registerAccountActions(accounts, engine, loadEngineModule),
    ...registerEncryptionCommands(accounts),
    showVerificationRequests(accounts),
    ...registerRoomCommands(accounts, roomActions),
    secrets.onDidChangeSession((accountId) => void accounts.storedSessionChanged(accountId)),
    trackContextKeys(accounts, muted, (listener) => configs.onDidChange(listener)),
    { dispose: () => accounts.dispose() },
  );
  void accounts.restoreAll().catch((error: unknown) => log.error('restoring accounts failed', error));

  const api: MatrixChannelsApi = {
    accounts: () => accounts.accounts(),
    onDidChangeAccounts: (listener) => accounts.onDidChange(listener),
    rooms: (accountId) => accounts.rooms(accountId),
    client: async (accountId) => {
      const managed = accounts.session(accountId);
      if (!managed) throw new Error(`account ${accountId} is not signed in`);
      const { createMatrixClient } = await loadEngineModule();
      const { homeserver, accessToken, userId, deviceId } = managed.session;
      return createMatrixClient({ baseUrl: homeserver, accessToken, userId, deviceId, fetchFn: managed.fetch, log });
    },
  };
  return {
    tree,
    uriHandler,
    authProvider,
    roomPanels,
    api,
    stop: async () => {
      // The encryption stores save as their channels stop; a stop that hangs does not keep the window.
      await Promise.race([accounts.dispose(), new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS))]);
      await lease.dispose();
    },
  };
}
