import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { sessionKey } from '../../../src/core/session/session-store.ts';
import { SecretStorageStore } from '../../../src/vscode/secret-storage.ts';

/** SecretStorage as windows share it: one set of values, and every write reported to every listener. */
class SharedSecrets {
  readonly values = new Map<string, string>();
  private readonly listeners = new Set<(event: vscode.SecretStorageChangeEvent) => void>();

  /** One window's view: writes go to the shared values and are reported everywhere, its own included. */
  window(): vscode.SecretStorage {
    const fire = (key: string) => {
      for (const listener of this.listeners) listener({ key });
    };
    return {
      get: (key: string) => Promise.resolve(this.values.get(key)),
      store: (key: string, value: string) => {
        this.values.set(key, value);
        fire(key);
        return Promise.resolve();
      },
      delete: (key: string) => {
        this.values.delete(key);
        fire(key);
        return Promise.resolve();
      },
      onDidChange: (listener: (event: vscode.SecretStorageChangeEvent) => void) => {
        this.listeners.add(listener);
        return { dispose: () => this.listeners.delete(listener) };
      },
    };
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('SecretStorageStore', () => {
  it("reports another window's session changes, never this window's own", async () => {
    const shared = new SharedSecrets();
    const mine = new SecretStorageStore(shared.window());
    const theirs = new SecretStorageStore(shared.window());
    const seen: string[] = [];
    mine.onDidChangeSession((accountId) => seen.push(accountId));

    await mine.store(sessionKey('a1'), '{"v":1}');
    await mine.delete(sessionKey('a1'));
    await settle();
    assert.deepEqual(seen, [], 'own writes and deletes are not news');

    await theirs.store(sessionKey('a1'), '{"v":2}');
    await settle();
    assert.deepEqual(seen, ['a1'], 'a write by the other window is');
    await theirs.delete(sessionKey('a1'));
    await settle();
    assert.deepEqual(seen, ['a1', 'a1'], 'and so is its sign-out');
    await theirs.store('unrelated-key', 'x');
    await settle();
    assert.deepEqual(seen, ['a1', 'a1'], 'keys that are not sessions are ignored');
  });
});
