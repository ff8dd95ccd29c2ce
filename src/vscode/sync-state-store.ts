/**
 * The live channels' place between runs, in the extension's globalState: the sync token and the room list
 * (reference: src/core/sync/sync-state-store.ts). Not secrets, so not in SecretStorage; never in settings.
 */
import type * as vscode from 'vscode';
import type { RoomSummary } from '../core/sync/room-list.ts';
import type { SyncStateStore } from '../core/sync/sync-state-store.ts';

const TOKEN = 'matrixChannels.sync.token/';
const ROOMS = 'matrixChannels.sync.rooms/';

export class GlobalStateSyncStore implements SyncStateStore {
  constructor(private readonly state: vscode.Memento) {}

  get(accountId: string): string | undefined {
    const token = this.state.get<unknown>(TOKEN + accountId);
    return typeof token === 'string' ? token : undefined;
  }

  async set(accountId: string, token: string | undefined): Promise<void> {
    await this.state.update(TOKEN + accountId, token);
  }

  getRooms(accountId: string): readonly RoomSummary[] | undefined {
    const rooms = this.state.get<unknown>(ROOMS + accountId);
    return Array.isArray(rooms) ? (rooms as RoomSummary[]) : undefined;
  }

  async setRooms(accountId: string, rooms: readonly RoomSummary[] | undefined): Promise<void> {
    await this.state.update(ROOMS + accountId, rooms);
  }
}
