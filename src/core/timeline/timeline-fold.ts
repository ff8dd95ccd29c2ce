/**
 * Folds a room's events (oldest first) into the messages a room view shows: edits replace the text they edit,
 * reactions and thread replies are counted under the message they relate to, redactions leave "deleted", and a
 * reply knows the message it answers. Only relations whose target is among the events can be applied: a window
 * of history shows what it holds, and a relation to an older message waits until that message is loaded.
 * A thread's own view folds the same way, but shows the thread's root and replies as its messages, and nothing else.
 */
import { stripReplyFallback } from '../notify/notification-text.ts';
import { mentionsUser } from '../policy/message-policy.ts';
import type { ItemKind, MediaSummary, ReactionCount, RoomEvent, TimelineItem } from './timeline-item.ts';

export interface FoldOptions {
  /** The account's user. */
  me: string;
  /** Makes a formatted body safe to show (sanitize-html.ts); without it, formatted bodies are left out. */
  sanitize?: (html: string) => string;
  /**
   * The root of the thread a thread's view shows: its messages are then the root and the thread's replies
   * (counted nowhere, as nothing nests in them); the room's other messages and other threads are left out.
   */
  thread?: string;
}

interface Relation {
  relType?: string;
  eventId?: string;
  key?: string;
  replyTo?: string;
  /** A thread reply that quotes its predecessor only for clients without threads. */
  fallingBack: boolean;
}

const MEDIA_KINDS: Record<string, ItemKind> = {
  'm.image': 'image',
  'm.file': 'file',
  'm.audio': 'file',
  'm.video': 'file',
};
const TEXT_KINDS: Record<string, ItemKind> = { 'm.emote': 'emote', 'm.notice': 'notice' };

export function foldTimeline(events: readonly RoomEvent[], options: FoldOptions): TimelineItem[] {
  const redacted = new Set<string>();
  for (const event of events) {
    if (event.type === 'm.room.redaction') {
      const target = changedEventOf(event);
      if (target) redacted.add(target);
    }
    if (event.unsigned?.redacted_because) redacted.add(event.event_id);
  }
  const items = new Map<string, TimelineItem>();
  const edits = new Map<string, RoomEvent[]>();
  const reactions = new Map<string, Map<string, { senders: Set<string>; mine?: string }>>();
  const threads = new Map<string, number>();
  for (const event of events) {
    const relation = relationOf(event.content);
    const gone = redacted.has(event.event_id);
    if (event.type === 'm.reaction') {
      if (gone || relation.relType !== 'm.annotation' || !relation.eventId || !relation.key) continue;
      const byKey = reactions.get(relation.eventId) ?? new Map<string, { senders: Set<string>; mine?: string }>();
      reactions.set(relation.eventId, byKey);
      const entry = byKey.get(relation.key) ?? { senders: new Set<string>() };
      byKey.set(relation.key, entry);
      entry.senders.add(event.sender);
      if (event.sender === options.me) entry.mine = event.event_id;
      continue;
    }
    if (event.type !== 'm.room.message' && event.type !== 'm.room.encrypted') continue;
    if (relation.relType === 'm.replace' && relation.eventId) {
      if (!gone) edits.set(relation.eventId, [...(edits.get(relation.eventId) ?? []), event]);
      continue;
    }
    if (options.thread !== undefined) {
      const inThread =
        event.event_id === options.thread || (relation.relType === 'm.thread' && relation.eventId === options.thread);
      if (!inThread) continue;
    } else if (relation.relType === 'm.thread' && relation.eventId) {
      if (!gone) threads.set(relation.eventId, (threads.get(relation.eventId) ?? 0) + 1);
      continue;
    }
    items.set(event.event_id, itemOf(event, relation, gone, options));
  }
  for (const [target, candidates] of edits) {
    const item = items.get(target);
    // Only its sender edits a message; an edit of a deleted message stays deleted.
    if (!item || item.kind === 'deleted') continue;
    const edit = latest(candidates.filter((candidate) => candidate.sender === item.sender));
    const content = edit?.content['m.new_content'];
    if (!isObject(content)) continue;
    // The edit's content replaces the whole shown content: a formatted body it lacks is gone too.
    delete item.html;
    delete item.media;
    Object.assign(item, contentOf(content, false, options), { edited: true });
  }
  for (const item of items.values()) {
    item.threadReplies = threads.get(item.eventId) ?? 0;
    item.reactions = countsOf(reactions.get(item.eventId));
    if (item.replyTo) {
      const parent = items.get(item.replyTo.eventId);
      if (parent) item.replyTo = { eventId: parent.eventId, sender: parent.sender, body: parent.body };
    }
  }
  return [...items.values()];
}

function itemOf(event: RoomEvent, relation: Relation, gone: boolean, options: FoldOptions): TimelineItem {
  const base = {
    eventId: event.event_id,
    sender: event.sender,
    ts: event.origin_server_ts,
    edited: false,
    reactions: [],
    threadReplies: 0,
    mine: event.sender === options.me,
    ...(relation.replyTo && !relation.fallingBack ? { replyTo: { eventId: relation.replyTo } } : {}),
  };
  if (gone || Object.keys(event.content).length === 0) return { ...base, kind: 'deleted', body: '' };
  if (event.type === 'm.room.encrypted' || event.undecryptable !== undefined)
    return { ...base, kind: 'undecryptable', body: event.undecryptable ?? '' };
  // A thread reply falling back to a reply (not shown as one) may still quote, for clients without threads.
  const shown = { ...base, ...contentOf(event.content, Boolean(relation.replyTo), options) };
  // By the notifications' rule (m.mentions, else the account's ID in the text); one's own never count.
  return !base.mine && mentionsUser(event.content, options.me, false) ? { ...shown, mentionsMe: true } : shown;
}

/** The root of the thread an event is a reply in; undefined for an event of the main timeline. */
export function threadRootOf(event: RoomEvent): string | undefined {
  const relation = relationOf(event.content);
  return relation.relType === 'm.thread' ? relation.eventId : undefined;
}

/** The event that an edit, a reaction (any relation) or a redaction changes. */
export function changedEventOf(event: RoomEvent): string | undefined {
  if (event.type === 'm.room.redaction') return event.redacts ?? stringOf(event.content.redacts);
  return relationOf(event.content).eventId;
}

/** The shown part of a message's content (or of an edit's new content). */
function contentOf(
  content: Record<string, unknown>,
  isReply: boolean,
  options: FoldOptions,
): Pick<TimelineItem, 'kind' | 'body' | 'html' | 'media'> {
  const msgtype = stringOf(content.msgtype) ?? 'm.text';
  const raw = stringOf(content.body) ?? '';
  const body = isReply ? stripReplyFallback(raw) : raw;
  const mediaKind = MEDIA_KINDS[msgtype];
  // An encrypted room's media is an encrypted file, whose address is inside `file`.
  const url = stringOf(content.url) ?? (isObject(content.file) ? stringOf(content.file.url) : undefined);
  if (mediaKind && url) return { kind: mediaKind, body, media: mediaOf(mediaKind, url, body, content) };
  const formatted = content.format === 'org.matrix.custom.html' ? stringOf(content.formatted_body) : undefined;
  const html = formatted !== undefined && options.sanitize ? options.sanitize(formatted) : undefined;
  return { kind: TEXT_KINDS[msgtype] ?? 'text', body, ...(html !== undefined ? { html } : {}) };
}

/** What the view shows of an image or file: its name, type and size, and an image's dimensions. */
function mediaOf(kind: ItemKind, url: string, body: string, content: Record<string, unknown>): MediaSummary {
  const info = isObject(content.info) ? content.info : {};
  const number = (value: unknown) =>
    typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  const mimetype = stringOf(info.mimetype);
  const [size, width, height] = [number(info.size), number(info.w), number(info.h)];
  return {
    url,
    // A caption in `body` comes with the file's own name in `filename`.
    name: stringOf(content.filename) ?? body,
    ...(mimetype ? { mimetype } : {}),
    ...(size !== undefined ? { size } : {}),
    ...(width !== undefined && height !== undefined ? { width, height } : {}),
    ...(kind === 'image' ? { thumbnail: true } : {}),
  };
}

function relationOf(content: Record<string, unknown>): Relation {
  const relates = content['m.relates_to'];
  if (!isObject(relates)) return { fallingBack: false };
  const inReplyTo = relates['m.in_reply_to'];
  const replyTo = isObject(inReplyTo) ? stringOf(inReplyTo.event_id) : undefined;
  return {
    relType: stringOf(relates.rel_type),
    eventId: stringOf(relates.event_id),
    key: stringOf(relates.key),
    replyTo,
    fallingBack: relates.is_falling_back === true,
  };
}

function countsOf(byKey: Map<string, { senders: Set<string>; mine?: string }> | undefined): ReactionCount[] {
  if (!byKey) return [];
  return [...byKey].map(([key, { senders, mine }]) => ({ key, count: senders.size, ...(mine ? { mine } : {}) }));
}

/** The edit that wins: the latest by the server's clock (ties: the later one in the timeline). */
function latest(events: RoomEvent[]): RoomEvent | undefined {
  return events.reduce<RoomEvent | undefined>(
    (winner, next) => (winner && winner.origin_server_ts > next.origin_server_ts ? winner : next),
    undefined,
  );
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
