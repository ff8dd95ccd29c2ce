/** Rooms the user muted (from a notification or the tree), per account, in globalState. */
import * as vscode from 'vscode';
import type { RoomSummary } from '../core/sync/room-list.ts';

const KEY = 'matrixChannels.mutedRooms';

export class MutedRooms implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /** Fires the account id whose muted rooms changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  isMuted(accountId: string, roomId: string): boolean {
    return this.all()[accountId]?.includes(roomId) ?? false;
  }

  /** Rooms with unread messages that are not muted: what the tree, the badge and the status bar count. */
  countUnread(accountId: string, rooms: readonly RoomSummary[]): number {
    return rooms.filter((room) => room.unread > 0 && !this.isMuted(accountId, room.roomId)).length;
  }

  async set(accountId: string, roomId: string, muted: boolean): Promise<void> {
    const all = this.all();
    const rooms = new Set(all[accountId] ?? []);
    if (muted) rooms.add(roomId);
    else rooms.delete(roomId);
    if (rooms.size) all[accountId] = [...rooms];
    else delete all[accountId];
    await this.state.update(KEY, all);
    this.changed.fire(accountId);
  }

  /** Forgets an account's muted rooms (the channel was removed). */
  async forget(accountId: string): Promise<void> {
    const all = this.all();
    if (!(accountId in all)) return;
    delete all[accountId];
    await this.state.update(KEY, all);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private all(): Record<string, string[]> {
    const stored = this.state.get<unknown>(KEY);
    if (typeof stored !== 'object' || stored === null) return {};
    const all: Record<string, string[]> = {};
    for (const [account, rooms] of Object.entries(stored)) {
      if (Array.isArray(rooms)) all[account] = rooms.filter((room): room is string => typeof room === 'string');
    }
    return all;
  }
}
