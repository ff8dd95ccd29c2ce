/** Sessions live only in VS Code's SecretStorage (OS keychain on desktop, encrypted storage in the browser). */
import type * as vscode from 'vscode';
import { accountIdOfKey } from '../core/session/session-store.ts';
import type { SecretStore } from '../core/session/session.ts';

export class SecretStorageStore implements SecretStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(key: string): Promise<string | undefined> {
    return this.secrets.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    await this.secrets.store(key, value);
  }

  async delete(key: string): Promise<void> {
    await this.secrets.delete(key);
  }

  /** Fires with the account whose session another window (or this one) changed. */
  onDidChangeSession(listener: (accountId: string) => void): vscode.Disposable {
    return this.secrets.onDidChange((event) => {
      const accountId = accountIdOfKey(event.key);
      if (accountId) listener(accountId);
    });
  }
}
