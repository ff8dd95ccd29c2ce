/**
 * `vscode.authentication.getSession('matrix', …)` for other extensions: one session per connected account,
 * its access token kept fresh by the account's managed session.
 */
import * as vscode from 'vscode';
import type { AccountService, AccountView } from '../core/account/account-service.ts';

export const AUTH_PROVIDER_ID = 'matrix';

export class MatrixAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.changed.event;
  private known = new Map<string, vscode.AuthenticationSession>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly accounts: AccountService,
    private readonly signIn: () => Promise<AccountView | undefined>,
  ) {
    this.subscription = accounts.onDidChange(() => this.announce());
  }

  getSessions(): Promise<vscode.AuthenticationSession[]> {
    return Promise.resolve(this.current());
  }

  async createSession(): Promise<vscode.AuthenticationSession> {
    const account = await this.signIn();
    const session = account && this.toSession(account);
    if (!session) throw new Error(vscode.l10n.t('Signing in to Matrix was cancelled.'));
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
    if (!managed || account.status.state !== 'connected' || !account.userId) return undefined;
    return {
      id: account.id,
      accessToken: managed.session.accessToken,
      account: { id: account.userId, label: account.userId },
      scopes: [],
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
