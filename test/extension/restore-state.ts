/**
 * Shared by the two halves of the reload test: test/extension/suite/restore.test.ts signs accounts in and
 * hands them over (`registerAfterReload`); test/extension/suite-after-reload/restore.test.ts, run by the harness
 * after reloading the workbench, checks that they came back without prompting.
 */
import * as vscode from 'vscode';
import type { MatrixChannelsApi } from '../../src/vscode/api.ts';

/** The name the hand-over is registered under. */
export const RESTORE_KEY = 'restore';

export interface RestoredAccount {
  id: string;
  userId: string;
}

/** What phase 1 hands to phase 2. */
export interface RestoreState {
  /** Signed in with a password on the classic homeserver. */
  password: RestoredAccount;
  /** Signed in through OAuth on the delegated homeserver, with 5-second access tokens. */
  oauth: RestoredAccount;
}

const EXTENSION_ID = 'matrix-channels.matrix-channels';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function api(): Promise<MatrixChannelsApi> {
  return (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as MatrixChannelsApi;
}

export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The access token an account's client uses right now. */
export async function accessTokenOf(accountId: string): Promise<string> {
  const client = await (await api()).client(accountId);
  return client.getAccessToken()!;
}
