/**
 * A live channel's two event handlers, wired to the channel and its client: new timeline events through the
 * message policy (decrypted first, where the account runs encryption), invites through the invite policy.
 */
import type { loadSdk, MatrixClient } from '../matrix/sdk.ts';
import { InviteHandler } from './invites.ts';
import { MessageHandler } from './messages.ts';
import { joinRoom, type RoomRequester } from './room-requests.ts';
import { watchClient, type ClientEvents } from './sdk-client.ts';
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
  /** Events older than this are history (read when the event arrives: the run's phase says). */
  history(): number;
  sync: ClientEvents['sync'];
  directRooms: ClientEvents['directRooms'];
}

export interface ChannelHandlers {
  invites: InviteHandler;
  messages: MessageHandler;
  /** Hands the client's sync states, new timeline events and invites to the channel and the handlers. */
  watch(client: MatrixClient, sdk: Awaited<ReturnType<typeof loadSdk>>): void;
}

export function eventHandlers(options: ChannelSyncOptions, ports: ChannelPorts): ChannelHandlers {
  const { accountId, config, log } = options;
  const { userId } = ports;
  const invites = new InviteHandler({
    accountId,
    userId,
    config,
    log,
    join: (roomId) => joinRoom(ports.requester(), roomId),
    report: (invite) => ports.invite(invite),
  });
  const messages = new MessageHandler({
    accountId,
    userId,
    config,
    log,
    loadState: (room) => ports.loadState(room),
    isDirect: (roomId) => ports.isDirect(roomId),
    deliver: (message) => ports.message(message),
    decrypt: (event) => ports.client()?.decryptEventIfNeeded(event) ?? Promise.resolve(),
    later: (task) => ports.later(task),
  });
  const watch = (client: MatrixClient, sdk: Awaited<ReturnType<typeof loadSdk>>) =>
    watchClient(client, sdk, {
      sync: ports.sync,
      timelineEvent: (event, room) => {
        const historyBefore = ports.history();
        ports.later(() => messages.handle(event, room, historyBefore));
      },
      invited: (room) => ports.later(() => invites.handle(room)),
      directRooms: ports.directRooms,
    });
  return { invites, messages, watch };
}
