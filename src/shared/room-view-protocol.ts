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
}

/** A send finished: `failed` keeps the text in the composer with the reason. */
export interface SendResult {
  type: 'sendResult';
  id: number;
  failed?: string;
}

export type HostToRoomView = TimelineView | SendResult;

export type RoomViewMessage =
  | { type: 'ready' }
  | { type: 'loadOlder' }
  | { type: 'send'; id: number; text: string; replyTo?: string }
  | { type: 'edit'; id: number; eventId: string; text: string }
  | { type: 'delete'; eventId: string }
  | { type: 'react'; eventId: string; key: string }
  | { type: 'unreact'; reactionId: string };

/** The message, when it is one the view may send and every field is in bounds; otherwise undefined. */
export function parseRoomViewMessage(raw: unknown): RoomViewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const message = raw as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
    case 'loadOlder':
      return { type: message.type };
    case 'send': {
      const { id, text, replyTo } = message;
      if (!Number.isSafeInteger(id) || typeof text !== 'string' || text.trim() === '') return undefined;
      if (text.length > MAX_COMPOSED || (replyTo !== undefined && !isEventId(replyTo))) return undefined;
      return { type: 'send', id: id as number, text, ...(replyTo ? { replyTo: replyTo } : {}) };
    }
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

function isEventId(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('$') && value.length <= 255 && !/\s/.test(value);
}
