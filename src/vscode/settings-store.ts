/**
 * Channel configurations in the user's settings (`matrixChannels.channels`): no secret ever goes there.
 * Entries that do not validate are skipped with a log line rather than breaking the others.
 */
import * as vscode from 'vscode';
import type { ChannelConfigStore } from '../core/account/account-service.ts';
import { parseChannelConfig, type ChannelConfig } from '../core/channel/config.ts';
import type { Logger } from '../core/log.ts';

const SECTION = 'matrixChannels';
const KEY = 'channels';

export class SettingsChannelStore implements ChannelConfigStore {
  constructor(private readonly log: Logger) {}

  list(): ChannelConfig[] {
    const raw = vscode.workspace.getConfiguration(SECTION).get<unknown[]>(KEY) ?? [];
    const configs: ChannelConfig[] = [];
    for (const [index, entry] of raw.entries()) {
      const parsed = parseChannelConfig(entry);
      if (parsed.ok) configs.push(parsed.config);
      else this.log.warn(`settings: channel ${index + 1} is skipped: ${parsed.errors.map((e) => e.message).join(' ')}`);
    }
    return configs;
  }

  /** Replaces a channel where it stands (the tree keeps its order), or adds a new one at the end. */
  async upsert(config: ChannelConfig): Promise<void> {
    const entries = this.raw();
    const at = entries.findIndex((entry) => entry.id === config.id);
    if (at === -1) entries.push(stripUndefined(config));
    else entries[at] = stripUndefined(config);
    await this.write(entries);
  }

  async remove(id: string): Promise<void> {
    await this.write(this.raw().filter((entry) => entry.id !== id));
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SECTION}.${KEY}`)) listener();
    });
  }

  private raw(): Array<Record<string, unknown>> {
    const raw = vscode.workspace.getConfiguration(SECTION).get<unknown[]>(KEY) ?? [];
    return raw.filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null);
  }

  private async write(entries: unknown[]): Promise<void> {
    await vscode.workspace.getConfiguration(SECTION).update(KEY, entries, vscode.ConfigurationTarget.Global);
  }
}

function stripUndefined(config: ChannelConfig): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
}
