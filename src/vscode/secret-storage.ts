/** Sessions live only in VS Code's SecretStorage (OS keychain on desktop, encrypted storage in the browser). */
import type * as vscode from 'vscode';
import { accountIdOfKey } from '../core/session/session-store.ts';
import type { SecretStore } from '../core/session/session.ts';

export class SecretStorageStore implements SecretStore {
  /** What this window last wrote under each key (undefined: deleted), to tell its own changes from others'. */
  private readonly written = new Map<string, string | undefined>();

  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(key: string): Promise<string | undefined> {
    return this.secrets.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.written.set(key, value);
    await this.secrets.store(key, value);
  }

  async delete(key: string): Promise<void> {
    this.written.set(key, undefined);
    await this.secrets.delete(key);
  }

  /**
   * Fires with the account whose session another window changed. SecretStorage also reports this window's own
   * writes; those are left out (the window already acts on them), so a sign-in does not start its account twice.
   */
  onDidChangeSession(listener: (accountId: string) => void): vscode.Disposable {
    return this.secrets.onDidChange((event) => {
      const accountId = accountIdOfKey(event.key);
      if (accountId) void this.changedElsewhere(event.key).then((elsewhere) => elsewhere && listener(accountId));
    });
  }

  private async changedElsewhere(key: string): Promise<boolean> {
    if (!this.written.has(key)) return true;
    if ((await this.secrets.get(key)) === this.written.get(key)) return false;
    // Someone else wrote since: what we wrote last says nothing about the next change.
    this.written.delete(key);
    return true;
  }
}
