/**
 * Which timeline events a channel delivers (dm_policy, room_policy, mention_mode and the allowlists). Pure: the caller gathers the room facts from its sync state and logs the returned reason.
 *
 * Order of the rules, first match wins:
 *  1. only `m.room.message` and `m.room.encrypted` events; never our own; never history from before start;
 *     never edits (the spec's `.m.rule.suppress_edits` push rule: an edit is not a new message);
 *  2. a DM (see isDirectRoom) is decided by dm_policy alone; mention_mode is for rooms only;
 *  3. a room must pass room_policy, then the user allowlist (when non-empty), then mention_mode.
 * Encrypted events are decided the same way; the caller shows them as "encrypted message". Their content is
 * ciphertext, so in rooms under mention_mode `mention` they are not delivered: a mention cannot be seen.
 */
import type { ChannelConfig } from '../channel/config.ts';
import { allowlistMatcher } from './glob.ts';

export type MessagePolicyConfig = Pick<
  ChannelConfig,
  'dmPolicy' | 'roomPolicy' | 'mentionMode' | 'roomAllowlist' | 'userAllowlist'
>;

export interface PolicyEvent {
  sender: string;
  roomId: string;
  type: string;
  /** As received: untrusted, read defensively. */
  content: Record<string, unknown>;
  originServerTs: number;
}

export interface PolicyRoom {
  roomId: string;
  /** The canonical alias and the alt aliases. */
  aliases: readonly string[];
  /** Listed in our `m.direct` account data. */
  isDirect: boolean;
  /** Joined (and invited) members, when known. */
  memberCount?: number;
  /** Whether the room has an `m.room.name`; only an explicit `false` lets a 2-member room count as a DM. */
  hasName?: boolean;
}

export interface MessagePolicyInput {
  config: MessagePolicyConfig;
  ownUserId: string;
  event: PolicyEvent;
  room: PolicyRoom;
  /** When this channel started (epoch ms); earlier events are history. */
  startedAt: number;
  /**
   * Whether the sender's power level reaches the room's `notifications.room` level (the spec gates `@room`
   * on it; matrix-js-sdk: `room.currentState.mayTriggerNotifOfType('room', sender)`). Absent: not checked.
   */
  senderMayNotifyRoom?: boolean;
}

export interface MessageDecision {
  deliver: boolean;
  /** Short and human, for the log. */
  reason: string;
}

const MESSAGE_TYPES = new Set(['m.room.message', 'm.room.encrypted']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameUser(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

const deliver = (reason: string): MessageDecision => ({ deliver: true, reason });
const drop = (reason: string): MessageDecision => ({ deliver: false, reason });

/** A DM: listed in `m.direct`, or a room of exactly two members that the caller says has no name. */
export function isDirectRoom(room: Pick<PolicyRoom, 'isDirect' | 'memberCount' | 'hasName'>): boolean {
  return room.isDirect || (room.memberCount === 2 && room.hasName === false);
}

export function decideMessage(input: MessagePolicyInput): MessageDecision {
  const { config, event, room } = input;
  const content = isObject(event.content) ? event.content : {};

  if (!MESSAGE_TYPES.has(event.type)) return drop('not a message');
  if (sameUser(event.sender, input.ownUserId)) return drop('own message');
  if (!(event.originServerTs >= input.startedAt)) return drop('history before start');
  if (event.roomId !== room.roomId) return drop('event is from another room');
  const relation = content['m.relates_to'];
  if (isObject(relation) && relation['rel_type'] === 'm.replace') return drop('edit of an earlier message');
  if (
    event.type === 'm.room.message' &&
    typeof content['body'] !== 'string' &&
    typeof content['msgtype'] !== 'string'
  ) {
    return drop('empty or redacted message');
  }

  const users = allowlistMatcher(config.userAllowlist);

  if (isDirectRoom(room)) {
    switch (config.dmPolicy) {
      case 'open':
        return deliver('DM (policy open)');
      case 'allowlist':
        if (users.size === 0) return drop('DM: the user allowlist is empty');
        return users.matches(event.sender)
          ? deliver('DM from an allowed user')
          : drop('DM sender not in the user allowlist');
      default:
        return drop('DMs disabled');
    }
  }

  switch (config.roomPolicy) {
    case 'open':
      break;
    case 'allowlist': {
      const rooms = allowlistMatcher(config.roomAllowlist);
      if (rooms.size === 0) return drop('room allowlist is empty');
      if (!rooms.matchesAny([room.roomId, ...room.aliases])) return drop('room not in the allowlist');
      break;
    }
    default:
      return drop('rooms disabled');
  }

  // Design choice: a non-empty user allowlist also restricts who is heard in rooms (under any room policy),
  // so "only these people" holds everywhere; an empty one does not restrict rooms (only DMs, which it denies).
  if (users.size > 0 && !users.matches(event.sender)) return drop('sender not in the user allowlist');

  switch (config.mentionMode) {
    case 'always':
      return deliver('room message (mention mode always)');
    case 'mention':
      return mentionDecision(
        content,
        input.ownUserId,
        input.senderMayNotifyRoom !== false,
        event.type === 'm.room.encrypted',
      );
    default:
      return drop('room messages off (mention mode none)');
  }
}

/**
 * Intentional mentions (MSC3952, spec v1.7): when the content has `m.mentions` (any value, even `{}`), it is
 * the sender client's complete statement of whom it mentions, and the body is NOT searched — a quoted reply
 * or a pasted MXID must not notify. Only content without `m.mentions` (legacy clients) falls back to the body:
 * our MXID, or `@room`, as a whole word. This mirrors Synapse, which skips the legacy body push rules whenever
 * `m.mentions` is present.
 */
function mentionDecision(
  content: Record<string, unknown>,
  ownUserId: string,
  mayNotifyRoom: boolean,
  encrypted: boolean,
): MessageDecision {
  const noRoomPermission = 'not mentioned (@room needs notification permission)';
  if (Object.hasOwn(content, 'm.mentions')) {
    const mentions = content['m.mentions'];
    if (!isObject(mentions)) return drop('not mentioned');
    if (mentionsUser(content, ownUserId, encrypted)) return deliver('mentioned (m.mentions)');
    if (mentions['room'] === true) return mayNotifyRoom ? deliver('room mention (m.mentions)') : drop(noRoomPermission);
    return drop('not mentioned');
  }
  if (encrypted) return drop('not mentioned (encrypted: mentions unreadable)');
  const body = typeof content['body'] === 'string' ? content['body'] : '';
  if (mentionsUser(content, ownUserId, encrypted)) return deliver('mentioned in the body (no m.mentions)');
  if (containsWord(body, '@room'))
    return mayNotifyRoom ? deliver('@room in the body (no m.mentions)') : drop(noRoomPermission);
  return drop('not mentioned');
}

/**
 * Whether a message mentions `ownUserId` by name (not `@room`), by the rule above: its `m.mentions` when it has
 * them, else our ID as a whole word of a readable body. For marking a message as a mention, whatever the mode.
 */
export function mentionsUser(content: Record<string, unknown>, ownUserId: string, encrypted: boolean): boolean {
  if (Object.hasOwn(content, 'm.mentions')) {
    const mentions = content['m.mentions'];
    const userIds = isObject(mentions) ? mentions['user_ids'] : undefined;
    return Array.isArray(userIds) && userIds.some((id) => typeof id === 'string' && sameUser(id, ownUserId));
  }
  if (encrypted) return false;
  return containsWord(typeof content['body'] === 'string' ? content['body'] : '', ownUserId);
}

/** Characters that would make a neighbouring match part of a longer ID or word. */
const WORD = /[\p{L}\p{N}_]/u;
const ID_INNER = /[-_.=/+:]/;

/**
 * Case-insensitive `needle` in `text`, not glued to a longer word or ID: `@alice:example.org` is found in
 * "hi @alice:example.org." but not in "@alice:example.org.uk", "x@alice:example.org" or "@roommate".
 */
function containsWord(text: string, needle: string): boolean {
  if (needle === '') return false;
  const haystack = text.toLowerCase();
  const target = needle.toLowerCase();
  for (let at = haystack.indexOf(target); at >= 0; at = haystack.indexOf(target, at + 1)) {
    const before = haystack.charAt(at - 1);
    const after = haystack.charAt(at + target.length);
    const afterNext = haystack.charAt(at + target.length + 1);
    const gluedBefore = before !== '' && (WORD.test(before) || ID_INNER.test(before));
    // A trailing '.', ':' or '-' ends a sentence or clause unless an ID character follows it.
    const gluedAfter =
      after !== '' && (WORD.test(after) || (ID_INNER.test(after) && afterNext !== '' && WORD.test(afterNext)));
    if (!gluedBefore && !gluedAfter) return true;
  }
  return false;
}
