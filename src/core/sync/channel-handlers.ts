/**
 * A live channel's two event handlers, wired to the channel: new timeline events through the message policy
 * (decrypted first, where the account runs encryption), invites through the invite policy.
 */
import type { MatrixClient } from '../matrix/sdk.ts';
import { InviteHandler } from './invites.ts';
import { MessageHandler } from './messages.ts';
import { joinRoom, type RoomRequester } from './room-requests.ts';
import type { ChannelInvite, ChannelMessage } from './types.ts';
import type { ChannelSyncOptions } from './channel-sync.ts';

type Room = import('matrix-js-sdk').Room;

export interface ChannelPorts {
  userId: string;
  requester(): RoomRequester;
  loadState(room: Room): Promise<void>;
  isDirect(roomId: string): boolean;
  /** The running client, if any. */
  client(): MatrixClient | undefined;
  invite(invite: ChannelInvite): void;
  message(message: ChannelMessage): void;
  /** Runs a task in order with the other events' handling, while the channel runs. */
  later(task: () => Promise<void>): void;
}

export function eventHandlers(
  options: ChannelSyncOptions,
  ports: ChannelPorts,
): { invites: InviteHandler; messages: MessageHandler } {
  const { accountId, config, log } = options;
  const { userId } = ports;
  return {
    invites: new InviteHandler({
      accountId,
      userId,
      config,
      log,
      join: (roomId) => joinRoom(ports.requester(), roomId),
      report: (invite) => ports.invite(invite),
    }),
    messages: new MessageHandler({
      accountId,
      userId,
      config,
      log,
      loadState: (room) => ports.loadState(room),
      isDirect: (roomId) => ports.isDirect(roomId),
      deliver: (message) => ports.message(message),
      decrypt: (event) => ports.client()?.decryptEventIfNeeded(event) ?? Promise.resolve(),
      later: (task) => ports.later(task),
    }),
  };
}
