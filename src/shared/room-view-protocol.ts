/**
 * The one message protocol between the extension host and a room view webview, imported by both sides (free of
 * `vscode` and DOM imports). The host sends what the view shows; the view sends what the person did, and the
 * host checks every message it receives (`parseRoomViewMessage`) before acting on it.
 */
import type { TimelineItem } from '../core/timeline/timeline-item.ts';

export type { TimelineItem };

/** Longest message the composer sends (characters); the homeserver's event limit is 65 536 bytes in all. */
export const MAX_COMPOSED = 30_000;

/** What the view shows: the room, its window of messages, and who is who. */
export interface TimelineView {
  type: 'timeline';
  /** Which room: the page keeps it in its state, and a reload brings the view back from it. */
  room: { accountId: string; roomId: string };
  roomName: string;
  /** The account's user. */
  me: string;
  items: TimelineItem[];
  /** Display names by user ID (senders and the people replies quote). */
  names: Record<string, string>;
  /** There is history before the window (scrolling up loads it). */
  hasOlder: boolean;
  /** The first unread message when the view opened, for the "new" line. */
  unreadFrom?: string;
  /** Loading older messages is under way. */
  loadingOlder: boolean;
  /** Why the history could not be read (the view says so above the messages). */
  problem?: string;
  /** The thread shown instead of the room: its first message. */
  thread?: { rootId: string };
}

/**
 * A picture the page asked for (`key`: `event:` and the message's ID for an image's thumbnail, `avatar:` and a
 * user ID), as a data URI of a checked PNG, JPEG, GIF or WebP; or why it could not be shown.
 */
export interface MediaAnswer {
  type: 'media';
  key: string;
  dataUri?: string;
  failed?: string;
}

/** Text for the composer, put in where its cursor is (the editor's selection as a code block). */
export interface InsertText {
  type: 'insert';
  text: string;
}

/** A send finished: `failed` keeps the text in the composer with the reason. */
export interface SendResult {
  type: 'sendResult';
  id: number;
  failed?: string;
}

export type HostToRoomView = TimelineView | SendResult | MediaAnswer | InsertText;

export type RoomViewMessage =
  | { type: 'ready' }
  | { type: 'loadOlder' }
  | { type: 'send'; id: number; text: string; replyTo?: string; thread?: string }
  | { type: 'edit'; id: number; eventId: string; text: string }
  | { type: 'delete'; eventId: string }
  | { type: 'react'; eventId: string; key: string }
  | { type: 'unreact'; reactionId: string }
  /** The pictures: an image message's thumbnail, a person's avatar. */
  | { type: 'thumbnail'; eventId: string }
  | { type: 'avatar'; userId: string }
  /** A file or image of a message: opened in the editor, or saved where the person says. */
  | { type: 'openMedia'; eventId: string }
  | { type: 'saveMedia'; eventId: string }
  /** Asks for the editor's selection, as a code block for the composer. */
  | { type: 'insertSelection' }
  /** Shows a thread (by its first message) instead of the room, or the room again. */
  | { type: 'openThread'; eventId: string }
  | { type: 'closeThread' };

/** The message, when it is one the view may send and every field is in bounds; otherwise undefined. */
export function parseRoomViewMessage(raw: unknown): RoomViewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const message = raw as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
    case 'loadOlder':
    case 'insertSelection':
    case 'closeThread':
      return { type: message.type };
    case 'send': {
      const { id, text, replyTo, thread } = message;
      if (!Number.isSafeInteger(id) || typeof text !== 'string' || text.trim() === '') return undefined;
      if (text.length > MAX_COMPOSED || (replyTo !== undefined && !isEventId(replyTo))) return undefined;
      if (thread !== undefined && !isEventId(thread)) return undefined;
      return {
        type: 'send',
        id: id as number,
        text,
        ...(replyTo ? { replyTo: replyTo } : {}),
        ...(thread ? { thread } : {}),
      };
    }
    case 'thumbnail':
    case 'openMedia':
    case 'saveMedia':
    case 'openThread':
      return isEventId(message.eventId) ? { type: message.type, eventId: message.eventId } : undefined;
    case 'avatar':
      return isUserId(message.userId) ? { type: 'avatar', userId: message.userId } : undefined;
    case 'edit': {
      const { id, eventId, text } = message;
      if (!Number.isSafeInteger(id) || !isEventId(eventId)) return undefined;
      if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_COMPOSED) return undefined;
      return { type: 'edit', id: id as number, eventId, text };
    }
    case 'delete':
      return isEventId(message.eventId) ? { type: 'delete', eventId: message.eventId } : undefined;
    case 'react': {
      const { eventId, key } = message;
      if (!isEventId(eventId) || typeof key !== 'string' || key.length === 0 || key.length > 64) return undefined;
      return { type: 'react', eventId, key };
    }
    case 'unreact':
      return isEventId(message.reactionId) ? { type: 'unreact', reactionId: message.reactionId } : undefined;
    default:
      return undefined;
  }
}

function isUserId(value: unknown): value is string {
  return typeof value === 'string' && /^@[^\s:]+:\S+$/.test(value) && value.length <= 255;
}

function isEventId(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('$') && value.length <= 255 && !/\s/.test(value);
}
