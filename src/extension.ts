/**
 * Composition root: wires the core (accounts, sign-in engine) to VS Code (commands, tree, status bar, URI
 * handler, SecretStorage, notifications, authentication provider). The engine bundle is loaded only when an
 * account exists or a sign-in starts, so activation stays small and fast.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { AccountService } from './core/account/account-service.ts';
import { setTranslator } from './core/l10n.ts';
import type { MatrixChannelsApi } from './vscode/api.ts';
import { AccountsTree } from './vscode/accounts-tree.ts';
import { AUTH_PROVIDER_ID, MatrixAuthenticationProvider, offerSignInInAccountsMenu } from './vscode/auth-provider.ts';
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
import { SecretStorageStore } from './vscode/secret-storage.ts';
import { SettingsChannelStore } from './vscode/settings-store.ts';
import { SignInUi } from './vscode/sign-in-ui.ts';
import { createStatusBar } from './vscode/status-bar.ts';
import { GlobalStateSyncStore } from './vscode/sync-state-store.ts';
import { showUnreadBadge } from './vscode/unread-badge.ts';
import { UriCallbacks } from './vscode/uri-handler.ts';
import { FileAccountCoordination } from './vscode/account-coordination.ts';
import { WindowLease } from './vscode/window-lease.ts';

export function activate(context: vscode.ExtensionContext): MatrixChannelsApi {
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
  const roomActions = new RoomActions(accounts, muted, log);
  const callbacks = new UriCallbacks(log);
  const ui = new SignInUi({ accounts, engine: loadEngineModule, callbacks, extensionId: context.extension.id, log });
  const signIn = new SignInCommand(accounts, engine, ui);
  const countdown = new RetryCountdown(accounts);
  const tree = new AccountsTree(accounts, muted, countdown);
  const treeView = vscode.window.createTreeView('matrixChannels.accounts', {
    treeDataProvider: tree,
    showCollapseAll: true,
  });

  context.subscriptions.push(
    channel,
    countdown,
    tree,
    treeView,
    showUnreadBadge(treeView, accounts, muted),
    vscode.window.registerUriHandler(callbacks),
    createStatusBar(accounts, muted, countdown),
    showAuthNotifications(accounts),
    showMessageNotifications({ accounts, muted, actions: roomActions, log }),
    showInviteNotifications(accounts, configs, log),
    muted,
    { dispose: () => void lease.dispose() },
    vscode.authentication.registerAuthenticationProvider(
      AUTH_PROVIDER_ID,
      'Matrix',
      new MatrixAuthenticationProvider(accounts, (target) => signIn.run(target)),
      { supportsMultipleAccounts: true },
    ),
    offerSignInInAccountsMenu(accounts),
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
  giveUpSessions = async () => {
    accounts.dispose();
    await lease.dispose();
  };
  void accounts.restoreAll().catch((error: unknown) => log.error('restoring accounts failed', error));

  return {
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
}

/** Stops this window's accounts and gives up the sessions it owned. */
let giveUpSessions: (() => Promise<void>) | undefined;

/**
 * The context's disposables clean up everything else. The host waits for this promise (and calls it before
 * disposing them), so the sessions this window owned are free for the other windows (the same window after a
 * reload, say) at once, not only once the lease expires.
 */
export function deactivate(): Promise<void> | undefined {
  return giveUpSessions?.();
}
