/**
 * A live channel's timeline events as messages: one through the message policy (and, when it passes, the
 * ChannelMessage it becomes), and the bounded memory of what was delivered, so nothing is notified twice.
 */
import type { ChannelConfig } from '../channel/config.ts';
import { mayStillDecrypt, undecryptableBody } from '../crypto/undecryptable.ts';
import { l10n } from '../l10n.ts';
import type { Logger } from '../log.ts';
import { decideMessage, isDirectRoom, mentionsUser, type MessageDecision } from '../policy/index.ts';
import { policyRoomOf } from './sdk-rooms.ts';
import { KeyWaits } from './key-waits.ts';
import type { ChannelMessage } from './types.ts';

type Room = import('matrix-js-sdk').Room;
type MatrixEvent = import('matrix-js-sdk').MatrixEvent;

/**
 * The body of an encrypted message on an account whose encryption is not running (made per message: the
 * person's language then).
 */
export function encryptedBody(): string {
  return l10n.t('Encrypted message: encryption is not running for this account.');
}

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
  // Decrypted: what was sent. Not decrypted: the encrypted event, which says little (no text, no mentions).
  const unreadable = event.getType() === 'm.room.encrypted';
  const type = unreadable ? event.getWireType() : event.getType();
  const content = unreadable ? event.getWireContent() : event.getContent();
  const decision = decideMessage({
    config: input.config,
    ownUserId: input.ownUserId,
    event: { sender, roomId: room.roomId, type, content, originServerTs: event.getTs() },
    room: policyRoom,
    startedAt: input.startedAt,
    senderMayNotifyRoom: room.currentState.mayTriggerNotifOfType('room', sender),
  });
  if (!decision.deliver) return decision;
  const encrypted = type === 'm.room.encrypted';
  const body: unknown = content['body'];
  const msgtype: unknown = content['msgtype'];
  const kind = msgtype === 'm.emote' ? 'emote' : msgtype === 'm.notice' ? 'notice' : undefined;
  const senderName = room.getMember(sender)?.name ?? event.sender?.name ?? sender;
  return {
    ...decision,
    message: {
      accountId: input.accountId,
      roomId: room.roomId,
      roomName: room.name || room.roomId,
      eventId: event.getId() ?? '',
      sender,
      senderName,
      body: encrypted
        ? event.isDecryptionFailure()
          ? undecryptableBody(event.decryptionFailureReason, senderName)
          : encryptedBody()
        : typeof body === 'string'
          ? body
          : '',
      encrypted,
      ...(kind && !encrypted ? { kind } : {}),
      isDirect: isDirectRoom(policyRoom),
      ...(mentionsUser(content, input.ownUserId, encrypted) ? { mentionsMe: true as const } : {}),
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

export interface MessageHandlerOptions {
  accountId: string;
  userId: string;
  /** Read on every event, so edited policies apply at once. */
  config: () => ChannelConfig;
  log: Logger;
  /** Fills in the state of a room the SDK met without it (the policy reads its name, aliases and members). */
  loadState(room: Room): Promise<void>;
  /** Whether `m.direct` lists the room. */
  isDirect(roomId: string): boolean;
  deliver(message: ChannelMessage): void;
  /** Decrypts an encrypted event, when the account runs encryption (resolves either way). */
  decrypt(event: MatrixEvent): Promise<void>;
  /** Runs a task in order with the other events' handling. */
  later(task: () => Promise<void>): void;
  /** How long a message whose key is on its way is held back before it is shown as unreadable (default 5 s). */
  keyWaitMs?: number;
}

/** A live channel's new timeline events through the message policy; each delivered event once. */
/** Drops that are no rule of the person's: nothing to explain in the log. */
const UNREMARKABLE = new Set([
  'not a message',
  'own message',
  'history before start',
  'event is from another room',
  'edit of an earlier message',
  'empty or redacted message',
]);

export class MessageHandler {
  private readonly delivered = new RecentEvents();
  /** Room and rule pairs already explained in the log. */
  private readonly explained = new Set<string>();

  constructor(private readonly options: MessageHandlerOptions) {}

  /** `historyBefore`: events older than this are history (0: every event is new). */
  async handle(event: MatrixEvent, room: Room, historyBefore: number): Promise<void> {
    const eventId = event.getId();
    if (!eventId || eventId.startsWith('~') || this.delivered.has(eventId)) return;
    const type = event.getWireType();
    if (type !== 'm.room.message' && type !== 'm.room.encrypted') return;
    // Only joined rooms have timelines in a sync (a room the SDK met through an incremental sync may not
    // know our membership yet, so it is not checked here).
    const membership = room.getMyMembership();
    if (membership === 'invite' || membership === 'ban') return;
    await this.options.loadState(room);
    if (type === 'm.room.encrypted') {
      await this.options.decrypt(event);
      if (event.isDecryptionFailure()) {
        this.keys.await(event, room, historyBefore);
        if (mayStillDecrypt(event.decryptionFailureReason)) return;
      }
    }
    this.judgeAndDeliver(event, room, historyBefore, eventId);
  }

  /** Stops waiting for keys (the channel stopped). */
  dispose(): void {
    this.keys.dispose();
  }

  /** `key`: what the delivery is remembered as (a message shown unreadable, then readable, is two). */
  private judgeAndDeliver(event: MatrixEvent, room: Room, historyBefore: number, key: string): void {
    const eventId = event.getId() ?? '';
    if (this.delivered.has(key)) return;
    const { accountId, config, log } = this.options;
    const judged = judgeMessage({
      accountId,
      ownUserId: this.options.userId,
      config: config(),
      event,
      room,
      inDirectRooms: this.options.isDirect(room.roomId),
      // After the first response everything is new to us, whatever the server's clock says.
      startedAt: historyBefore,
    });
    log.debug(
      `account ${accountId}: ${eventId} in ${room.roomId}: ${judged.deliver ? 'deliver' : 'drop'} (${judged.reason})`,
    );
    if (!judged.message) {
      this.explain(room.roomId, judged.reason);
      return;
    }
    this.delivered.add(key);
    this.options.deliver(judged.message);
  }

  /**
   * An event that did not decrypt: when its key arrives, it is judged again as what was sent. One whose key is
   * usually just behind it is held back a moment first; after that it is shown as unreadable, with why.
   */
  private readonly keys = new KeyWaits({
    decrypted: (event, room, historyBefore) =>
      this.options.later(() => {
        const eventId = event.getId() ?? '';
        // Shown as unreadable already: now shown as what it says.
        this.judgeAndDeliver(
          event,
          room,
          historyBefore,
          this.delivered.has(eventId) ? `${eventId}#decrypted` : eventId,
        );
        return Promise.resolve();
      }),
    gaveUp: (event, room, historyBefore) =>
      this.options.later(() => {
        this.judgeAndDeliver(event, room, historyBefore, event.getId() ?? '');
        return Promise.resolve();
      }),
    waitMs: () => this.options.keyWaitMs ?? 5_000,
  });

  /** Why a room's messages do not notify, said once per room and rule where a person reads the log. */
  private explain(roomId: string, reason: string): void {
    const key = `${roomId}\n${reason}`;
    if (UNREMARKABLE.has(reason) || this.explained.has(key)) return;
    this.explained.add(key);
    this.options.log.info(
      `account ${this.options.accountId}: messages in ${roomId} do not notify: ${reason} (the channel's settings decide this)`,
    );
  }
}
