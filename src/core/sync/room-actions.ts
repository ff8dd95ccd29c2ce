/**
 * What a person does in a room of a live channel: send text (encrypted in an encrypted room), mark
 * the room read, answer an invite. Both go straight to the client-server API (room-requests.ts); the SDK's rooms only tell what is
 * known already (the room's state, its newest event).
 */
import type { ChannelCrypto } from '../crypto/channel-crypto.ts';
import { MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';
import { loadSdk, type MatrixClient } from '../matrix/sdk.ts';
import {
  joinRoom,
  recentMessageEvents,
  latestEventId,
  leaveRoom,
  encryptedAtServer,
  redactEvent,
  sendRoomMessage,
  setReadMarkers,
  type RecentMessage,
  type RoomRequester,
} from './room-requests.ts';
import { threadRelation } from '../timeline/thread-history.ts';
import { openRoomFeed, type RoomFeed } from './room-feed.ts';
import { ensureRoom } from './sdk-rooms.ts';
import type { SendOptions } from './types.ts';

type Room = import('matrix-js-sdk').Room;

export interface RoomActionsOptions {
  /** The connected client; throws when there is none. */
  client(): MatrixClient;
  requester(): RoomRequester;
  /** Fills in the state of a room the SDK met without it. */
  loadState(room: Room): Promise<void>;
  /** The account's encryption, when it runs. */
  crypto(): ChannelCrypto | undefined;
  /** Our read receipt moved to the room's newest event. */
  markedRead(roomId: string): void;
  now(): number;
}

export class RoomActions {
  private txnCounter = 0;

  constructor(private readonly options: RoomActionsOptions) {}

  /**
   * Whether a room is end-to-end encrypted. The SDK's state of a room can lag behind the server's (a room met
   * in a sync taken while it was being created has its first events only), so "not encrypted" is the server's
   * word; when the server cannot say, this throws rather than let a message go out in clear.
   */
  async isEncrypted(roomId: string): Promise<boolean> {
    const room = this.options.client().getRoom(roomId);
    if (room) {
      await this.options.loadState(room);
      if (room.hasEncryptionStateEvent()) return true;
    }
    return encryptedAtServer(this.options.requester(), roomId);
  }

  /** Sends text, encrypted in an encrypted room (where nothing goes out in clear, ever: no crypto, no send). */
  sendText(roomId: string, text: string, options: SendOptions = {}): Promise<{ eventId: string }> {
    const content: Record<string, unknown> = { msgtype: 'm.text', body: text };
    if (options.html !== undefined)
      Object.assign(content, { format: 'org.matrix.custom.html', formatted_body: options.html });
    if (options.thread)
      content['m.relates_to'] = threadRelation(options.thread.rootId, options.thread.latest, options.replyTo);
    else if (options.replyTo) content['m.relates_to'] = { 'm.in_reply_to': { event_id: options.replyTo } };
    return this.send(roomId, 'm.room.message', content);
  }

  /** Replaces the text of a message of ours (`m.replace`); clients without edits show "* text". */
  edit(roomId: string, eventId: string, text: string, html?: string): Promise<{ eventId: string }> {
    const formatted = (prefix: string) =>
      html === undefined ? {} : { format: 'org.matrix.custom.html', formatted_body: `${prefix}${html}` };
    return this.send(roomId, 'm.room.message', {
      msgtype: 'm.text',
      body: `* ${text}`,
      ...formatted('* '),
      'm.new_content': { msgtype: 'm.text', body: text, ...formatted('') },
      'm.relates_to': { rel_type: 'm.replace', event_id: eventId },
    });
  }

  /** Reacts to a message with `key` (an emoji), encrypted in an encrypted room as messages are. */
  react(roomId: string, eventId: string, key: string): Promise<{ eventId: string }> {
    return this.send(roomId, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: eventId, key } });
  }

  /** Deletes an event of the room (a message of ours, or our reaction). */
  redact(roomId: string, eventId: string): Promise<void> {
    return redactEvent(this.options.requester(), roomId, eventId, this.nextTxn());
  }

  private nextTxn(): string {
    return `mc${this.options.now().toString(36)}${(this.txnCounter++).toString(36)}`;
  }

  private async send(
    roomId: string,
    type: 'm.room.message' | 'm.reaction',
    content: Record<string, unknown>,
  ): Promise<{ eventId: string }> {
    const client = this.options.client();
    const txn = this.nextTxn();
    if (!(await this.isEncrypted(roomId))) return sendRoomMessage(this.options.requester(), roomId, content, txn, type);
    const crypto = this.options.crypto();
    if (!crypto) {
      throw new MatrixChannelError(
        'encrypted_room',
        l10n.t(
          'This room is end-to-end encrypted, and encryption is not available for this account here, so nothing was sent.',
        ),
      );
    }
    const room = await ensureRoom(client, roomId);
    await this.options.loadState(room);
    const encrypted = await crypto.encrypt(room, content, type);
    return sendRoomMessage(this.options.requester(), roomId, encrypted, txn, 'm.room.encrypted');
  }

  /** The latest messages of a room, oldest first, with the senders' display names where the room knows them. */
  async recentMessages(roomId: string, limit: number): Promise<Array<RecentMessage & { senderName?: string }>> {
    const client = this.options.client();
    const events = await recentMessageEvents(this.options.requester(), roomId, limit);
    const room = client.getRoom(roomId);
    const read = await Promise.all(events.reverse().map((event) => this.decrypted(client, event)));
    return read.map((event) => {
      const name = room?.getMember(event.sender)?.name;
      return name && name !== event.sender ? { ...event, senderName: name } : event;
    });
  }

  /** One room's history and new events, for a room view (dispose it when the view closes). */
  async roomFeed(roomId: string): Promise<RoomFeed> {
    const client = this.options.client();
    return openRoomFeed(client, await loadSdk(), this.options.requester(), roomId, {
      send: (text, options) => this.sendText(roomId, text, options),
      edit: (eventId, text, html) => this.edit(roomId, eventId, text, html),
      react: (eventId, key) => this.react(roomId, eventId, key),
      redact: (eventId) => this.redact(roomId, eventId),
    });
  }

  /** An encrypted message read through the account's encryption, when it runs and has the key. */
  private async decrypted(client: MatrixClient, message: RecentMessage): Promise<RecentMessage> {
    const { raw, ...rest } = message;
    if (!raw || !this.options.crypto()) return rest;
    const event = client.getEventMapper()(raw);
    await client.decryptEventIfNeeded(event);
    const body: unknown = event.getContent()['body'];
    if (event.isDecryptionFailure() || event.getType() !== 'm.room.message' || typeof body !== 'string') return rest;
    return { ...rest, encrypted: false, body };
  }

  /** Answers an invite the person was asked about: join the room, or decline. */
  async answerInvite(roomId: string, accept: boolean): Promise<void> {
    const requester = this.options.requester();
    await (accept ? joinRoom(requester, roomId) : leaveRoom(requester, roomId));
  }

  /** Sends a read receipt for the room's newest event; the unread count drops to zero at once. */
  async markRead(roomId: string): Promise<void> {
    const live = this.options.client().getRoom(roomId)?.getLiveTimeline().getEvents() ?? [];
    const newest = [...live]
      .reverse()
      .find((event) => event.getId() && !event.getId()!.startsWith('~'))
      ?.getId();
    const requester = this.options.requester();
    const eventId = newest ?? (await latestEventId(requester, roomId));
    if (!eventId) return;
    await setReadMarkers(requester, roomId, eventId);
    this.options.markedRead(roomId);
  }
}
