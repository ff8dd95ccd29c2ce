/**
 * Matrix: Sign In… — a homeserver URL, server name or Matrix ID, then discovery, then the method the server
 * offers (OAuth first), then the right flow. Also signs an existing account in again (same device).
 * Automation (tests, other extensions) may pass `{ homeserver, authMode?, userId?, password?, accessToken? }`.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AccountService, AccountView } from '../../core/account/account-service.ts';
import type { SignInEngine } from '../../core/auth/sign-in-engine.ts';
import { CHANNEL_DEFAULTS, type ChannelConfig, type ChannelSecrets } from '../../core/channel/config.ts';
import type { AuthCapabilities } from '../../core/discovery/types.ts';
import { choiceWithoutAsking, signInChoices, type SignInChoice } from '../../core/auth/sign-in-choices.ts';
import { MatrixChannelError } from '../../core/errors.ts';
import { forNotification, LONG_MAX } from '../../core/text/untrusted-text.ts';
import type { AuthMode } from '../../core/session/session.ts';
import type { SignInUi } from '../sign-in-ui.ts';
import { isAccountView } from './pick-account.ts';

export interface SignInArgs {
  homeserver?: string;
  authMode?: AuthMode;
  userId?: string;
  password?: string;
  accessToken?: string;
  signUp?: boolean;
}

interface Prepared {
  config: ChannelConfig;
  secrets: ChannelSecrets;
  signUp?: boolean;
}

export class SignInCommand {
  constructor(
    private readonly accounts: AccountService,
    private readonly engine: () => Promise<SignInEngine>,
    private readonly ui: SignInUi,
  ) {}

  async run(arg?: unknown): Promise<AccountView | undefined> {
    let prepared: Prepared | undefined;
    try {
      if (isAccountView(arg)) prepared = await this.again(arg);
      else
        prepared = await this.fresh(
          typeof arg === 'string' ? { homeserver: arg } : typeof arg === 'object' && arg ? arg : {},
        );
    } catch (error) {
      if (!(error instanceof MatrixChannelError)) throw error;
      // The message may quote the server (discovery answers).
      if (error.kind !== 'cancelled') void vscode.window.showErrorMessage(forNotification(error.message, LONG_MAX));
      return undefined;
    }
    if (!prepared) return undefined;
    // A failed sign-in is announced by the auth notifications (with "Try Again" and "Show Log").
    return this.ui
      .run(prepared.config, prepared.secrets, prepared.signUp ? { signUp: true } : {})
      .catch(() => undefined);
  }

  private async fresh(args: SignInArgs): Promise<Prepared | undefined> {
    const homeserver =
      args.homeserver ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t('Sign in to Matrix'),
        prompt: vscode.l10n.t('Homeserver URL, server name or Matrix ID'),
        placeHolder: 'matrix.org, https://matrix.example.org or @you:example.org',
        ignoreFocusOut: true,
      }));
    if (!homeserver?.trim()) return undefined;
    const engine = await this.engine();
    const { capabilities } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Looking up {0}…', homeserver) },
      () => engine.discover(homeserver.trim()),
    );
    const given: AuthMode | undefined =
      args.authMode ?? (args.accessToken ? 'access_token' : args.password ? 'password' : undefined);
    const choice = given ? { mode: given } : await this.pickChoice(capabilities, homeserver.trim());
    if (!choice) return undefined;
    const { mode } = choice;
    const signUp = args.signUp === true || ('signUp' in choice && choice.signUp === true);
    const userId = args.userId ?? (homeserver.trim().startsWith('@') ? homeserver.trim() : undefined);
    const secrets = await this.secretsFor(mode, args, userId);
    if (!secrets) return undefined;
    const config: ChannelConfig = {
      ...CHANNEL_DEFAULTS,
      roomAllowlist: [],
      userAllowlist: [],
      id: `ch-${randomUUID().slice(0, 8)}`,
      homeserver: homeserver.trim(),
      authMode: mode,
      ...(secrets.userId ? { userId: secrets.userId } : {}),
    };
    return { config, secrets: secrets.secrets, ...(signUp ? { signUp: true } : {}) };
  }

  /** Signing in again keeps the account's configuration and device. */
  private async again(account: AccountView): Promise<Prepared | undefined> {
    const mode = account.config.authMode ?? 'oidc';
    const secrets = await this.secretsFor(mode, {}, account.userId);
    return secrets && { config: account.config, secrets: secrets.secrets };
  }

  private async pickChoice(capabilities: AuthCapabilities, server: string): Promise<SignInChoice | undefined> {
    const choices = signInChoices(capabilities);
    const taken = choiceWithoutAsking(choices);
    if (taken) return taken;
    const items = choices.map((choice) => ({ ...choiceLabel(choice, server), choice }));
    return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('How do you want to sign in?') }))?.choice;
  }

  private async secretsFor(
    mode: AuthMode,
    args: SignInArgs,
    knownUserId?: string,
  ): Promise<{ secrets: ChannelSecrets; userId?: string } | undefined> {
    if (mode === 'oidc') return { secrets: {}, ...(knownUserId ? { userId: knownUserId } : {}) };
    if (mode === 'access_token') {
      const accessToken =
        args.accessToken ??
        (await vscode.window.showInputBox({
          title: vscode.l10n.t('Access token'),
          password: true,
          ignoreFocusOut: true,
        }));
      return accessToken ? { secrets: { accessToken }, ...(knownUserId ? { userId: knownUserId } : {}) } : undefined;
    }
    const userId =
      args.userId ??
      knownUserId ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t('Matrix ID'),
        placeHolder: '@you:example.org',
        ignoreFocusOut: true,
      }));
    if (!userId) return undefined;
    const password =
      args.password ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t('Password for {0}', userId),
        password: true,
        ignoreFocusOut: true,
      }));
    return password ? { secrets: { password }, userId } : undefined;
  }
}

/** What the person reads for each way to sign in. */
function choiceLabel(choice: SignInChoice, server: string): { label: string; description?: string } {
  switch (choice.id) {
    case 'browser':
      return { label: vscode.l10n.t('Sign in with the browser'), description: vscode.l10n.t('OAuth 2.0, recommended') };
    case 'sign_up':
      return {
        label: vscode.l10n.t('Create an account'),
        // {0}: the homeserver as the person typed it
        description: vscode.l10n.t('a new account on {0}, in the browser', server),
      };
    case 'password':
      return { label: vscode.l10n.t('Password') };
    case 'access_token':
      return { label: vscode.l10n.t('Access token'), description: vscode.l10n.t('from another client') };
  }
}
