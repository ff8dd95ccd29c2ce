/**
 * Runs a sign-in in the editor: the flows that suit this host (loopback first on a local host, the URI
 * handler and the device code elsewhere), a cancellable progress notification ("Signing in to <server>…"), the
 * device-code dialog, and, once a browser sign-in failed, "Try Another Way".
 */
import * as vscode from 'vscode';
import type { AccountService, AccountView } from '../core/account/account-service.ts';
import type { ChannelConfig, ChannelSecrets } from '../core/channel/config.ts';
import { ANY_SERVER, getFlows, type FlowDeclaration } from '../core/auth/oauth/flows/choose-flows.ts';
import type { FlowId, SignInFlow } from '../core/auth/oauth/flows/flow.ts';
import type { DeviceCodePrompt } from '../core/auth/oauth/flows/device.ts';
import { isMatrixChannelError, type ErrorKind, type MatrixChannelError } from '../core/errors.ts';
import { parseHomeserverInput } from '../core/discovery/homeserver.ts';
import type { Logger } from '../core/log.ts';
import { forNotification } from '../core/text/untrusted-text.ts';
import { detectHostKind } from './host-kind.ts';
import { openUrl, type EngineModule } from './engine-loader.ts';
import type { UriCallbacks } from './uri-handler.ts';

export interface SignInUiDeps {
  accounts: AccountService;
  engine: () => Promise<EngineModule>;
  callbacks: UriCallbacks;
  extensionId: string;
  log: Logger;
}

export interface SignInUiOptions {
  signUp?: boolean;
  signal?: AbortSignal;
  /** Failures the caller shows the person itself: not announced (see AccountService.signIn). */
  quietFailures?: readonly ErrorKind[];
}

/** Failures of a browser sign-in that another way may not meet (not a refusal, not the person's cancel). */
const SWITCHABLE_FAILURES: readonly ErrorKind[] = [
  'timed_out',
  'authorization_failed',
  'unreachable',
  'registration_refused',
];

/** What the progress says while a flow waits for the person. */
const FLOW_PROGRESS: Record<FlowId, () => string> = {
  loopback: () => vscode.l10n.t('continue in your browser'),
  uri_handler: () => vscode.l10n.t('continue in your browser'),
  device: () => vscode.l10n.t('enter the code on another device'),
};

/** The server as a person names it: the host of a URL, the server of a Matrix ID, or the name typed. */
export function serverNameOf(homeserver: string): string {
  try {
    const input = parseHomeserverInput(homeserver);
    return input.kind === 'url' ? new URL(input.url).host : input.serverName;
  } catch {
    return homeserver;
  }
}

export class SignInUi {
  constructor(private readonly deps: SignInUiDeps) {}

  /**
   * Signs the channel in with progress and cancel; resolves with the account, or undefined if cancelled. When a
   * browser sign-in fails in a way another way may not (it timed out, the redirect never came back), the failure
   * is shown with "Try Another Way": the other ways for this editor, in a quick pick.
   */
  async run(
    config: ChannelConfig,
    secrets: ChannelSecrets,
    options: SignInUiOptions = {},
    only?: FlowId,
  ): Promise<AccountView | undefined> {
    const flows = await this.flows();
    // The other ways this editor has, whatever the server turns out to offer (the engine checks that).
    const others = getFlows({ host: detectHostKind(), grants: ANY_SERVER, setting: 'auto', anotherWay: true });
    // Only a browser sign-in has other ways to go (a password is a password).
    const switchable = config.authMode === 'oidc' && others.length > 1;
    const quietFailures = [...(options.quietFailures ?? []), ...(switchable ? SWITCHABLE_FAILURES : [])];
    if (options.signal?.aborted) return undefined;
    try {
      const setting = vscode.workspace.getConfiguration('matrixChannels').get<string>('signIn.flow', 'auto');
      return await this.attempt(config, secrets, flows, only ?? setting, { ...options, quietFailures });
    } catch (error) {
      if (switchable && isMatrixChannelError(error) && SWITCHABLE_FAILURES.includes(error.kind))
        void this.offerAnotherWay(config, secrets, options, error, others);
      throw error;
    }
  }

  /**
   * Shows a failed browser sign-in with "Try Another Way" (and "Show Log"); the way picked then signs in. The
   * caller is not kept waiting for the answer.
   */
  private async offerAnotherWay(
    config: ChannelConfig,
    secrets: ChannelSecrets,
    options: SignInUiOptions,
    error: MatrixChannelError,
    others: readonly FlowDeclaration[],
  ): Promise<void> {
    const another = vscode.l10n.t('Try Another Way');
    const showLog = vscode.l10n.t('Show Log');
    const picked = await vscode.window.showErrorMessage(
      vscode.l10n.t({
        message: 'Signing in to {0} failed: {1}',
        args: [serverNameOf(config.homeserver), forNotification(error.message)],
        comment: ['{0} is a server name, such as example.org; {1} is the reason, one or more sentences'],
      }),
      another,
      showLog,
    );
    if (picked === showLog) void vscode.commands.executeCommand('matrixChannels.showLog');
    if (picked !== another) return;
    const choice = await vscode.window.showQuickPick(
      others.map((flow) => ({ label: flow.label, flow })),
      // Kept open while focus moves (the notification that offered it may take it back).
      { title: vscode.l10n.t('Sign in another way'), ignoreFocusOut: true },
    );
    if (choice) await this.run(config, secrets, options, choice.flow.id).catch(() => undefined);
  }

  private attempt(
    config: ChannelConfig,
    secrets: ChannelSecrets,
    flows: SignInFlow[],
    flowChoice: string,
    options: SignInUiOptions,
  ): Promise<AccountView | undefined> {
    const timeoutSeconds = vscode.workspace
      .getConfiguration('matrixChannels')
      .get<number>('signIn.timeoutSeconds', 300);
    return Promise.resolve(
      vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t({
            message: 'Signing in to {0}…',
            args: [serverNameOf(config.homeserver)],
            comment: ['{0} is a server name, such as example.org'],
          }),
          cancellable: true,
        },
        async (progress, token) => {
          const controller = new AbortController();
          const onCancel = token.onCancellationRequested(() => controller.abort());
          const onOuterAbort = () => controller.abort();
          options.signal?.addEventListener('abort', onOuterAbort, { once: true });
          if (options.signal?.aborted) controller.abort(); // the caller gave up before this attempt began
          try {
            return await this.deps.accounts.signIn(config, secrets, {
              flows,
              flowChoice,
              host: detectHostKind(),
              signal: controller.signal,
              timeoutMs: timeoutSeconds * 1000,
              ...(options.signUp ? { signUp: true } : {}),
              ...(options.quietFailures ? { quietFailures: options.quietFailures } : {}),
              onFlow: (flow) => progress.report({ message: FLOW_PROGRESS[flow.id]() }),
            });
          } catch (error) {
            // A cancel is the person's own doing: nothing to say.
            if (isMatrixChannelError(error, 'cancelled')) return undefined;
            throw error;
          } finally {
            onCancel.dispose();
            options.signal?.removeEventListener('abort', onOuterAbort);
          }
        },
      ),
    );
  }

  /** The flows this editor can run, wired to its UI; which of them to try is the engine's getFlows answer. */
  private async flows(): Promise<SignInFlow[]> {
    const engine = await this.deps.engine();
    const uriFlow = new engine.UriHandlerFlow({ redirectUri: () => this.externalUri('callback') });
    this.deps.callbacks.setReceiver(uriFlow);
    return [
      new engine.LoopbackFlow({ successRedirect: () => this.externalUri('focus') }),
      uriFlow,
      new engine.DeviceFlow({ showCode: (prompt) => void this.showDeviceCode(prompt) }),
    ];
  }

  /** The browser-facing URI of one of our URI-handler paths (vscode:// on desktop, https in the web). */
  private async externalUri(path: 'callback' | 'focus'): Promise<string> {
    const uri = vscode.Uri.parse(`${vscode.env.uriScheme}://${this.deps.extensionId}/${path}`);
    return (await vscode.env.asExternalUri(uri)).toString(true);
  }

  /** A modal with the code and "Copy & Open"; a notification where modals are refused (extension tests). */
  private async showDeviceCode(prompt: DeviceCodePrompt): Promise<void> {
    const host = new URL(prompt.verificationUri).host;
    const copyAndOpen = vscode.l10n.t('Copy & Open');
    // The code comes from the sign-in server, and the fallback is a notification (which renders links).
    const message = vscode.l10n.t({
      message: 'Enter the code {0} at {1} to sign in to Matrix.',
      args: [forNotification(prompt.userCode), forNotification(host)],
      comment: ['{0} is a short code, such as ABCD-EFGH; {1} is the host name of the page to enter it on'],
    });
    const detail = vscode.l10n.t({
      message: 'Copy & Open puts the code on the clipboard and opens the page. The code is valid until {0}.',
      args: [new Date(prompt.expiresAt).toLocaleTimeString()],
      comment: ['{0} is a time of day, such as 14:05:30'],
    });
    const picked = await Promise.resolve(
      vscode.window.showInformationMessage(message, { modal: true, detail }, copyAndOpen),
    ).catch(() => vscode.window.showInformationMessage(`${message} ${detail}`, copyAndOpen));
    if (picked === copyAndOpen) {
      await vscode.env.clipboard.writeText(prompt.userCode);
      // The page that asks for the code, whether or not the server offered one with the code filled in: the
      // person sees the same page either way, and the code is on the clipboard for it.
      await openUrl(prompt.verificationUri);
      void vscode.window.showInformationMessage(
        vscode.l10n.t({
          message: 'The code {0} is on the clipboard: paste it on the page that opened.',
          args: [forNotification(prompt.userCode)],
          comment: ['{0} is a short code, such as ABCD-EFGH'],
        }),
      );
    }
  }
}
