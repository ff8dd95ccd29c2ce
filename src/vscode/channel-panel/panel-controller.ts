/**
 * The host side of one channel panel, free of the VS Code API so it can be tested in plain Node: every
 * message from the webview passes validateWebviewMessage first (a refused one is logged and changes
 * nothing), then discover / save / signIn / cancel are carried out against injected services. Disposing
 * it (the panel closed) aborts whatever is running — discovery, a browser sign-in — and drops its listener,
 * so a closed panel leaves no timer, listener or half-added account behind.
 */
import type { AccountView, ChannelConfigStore } from '../../core/account/account-service.ts';
import type { Discovery } from '../../core/auth/sign-in-engine.ts';
import { parseChannelConfig, type ChannelConfig, type ChannelSecrets } from '../../core/channel/config.ts';
import { MatrixChannelError } from '../../core/errors.ts';
import { l10n } from '../../core/l10n.ts';
import type { Logger } from '../../core/log.ts';
import type { AuthMode } from '../../core/session/session.ts';
import { emptyForm, formFromConfig } from '../../shared/channel-form.ts';
import type {
  ChannelForm,
  HostToWebview,
  PanelInfo,
  ProtocolError,
  RequestType,
  Requests,
  WebviewRequest,
} from '../../shared/webviewProtocol.ts';
import { saveChannel, type SaveOutcome } from './channel-save.ts';
import { discoveryFailureHint, discoveryHint } from './discovery-hint.ts';
import { validateWebviewMessage } from './validate-message.ts';

/** The slice of AccountService the panel uses. */
export interface PanelAccounts {
  account(id: string): AccountView | undefined;
  session(id: string): { session: { authMode: AuthMode } } | undefined;
  onDidChange(listener: () => void): { dispose(): void };
}

export interface PanelDeps {
  accounts: PanelAccounts;
  configs: Pick<ChannelConfigStore, 'list' | 'upsert'>;
  discover(homeserver: string, signal: AbortSignal): Promise<Discovery>;
  /** The extension's sign-in (progress, flows); undefined when cancelled; throws MatrixChannelError on failure. */
  signIn(config: ChannelConfig, secrets: ChannelSecrets, signal: AbortSignal): Promise<AccountView | undefined>;
  newChannelId(): string;
  /** Which of the account's joined rooms to allow, picked by the person; [] when cancelled. */
  pickRooms(accountId: string): Promise<string[]>;
  log: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
}

/** Where the controller's output goes (the webview panel). */
export interface PanelOutput {
  post(message: HostToWebview): void;
  setTitle(title: string): void;
}

/** `draft`: unsaved edits the panel was closed on, which the form starts from. */
export type PanelTarget = ({ mode: 'add' } | { mode: 'edit'; accountId: string }) & { draft?: ChannelForm };

interface Running {
  id: number;
  controller: AbortController;
}

export class ChannelPanelController {
  private mode: 'add' | 'edit';
  /** The channel's id: a fresh one while adding, kept for every attempt (each failed one leaves nothing). */
  private readonly channelId: string;
  private baseline: ChannelConfig | undefined;
  private discovery: Running | undefined;
  private operation: (Running & { type: 'save' | 'signIn' }) | undefined;
  private readonly subscription: { dispose(): void };
  private lastPanel = '';
  private disposed = false;
  /** The webview's unsaved edits, as it last reported them. */
  private draft: ChannelForm | undefined;
  private readonly reopenedWith: ChannelForm | undefined;

  constructor(
    private readonly deps: PanelDeps,
    private readonly output: PanelOutput,
    target: PanelTarget,
  ) {
    this.mode = target.mode;
    this.reopenedWith = target.draft;
    this.channelId = target.mode === 'edit' ? target.accountId : deps.newChannelId();
    if (target.mode === 'edit') this.baseline = this.savedConfig();
    this.subscription = deps.accounts.onDidChange(() => this.postPanel(false));
    output.setTitle(this.title());
  }

  /** Which channel the panel shows: `add` while adding, then (and when editing) the channel's id. */
  get key(): string {
    return this.mode === 'add' ? 'add' : this.channelId;
  }

  /** What the person typed and did not save (never a secret), for "Reopen" after closing the panel. */
  get unsaved(): { target: PanelTarget; draft: ChannelForm } | undefined {
    if (!this.draft) return undefined;
    const target: PanelTarget = this.mode === 'add' ? { mode: 'add' } : { mode: 'edit', accountId: this.channelId };
    return { target, draft: this.draft };
  }

  /** Handles one message from the webview (untrusted). */
  async receive(raw: unknown): Promise<void> {
    if (this.disposed) return;
    const checked = validateWebviewMessage(raw);
    if (!checked.ok) {
      this.deps.log.warn(`channel panel: refused a message from the webview: ${checked.reason}`);
      if (checked.requestId !== undefined) {
        this.fail(checked.requestId, {
          message: l10n.t('The panel sent a message the extension does not accept (see the Matrix log).'),
        });
      }
      return;
    }
    const message = checked.message;
    if (message.kind === 'notification') {
      switch (message.type) {
        case 'ready':
          return this.postPanel(true);
        case 'cancel':
          return this.cancel(message.params.requestId);
        case 'draft':
          this.draft = message.params.form;
          return;
        default:
          return unhandled(message);
      }
    }
    await this.request(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription.dispose();
    this.discovery?.controller.abort();
    this.operation?.controller.abort();
  }

  private async request(message: WebviewRequest): Promise<void> {
    switch (message.type) {
      case 'discover':
        return this.discover(message.id, message.params.homeserver);
      case 'save':
      case 'signIn':
        return this.save(message.id, message.type, message.params);
      case 'pickRooms':
        if (this.mode !== 'edit' || !this.deps.accounts.session(this.channelId))
          return this.fail(message.id, {
            message: l10n.t('Sign in first: the rooms to pick from are the ones you joined.'),
          });
        return this.answer(message.id, 'pickRooms', { roomIds: await this.deps.pickRooms(this.channelId) });
      default:
        return unhandled(message);
    }
  }

  private async discover(id: number, input: string): Promise<void> {
    // A newer question about the homeserver supersedes the older one (the user kept typing).
    this.discovery?.controller.abort();
    const homeserver = input.trim();
    const parsed = parseChannelConfig({ id: 'probe', homeserver });
    if (!parsed.ok) {
      const message = parsed.errors[0]?.message ?? l10n.t('Enter a homeserver.');
      return this.answer(id, 'discover', { verdict: 'invalid', message, offers: { oauth: false, password: false } });
    }
    const running = { id, controller: new AbortController() };
    this.discovery = running;
    try {
      const found = await this.deps.discover(homeserver, running.controller.signal);
      if (running.controller.signal.aborted) this.fail(id, { message: l10n.t('Superseded.'), cancelled: true });
      else this.answer(id, 'discover', discoveryHint(found));
    } catch (error) {
      if (running.controller.signal.aborted) this.fail(id, { message: l10n.t('Superseded.'), cancelled: true });
      else this.answer(id, 'discover', discoveryFailureHint(error));
    } finally {
      if (this.discovery === running) this.discovery = undefined;
    }
  }

  private async save(id: number, type: 'save' | 'signIn', params: Requests['save']['params']): Promise<void> {
    if (this.operation)
      return this.fail(id, { message: l10n.t('A save or sign-in is already running; wait for it or cancel it.') });
    const running = { id, type, controller: new AbortController() };
    this.operation = running;
    this.postPanel(false);
    let outcome: SaveOutcome;
    try {
      outcome = await saveChannel(
        {
          mode: this.mode,
          id: this.channelId,
          ...(this.baseline ? { baseline: this.baseline } : {}),
          form: params.form,
          secrets: params.secrets,
          signIn: type === 'signIn',
          signal: running.controller.signal,
        },
        { configs: this.deps.configs, signIn: (config, secrets, signal) => this.deps.signIn(config, secrets, signal) },
      );
    } catch (error) {
      this.operation = undefined;
      // MatrixChannelError messages are written for people and never carry secrets.
      if (!(error instanceof MatrixChannelError)) this.deps.log.error('channel panel: saving failed', error);
      return this.fail(id, {
        message:
          error instanceof MatrixChannelError
            ? error.message
            : l10n.t('Saving failed unexpectedly (see the Matrix log).'),
      });
    }
    this.operation = undefined;
    this.settle(id, outcome);
  }

  private settle(id: number, outcome: SaveOutcome): void {
    switch (outcome.kind) {
      case 'invalid':
        return this.fail(id, { message: l10n.t('Some fields need attention.'), fields: outcome.errors });
      case 'gone':
        return this.fail(id, { message: l10n.t('This channel was removed; there is nothing to save it to.') });
      case 'cancelled':
        return this.fail(id, {
          message:
            this.mode === 'add'
              ? l10n.t('Sign-in cancelled; nothing was added.')
              : l10n.t('Sign-in cancelled; nothing was changed.'),
          cancelled: true,
        });
      case 'unchanged':
        return this.answer(id, 'save', { panel: this.panel(), message: l10n.t('No changes to save.') });
      case 'saved':
        this.baseline = this.savedConfig() ?? outcome.config;
        this.deps.log.info(`channel ${this.channelId}: saved ${outcome.changed.join(', ')}`);
        this.output.setTitle(this.title());
        return this.answer(id, 'save', { panel: this.panel(), message: l10n.t('Saved.') });
      case 'signed_in': {
        const added = this.mode === 'add';
        this.mode = 'edit';
        this.baseline = this.savedConfig() ?? outcome.account.config;
        this.output.setTitle(this.title());
        const who = outcome.account.userId ?? outcome.account.config.homeserver;
        return this.answer(id, 'save', {
          panel: this.panel(),
          message: added
            ? l10n.t({
                message: 'Signed in as {0}. The channel is saved.',
                args: [who],
                comment: ["{0} is the account's Matrix ID, or its homeserver"],
              })
            : l10n.t({
                message: 'Signed in as {0}. Saved.',
                args: [who],
                comment: ["{0} is the account's Matrix ID, or its homeserver"],
              }),
        });
      }
    }
  }

  private cancel(requestId: number): void {
    if (this.operation?.id === requestId) this.operation.controller.abort();
    if (this.discovery?.id === requestId) this.discovery.controller.abort();
  }

  /** The saved configuration, its method filled in from the session when the entry never recorded one. */
  private savedConfig(): ChannelConfig | undefined {
    const config = this.deps.accounts.account(this.channelId)?.config;
    if (!config) return undefined;
    const sessionMode = this.deps.accounts.session(this.channelId)?.session.authMode;
    return config.authMode || !sessionMode ? config : { ...config, authMode: sessionMode };
  }

  private panel(): PanelInfo {
    const account = this.deps.accounts.account(this.channelId);
    const session = this.deps.accounts.session(this.channelId)?.session;
    const editing = this.mode === 'edit';
    return {
      mode: this.mode,
      ...(editing ? { accountId: this.channelId } : {}),
      baseline: this.baseline ? formFromConfig(this.baseline) : emptyForm(),
      stored: { session: Boolean(session), ...(session ? { authMode: session.authMode } : {}) },
      ...(account
        ? {
            account: {
              state: account.status.state,
              ...pick(account, 'userId', 'deviceId'),
              ...(account.status.reason ? { reason: account.status.reason } : {}),
            },
          }
        : {}),
      ...(editing && !account ? { removed: true } : {}),
      ...(this.operation ? { busy: { requestId: this.operation.id, type: this.operation.type } } : {}),
      ...(this.reopenedWith ? { draft: this.reopenedWith } : {}),
      ...(editing && session ? { canPickRooms: true } : {}),
    };
  }

  /**
   * Sends the panel when it changed (any account's change fires onDidChange); `force`: also when it did not,
   * because a new webview asked for it.
   */
  private postPanel(force: boolean): void {
    if (this.disposed) return;
    const panel = this.panel();
    const serialized = JSON.stringify(panel);
    if (!force && serialized === this.lastPanel) return;
    this.lastPanel = serialized;
    this.output.post({ kind: 'notification', type: 'panel', params: { panel } });
  }

  private answer<T extends RequestType>(id: number, _type: T, result: Requests[T]['result']): void {
    if (this.disposed) return;
    this.output.post({ kind: 'response', id, ok: true, result });
  }

  private fail(id: number, error: ProtocolError): void {
    if (this.disposed) return;
    this.output.post({ kind: 'response', id, ok: false, error });
  }

  /** The panel's title ("Matrix: Work"). */
  title(): string {
    if (this.mode === 'add') return l10n.t('Add Matrix Channel');
    const account = this.deps.accounts.account(this.channelId);
    const name = account ? (account.config.label ?? account.userId ?? account.config.homeserver) : this.channelId;
    return l10n.t({
      message: 'Matrix: {0}',
      args: [name],
      comment: ["A channel panel's title: {0} is the channel's label, Matrix ID or homeserver"],
    });
  }
}

/** A message the protocol defines with no case above does not compile (its type is not `never` here). */
function unhandled(message: never): never {
  throw new Error(`channel panel: no handler for ${JSON.stringify(message)}`);
}

function pick(account: AccountView, ...keys: Array<'userId' | 'deviceId'>): { userId?: string; deviceId?: string } {
  return Object.fromEntries(keys.filter((key) => account[key] !== undefined).map((key) => [key, account[key]]));
}
