/**
 * `vscode.authentication.getSession('matrix', …)` for other extensions: one session per connected account,
 * its access token kept fresh by the account's managed session.
 */
import * as vscode from 'vscode';
import type { AccountService, AccountView } from '../core/account/account-service.ts';
import { hasSession } from '../core/account/state.ts';
import { SESSION_SCOPES } from './accounts-menu.ts';

export class MatrixAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private known = new Map<string, vscode.AuthenticationSession>();
  private readonly subscription: { dispose(): void };

  /**
   * @param signIn signs in anew (no argument), an account of ours again, or a Matrix ID the caller asked for
   */
  constructor(
    private readonly accounts: AccountService,
    private readonly signIn: (target?: AccountView | string) => Promise<AccountView | undefined>,
  ) {
    this.subscription = accounts.onDidChange(() => this.announce());
  }

  getSessions(
    _scopes: readonly string[] | undefined,
    options: vscode.AuthenticationProviderSessionOptions = {},
  ): Promise<vscode.AuthenticationSession[]> {
    const wanted = options.account?.id;
    return Promise.resolve(this.current().filter((session) => !wanted || session.account.id === wanted));
  }

  /** With `options.account`: that Matrix ID (our account of that ID again, or a new one), else whoever signs in. */
  async createSession(
    _scopes: readonly string[],
    options: vscode.AuthenticationProviderSessionOptions = {},
  ): Promise<vscode.AuthenticationSession> {
    const wanted = options.account?.id;
    const ours = wanted ? this.accounts.accounts().find((account) => account.userId === wanted) : undefined;
    const account = await this.signIn(ours ?? wanted);
    const session = account && this.toSession(account);
    // The cancellation VS Code knows: no error shown when the person closed the sign-in.
    if (!session) throw new vscode.CancellationError();
    return session;
  }

  async removeSession(sessionId: string): Promise<void> {
    await this.accounts.signOut(sessionId);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }

  private current(): vscode.AuthenticationSession[] {
    return this.accounts.accounts().flatMap((account) => this.toSession(account) ?? []);
  }

  private toSession(account: AccountView): vscode.AuthenticationSession | undefined {
    const managed = this.accounts.session(account.id);
    // Listed while the account has a session at all: a network blip (reconnecting) must not make it vanish and
    // come back for the extensions that use it.
    if (!managed || !hasSession(account.status.state) || !account.userId) return undefined;
    return {
      id: account.id,
      accessToken: managed.session.accessToken,
      account: { id: account.userId, label: account.userId },
      scopes: [...SESSION_SCOPES],
    };
  }

  private announce(): void {
    const next = new Map(this.current().map((s) => [s.id, s]));
    const added = [...next.values()].filter((s) => !this.known.has(s.id));
    const removed = [...this.known.values()].filter((s) => !next.has(s.id));
    const changed = [...next.values()].filter(
      (s) => this.known.has(s.id) && this.known.get(s.id)!.accessToken !== s.accessToken,
    );
    this.known = next;
    if (added.length || removed.length || changed.length) this.changed.fire({ added, removed, changed });
  }
}
