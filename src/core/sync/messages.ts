/**
 * A live channel's timeline events as messages: one through the message policy (and, when it passes, the
 * ChannelMessage it becomes), and the bounded memory of what was delivered, so nothing is notified twice.
 */
import type { ChannelConfig } from '../channel/config.ts';
import { decideMessage, isDirectRoom, type MessageDecision } from '../policy/index.ts';
import { policyRoomOf } from './sdk-rooms.ts';
import type { ChannelMessage } from './types.ts';

type Room = import('matrix-js-sdk').Room;
type MatrixEvent = import('matrix-js-sdk').MatrixEvent;

export const ENCRYPTED_BODY = 'encrypted message';

export interface MessageInput {
  accountId: string;
  ownUserId: string;
  config: ChannelConfig;
  /** A message event (`m.room.message` or `m.room.encrypted`) with a server-given ID. */
  event: MatrixEvent;
  /** Its room, with its state (the channel loads a cold room's state first). */
  room: Room;
  /** Whether `m.direct` lists the room. */
  inDirectRooms: boolean;
  /** Events older than this are history (0: everything is new). */
  startedAt: number;
}

/** The policy's decision on a message event, with the message to deliver when it passes. */
export function judgeMessage(input: MessageInput): MessageDecision & { message?: ChannelMessage } {
  const { event, room } = input;
  const policyRoom = policyRoomOf(room, input.inDirectRooms);
  const sender = event.getSender() ?? '';
  const type = event.getWireType();
  const decision = decideMessage({
    config: input.config,
    ownUserId: input.ownUserId,
    event: { sender, roomId: room.roomId, type, content: event.getWireContent(), originServerTs: event.getTs() },
    room: policyRoom,
    startedAt: input.startedAt,
    senderMayNotifyRoom: room.currentState.mayTriggerNotifOfType('room', sender),
  });
  if (!decision.deliver) return decision;
  const encrypted = type === 'm.room.encrypted';
  const body: unknown = event.getWireContent()['body'];
  return {
    ...decision,
    message: {
      accountId: input.accountId,
      roomId: room.roomId,
      roomName: room.name || room.roomId,
      eventId: event.getId() ?? '',
      sender,
      senderName: room.getMember(sender)?.name ?? event.sender?.name ?? sender,
      body: encrypted ? ENCRYPTED_BODY : typeof body === 'string' ? body : '',
      encrypted,
      isDirect: isDirectRoom(policyRoom),
      ts: event.getTs(),
    },
  };
}

/** The IDs of the last `limit` delivered events. */
export class RecentEvents {
  private readonly ids = new Set<string>();

  constructor(private readonly limit = 2_000) {}

  has(eventId: string): boolean {
    return this.ids.has(eventId);
  }

  add(eventId: string): void {
    this.ids.add(eventId);
    if (this.ids.size > this.limit) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }
}
