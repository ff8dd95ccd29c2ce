/**
 * Runs a sign-in in the editor: the flows that suit this host (loopback first on a local host, the URI
 * handler and the device code elsewhere), a cancellable progress notification, the device-code dialog,
 * and "Having trouble? Try another way" to switch flows mid-way.
 */
import * as vscode from 'vscode';
import type { AccountService, AccountView } from '../core/account/account-service.ts';
import type { ChannelConfig, ChannelSecrets } from '../core/channel/config.ts';
import type { SignInFlow } from '../core/auth/oauth/flows/flow.ts';
import type { DeviceCodePrompt } from '../core/auth/oauth/flows/device.ts';
import { MatrixChannelError, type ErrorKind } from '../core/errors.ts';
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

/** Thrown into a running attempt when the user picks another way to sign in. */
const SWITCH = 'switch-flow';

export class SignInUi {
  constructor(private readonly deps: SignInUiDeps) {}

  /** Signs the channel in with progress, cancel and fallback; resolves with the account, or undefined if cancelled. */
  async run(
    config: ChannelConfig,
    secrets: ChannelSecrets,
    options: SignInUiOptions = {},
  ): Promise<AccountView | undefined> {
    const all = await this.flows();
    let flows = all;
    for (;;) {
      if (options.signal?.aborted) return undefined;
      const outcome = await this.attempt(config, secrets, flows, all.length > 1, options);
      if (outcome !== SWITCH || options.signal?.aborted) return outcome === SWITCH ? undefined : outcome;
      const others = all.filter((flow) => !flows.includes(flow) || flows.length > 1);
      const choice = await vscode.window.showQuickPick(
        others.map((flow) => ({ label: flow.label, flow })),
        {
          title: vscode.l10n.t('Sign in another way'),
        },
      );
      if (!choice) return undefined;
      flows = [choice.flow];
    }
  }

  private attempt(
    config: ChannelConfig,
    secrets: ChannelSecrets,
    flows: SignInFlow[],
    canSwitch: boolean,
    options: SignInUiOptions,
  ): Promise<AccountView | undefined | typeof SWITCH> {
    const timeoutSeconds = vscode.workspace
      .getConfiguration('matrixChannels')
      .get<number>('signIn.timeoutSeconds', 300);
    return Promise.resolve(
      vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Signing in to Matrix ({0})…', config.homeserver),
          cancellable: true,
        },
        async (progress, token) => {
          const controller = new AbortController();
          const onCancel = token.onCancellationRequested(() => controller.abort());
          const onOuterAbort = () => controller.abort();
          options.signal?.addEventListener('abort', onOuterAbort, { once: true });
          if (options.signal?.aborted) controller.abort(); // the caller gave up before this attempt began
          let switched = false;
          if (canSwitch) {
            void vscode.window
              .showInformationMessage(vscode.l10n.t('Having trouble signing in?'), vscode.l10n.t('Try another way'))
              .then((picked) => {
                if (picked && !controller.signal.aborted) {
                  switched = true;
                  controller.abort(SWITCH);
                }
              });
          }
          try {
            return await this.deps.accounts.signIn(config, secrets, {
              flows,
              signal: controller.signal,
              timeoutMs: timeoutSeconds * 1000,
              ...(options.signUp ? { signUp: true } : {}),
              ...(options.quietFailures ? { quietFailures: options.quietFailures } : {}),
              onFlow: (flow) => progress.report({ message: flow.label }),
            });
          } catch (error) {
            if (switched) return SWITCH;
            if (error instanceof MatrixChannelError && error.kind === 'cancelled') return undefined;
            throw error;
          } finally {
            onCancel.dispose();
            options.signal?.removeEventListener('abort', onOuterAbort);
          }
        },
      ),
    );
  }

  /** The flows for this host, most convenient first, honouring the `signIn.flow` setting. */
  private async flows(): Promise<SignInFlow[]> {
    const engine = await this.deps.engine();
    const host = detectHostKind();
    const uriFlow = new engine.UriHandlerFlow({ redirectUri: () => this.externalUri('callback') });
    this.deps.callbacks.setReceiver(uriFlow);
    const device = new engine.DeviceFlow({ showCode: (prompt) => void this.showDeviceCode(prompt) });
    const loopback = new engine.LoopbackFlow({ successRedirect: () => this.externalUri('focus') });
    const ordered: SignInFlow[] = host === 'local' ? [loopback, uriFlow, device] : [uriFlow, device];
    const preferred = vscode.workspace.getConfiguration('matrixChannels').get<string>('signIn.flow', 'auto');
    const pick = ordered.filter((flow) => flow.id === preferred);
    this.deps.log.debug(
      `sign-in flows for a ${host} host: ${ordered.map((f) => f.id).join(', ')}${pick.length ? ` (setting: ${preferred})` : ''}`,
    );
    return pick.length ? pick : ordered;
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
    const message = vscode.l10n.t(
      'Enter the code {0} at {1} to sign in to Matrix.',
      forNotification(prompt.userCode),
      forNotification(host),
    );
    const detail = vscode.l10n.t(
      'Copy & Open puts the code on the clipboard and opens the page. The code is valid until {0}.',
      new Date(prompt.expiresAt).toLocaleTimeString(),
    );
    const picked = await Promise.resolve(
      vscode.window.showInformationMessage(message, { modal: true, detail }, copyAndOpen),
    ).catch(() => vscode.window.showInformationMessage(`${message} ${detail}`, copyAndOpen));
    if (picked === copyAndOpen) {
      await vscode.env.clipboard.writeText(prompt.userCode);
      // The page that asks for the code, whether or not the server offered one with the code filled in: the
      // person sees the same page either way, and the code is on the clipboard for it.
      await openUrl(prompt.verificationUri);
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'The code {0} is on the clipboard: paste it on the page that opened.',
          forNotification(prompt.userCode),
        ),
      );
    }
  }
}
