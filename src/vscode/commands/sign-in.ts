/**
 * Matrix: Sign In… — a homeserver URL, server name or Matrix ID, then discovery, then the method the server
 * offers (OAuth first), then the right flow. Also signs an existing account in again (same device).
 * Automation (tests, other extensions) may pass `{ homeserver, authMode?, userId?, password?, accessToken? }`.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AccountService, AccountView } from '../../core/account/account-service.ts';
import type { SignInEngine } from '../../core/auth/sign-in-engine.ts';
import { NEW_CHANNEL_DEFAULTS, type ChannelConfig, type ChannelSecrets } from '../../core/channel/config.ts';
import type { AuthCapabilities } from '../../core/discovery/types.ts';
import { choiceWithoutAsking, signInChoices, type SignInChoice } from '../../core/auth/sign-in-choices.ts';
import { isMatrixChannelError } from '../../core/errors.ts';
import { parseHomeserverInput } from '../../core/discovery/homeserver.ts';
import { forNotification, LONG_MAX } from '../../core/text/untrusted-text.ts';
import type { AuthMode } from '../../core/session/session.ts';
import type { SignInUi } from '../sign-in-ui.ts';
import { askText } from '../ask-text.ts';
import { isAccountView } from './pick-account.ts';

export interface SignInArgs {
  homeserver?: string;
  authMode?: AuthMode;
  userId?: string;
  password?: string;
  accessToken?: string;
  signUp?: boolean;
}

export class SignInCommand {
  constructor(
    private readonly accounts: AccountService,
    private readonly engine: () => Promise<SignInEngine>,
    private readonly ui: SignInUi,
  ) {}

  async run(arg?: unknown): Promise<AccountView | undefined> {
    try {
      if (isAccountView(arg)) return await this.again(arg);
      return await this.fresh(
        typeof arg === 'string' ? { homeserver: arg } : typeof arg === 'object' && arg ? arg : {},
      );
    } catch (error) {
      if (!isMatrixChannelError(error)) throw error;
      // The message may quote the server (discovery answers).
      if (error.kind !== 'cancelled') void vscode.window.showErrorMessage(forNotification(error.message, LONG_MAX));
      return undefined;
    }
  }

  private async fresh(args: SignInArgs): Promise<AccountView | undefined> {
    const found = await this.lookUp(args.homeserver);
    if (!found) return undefined;
    const { homeserver, capabilities } = found;
    const given: AuthMode | undefined =
      args.authMode ?? (args.accessToken ? 'access_token' : args.password ? 'password' : undefined);
    const choice = given ? { mode: given } : await this.pickChoice(capabilities, homeserver);
    if (!choice) return undefined;
    const { mode } = choice;
    const signUp = args.signUp === true || ('signUp' in choice && choice.signUp === true);
    const id = `ch-${randomUUID().slice(0, 8)}`;
    let userId = args.userId ?? (homeserver.startsWith('@') ? homeserver : undefined);
    let problem: string | undefined;
    for (;;) {
      const secrets = await this.secretsFor(mode, args, userId, problem);
      if (!secrets) return undefined;
      const config: ChannelConfig = {
        ...NEW_CHANNEL_DEFAULTS,
        roomAllowlist: [],
        userAllowlist: [],
        id,
        homeserver,
        authMode: mode,
        ...(secrets.userId ? { userId: secrets.userId } : {}),
      };
      // Credentials the person typed are asked for again when refused, instead of announced as a failure.
      const typed = mode !== 'oidc' && args.password === undefined && args.accessToken === undefined;
      try {
        return await this.ui.run(config, secrets.secrets, {
          ...(signUp ? { signUp: true } : {}),
          ...(typed ? { quietFailures: ['invalid_credentials'] as const } : {}),
        });
      } catch (error) {
        // Other failures are announced by the auth notifications (with "Try Again" and "Show Log").
        if (!typed || !isMatrixChannelError(error, 'invalid_credentials')) return undefined;
        problem = error.message;
        userId = secrets.userId;
      }
    }
  }

  /**
   * The homeserver to sign in to, looked up. Typed by the person: checked as they type, and a lookup that fails
   * opens the box again with their text and the reason. Given by automation: a failure is an error.
   */
  private async lookUp(given?: string): Promise<{ homeserver: string; capabilities: AuthCapabilities } | undefined> {
    const engine = await this.engine();
    const discover = (homeserver: string) =>
      vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t({
            message: 'Looking up {0}…',
            args: [homeserver],
            comment: ['{0} is the homeserver as the person typed it'],
          }),
        },
        () => engine.discover(homeserver),
      );
    if (given !== undefined) {
      if (!given.trim()) return undefined;
      return { homeserver: given.trim(), capabilities: (await discover(given.trim())).capabilities };
    }
    let failed: { text: string; reason: string } | undefined;
    for (;;) {
      const typed = await askText({
        title: vscode.l10n.t('Sign in to Matrix'),
        prompt: vscode.l10n.t('Homeserver URL, server name or Matrix ID'),
        placeHolder: vscode.l10n.t('matrix.org, https://matrix.example.org or @you:example.org'),
        ...(failed
          ? {
              value: failed.text,
              // A warning: the same text may work a moment later.
              problem: { message: failed.reason, severity: vscode.InputBoxValidationSeverity.Warning },
            }
          : {}),
        validate: (text) => (text.trim() ? homeserverInputProblem(text) : undefined),
      });
      if (!typed?.trim()) return undefined;
      try {
        return { homeserver: typed.trim(), capabilities: (await discover(typed.trim())).capabilities };
      } catch (error) {
        if (!isMatrixChannelError(error) || error.kind === 'cancelled') throw error;
        failed = { text: typed, reason: forNotification(error.message, LONG_MAX) };
      }
    }
  }

  /** Signing in again keeps the account's configuration and device. */
  private async again(account: AccountView): Promise<AccountView | undefined> {
    const mode = account.config.authMode ?? 'oidc';
    const secrets = await this.secretsFor(mode, {}, account.userId);
    return secrets ? this.ui.run(account.config, secrets.secrets).catch(() => undefined) : undefined;
  }

  private async pickChoice(capabilities: AuthCapabilities, server: string): Promise<SignInChoice | undefined> {
    const choices = signInChoices(capabilities);
    const taken = choiceWithoutAsking(choices);
    if (taken) return taken;
    const items = choices.map((choice) => ({ ...choiceLabel(choice, server), choice }));
    return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('How do you want to sign in?') }))?.choice;
  }

  /** The secrets for `mode`, asked for unless given; `problem` says why the last ones were refused. */
  private async secretsFor(
    mode: AuthMode,
    args: SignInArgs,
    knownUserId?: string,
    problem?: string,
  ): Promise<{ secrets: ChannelSecrets; userId?: string } | undefined> {
    if (mode === 'oidc') return { secrets: {}, ...(knownUserId ? { userId: knownUserId } : {}) };
    const refused = problem
      ? { problem: { message: problem, severity: vscode.InputBoxValidationSeverity.Warning } }
      : {};
    if (mode === 'access_token') {
      const accessToken =
        args.accessToken ?? (await askText({ title: vscode.l10n.t('Access token'), password: true, ...refused }));
      return accessToken ? { secrets: { accessToken }, ...(knownUserId ? { userId: knownUserId } : {}) } : undefined;
    }
    const userId =
      args.userId ??
      (await askText({
        title: vscode.l10n.t('Matrix ID'),
        placeHolder: vscode.l10n.t('@you:example.org'),
        ...(knownUserId ? { value: knownUserId } : {}),
        ...refused,
        validate: userIdProblem,
      }));
    if (!userId) return undefined;
    const password =
      args.password ??
      (await askText({
        title: vscode.l10n.t({
          message: 'Password for {0}',
          args: [userId],
          comment: ['{0} is a Matrix ID, such as @alice:example.org'],
        }),
        password: true,
      }));
    return password ? { secrets: { password }, userId } : undefined;
  }
}

/** Why the typed homeserver cannot be looked up (its form), or undefined when it can. */
function homeserverInputProblem(text: string): string | undefined {
  try {
    parseHomeserverInput(text);
    return undefined;
  } catch (error) {
    return isMatrixChannelError(error) ? error.reason : undefined;
  }
}

/** Why the typed text is not a Matrix user ID, or undefined when it is one. */
function userIdProblem(text: string): string | undefined {
  if (!text) return undefined;
  try {
    if (parseHomeserverInput(text).kind === 'mxid') return undefined;
  } catch (error) {
    if (isMatrixChannelError(error)) return error.reason;
  }
  return vscode.l10n.t('A Matrix ID looks like @name:server.');
}

/** What the person reads for each way to sign in. */
function choiceLabel(choice: SignInChoice, server: string): { label: string; description?: string } {
  switch (choice.id) {
    case 'browser':
      return { label: vscode.l10n.t('Sign in with the browser'), description: vscode.l10n.t('OAuth 2.0, recommended') };
    case 'sign_up':
      return {
        label: vscode.l10n.t('Create an account'),
        description: vscode.l10n.t({
          message: 'a new account on {0}, in the browser',
          args: [server],
          comment: ['{0} is the homeserver as the person typed it'],
        }),
      };
    case 'password':
      return { label: vscode.l10n.t('Password') };
    case 'access_token':
      return { label: vscode.l10n.t('Access token'), description: vscode.l10n.t('from another client') };
  }
}
