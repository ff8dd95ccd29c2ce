/**
 * Activation. Registers what VS Code may call at any time (the commands, the accounts view, the URI handler,
 * the authentication provider, the room views' serializer) as small stand-ins, and loads the workbench behind them (dist/workbench.js:
 * tree, notifications, sign-in, the channel form) at once when a channel is configured, else on the first
 * call. Someone who has installed the extension but set up no channel pays for this file only; the engine
 * bundle (matrix-js-sdk) and the encryption's WebAssembly load later still, when an account needs them.
 */
import * as vscode from 'vscode';
import type { TreeNode } from './vscode/accounts-tree.ts';
import { AUTH_PROVIDER_ID, offerSignInInAccountsMenu } from './vscode/accounts-menu.ts';
import type { MatrixChannelsApi } from './vscode/api.ts';
import type { Workbench } from './workbench.ts';

type WorkbenchModule = typeof import('./workbench.ts');
type AuthProvider = vscode.AuthenticationProvider;

let started: Workbench | undefined;

export function activate(context: vscode.ExtensionContext): MatrixChannelsApi {
  const treeChanged = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined | null | void>();
  const sessionsChanged = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  const accountsChanged = new vscode.EventEmitter<void>();
  const treeView = vscode.window.createTreeView<TreeNode>('matrixChannels.accounts', {
    treeDataProvider: {
      onDidChangeTreeData: treeChanged.event,
      // Nothing to show before the workbench runs: no channel is configured, and the view shows its welcome.
      getChildren: (node) => started?.tree.getChildren(node) ?? [],
      getTreeItem: (node) => workbench().tree.getTreeItem(node),
    },
    showCollapseAll: true,
  });
  const commandStandIns = contributedCommands(context).map((id) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => {
      workbench();
      return vscode.commands.executeCommand(id, ...args);
    }),
  );

  /** The workbench, started on first need: its commands take the stand-ins' places, its events flow out. */
  function workbench(): Workbench {
    if (started) return started;
    for (const standIn of commandStandIns) standIn.dispose();
    // esbuild leaves './workbench.js' external: the sibling bundle, read with the extension host's require.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require('./workbench.js') as WorkbenchModule;
    const workbench = module.startWorkbench(context, { treeView });
    started = workbench;
    context.subscriptions.push(
      workbench.tree.onDidChangeTreeData((change) => treeChanged.fire(change)),
      workbench.authProvider.onDidChangeSessions((change) => sessionsChanged.fire(change)),
      workbench.api.onDidChangeAccounts(() => accountsChanged.fire()),
    );
    treeChanged.fire(undefined);
    accountsChanged.fire();
    return workbench;
  }

  const api: MatrixChannelsApi = {
    accounts: () => started?.api.accounts() ?? [],
    onDidChangeAccounts: (listener) => accountsChanged.event(listener),
    rooms: (accountId) => started?.api.rooms(accountId) ?? [],
    client: (accountId) => workbench().api.client(accountId),
  };
  const authProvider: AuthProvider = {
    onDidChangeSessions: sessionsChanged.event,
    // No channel, no session: asking must not load the workbench (the Accounts menu asks at every start).
    getSessions: (...args: Parameters<AuthProvider['getSessions']>) =>
      started ? started.authProvider.getSessions(...args) : Promise.resolve([]),
    createSession: (...args: Parameters<AuthProvider['createSession']>) =>
      workbench().authProvider.createSession(...args),
    removeSession: (sessionId) => workbench().authProvider.removeSession(sessionId),
  };

  context.subscriptions.push(
    treeChanged,
    sessionsChanged,
    accountsChanged,
    treeView,
    ...commandStandIns,
    vscode.window.registerUriHandler({ handleUri: (uri) => workbench().uriHandler.handleUri(uri) }),
    // Room views open at the last close come back (their rooms need the workbench anyway).
    vscode.window.registerWebviewPanelSerializer('matrixChannels.room', {
      deserializeWebviewPanel: (panel, state: unknown) => {
        workbench().roomPanels.restore(panel, state);
        return Promise.resolve();
      },
    }),
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, 'Matrix', authProvider, {
      supportsMultipleAccounts: true,
    }),
    // A channel that arrives through the settings (typed in settings.json, synced from another machine).
    vscode.workspace.onDidChangeConfiguration((change) => {
      if (change.affectsConfiguration('matrixChannels.channels') && channelsConfigured()) workbench();
    }),
    offerSignInInAccountsMenu(api),
  );
  if (channelsConfigured()) workbench();
  return api;
}

/**
 * The context's disposables clean up everything else. The host waits for this promise (and calls it before
 * disposing them), so the sessions this window owned are free for the other windows (the same window after a
 * reload, say) at once, not only once the lease expires.
 */
export function deactivate(): Promise<void> | undefined {
  return started?.stop();
}

function channelsConfigured(): boolean {
  const channels = vscode.workspace.getConfiguration('matrixChannels').get<unknown>('channels');
  return Array.isArray(channels) && channels.length > 0;
}

/** Every command the manifest declares: the workbench registers each of them. */
function contributedCommands(context: vscode.ExtensionContext): string[] {
  const manifest = context.extension.packageJSON as { contributes?: { commands?: Array<{ command: string }> } };
  return (manifest.contributes?.commands ?? []).map((entry) => entry.command);
}
