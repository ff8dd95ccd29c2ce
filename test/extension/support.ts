/**
 * Small helpers every extension-host suite uses: the extension's API, settings, polling, the current token.
 */
import * as vscode from 'vscode';
import type { MatrixChannelsApi } from '../../src/vscode/api.ts';
import type { MatrixApi } from '../bed/matrix.ts';
import { workbenchNotifications } from './harness.ts';

export const EXTENSION_ID = 'matrix-channels.matrix-channels';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Accounts the root hook between suites leaves signed in (those handed to the reload). */
export const keptAcrossSuites = new Set<string>();

export async function api(): Promise<MatrixChannelsApi> {
  return (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as MatrixChannelsApi;
}

/**
 * Whether this run refreshes the README's pictures (`npm run screenshots`: both themes, waiting until every
 * name shows as a person would see it); an ordinary test run takes them in the dark theme only, to stay quick.
 */
export const REFRESHING_PICTURES = process.env['MATRIX_SCREENSHOTS'] === '1';

/** The room views open in the editor (tabs of our webview type). */
export function roomViewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('matrixChannels.room'));
}

/** Closes every room view (a test's own, and any an earlier test left). */
export async function closeRoomViews(): Promise<void> {
  await vscode.window.tabGroups.close(roomViewTabs());
}

/** Changes fields of one `matrixChannels.channels` entry, as a person editing the settings does. */
export async function updateChannel(id: string, patch: Record<string, unknown>): Promise<void> {
  const entries = vscode.workspace.getConfiguration('matrixChannels').get<Array<Record<string, unknown>>>('channels');
  await setting(
    'channels',
    (entries ?? []).map((entry) => (entry['id'] === id ? { ...entry, ...patch } : entry)),
  );
}

/** Sets (or, with undefined, resets) a user setting. */
export async function setting(key: string, value: unknown, section = 'matrixChannels'): Promise<void> {
  await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global);
}

/** Polls until `probe` gives something truthy. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
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

/** The first notification (toast or in the center) whose message contains `text`, once there is one. */
export function notificationWith(text: string, timeoutMs = 30_000): Promise<string> {
  return until(
    `a notification with "${text}"`,
    async () => (await workbenchNotifications()).find((n) => n.includes(text)),
    timeoutMs,
  );
}

export interface ServerEvent {
  event_id: string;
  type: string;
  sender: string;
  content: Record<string, unknown>;
  redacts?: string;
}

/** The newest events of a room, as another user reads them at the server. */
export async function recentEvents(reader: MatrixApi, roomId: string): Promise<ServerEvent[]> {
  const { chunk } = await reader.request<{ chunk: ServerEvent[] }>(
    'GET',
    `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=20`,
  );
  return chunk;
}
