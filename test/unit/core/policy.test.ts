/** The message policy: DM detection, dm/room policies, allowlists, mention modes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MentionMode, Policy } from '../../../src/core/channel/config.ts';
import {
  decideMessage,
  isDirectRoom,
  type MessagePolicyInput,
  type PolicyRoom,
} from '../../../src/core/policy/index.ts';

const ME = '@me:example.org';
const FRIEND = '@friend:example.org';
const ROOM = '!room:example.org';
const START = 1_700_000_000_000;
const POLICIES: Policy[] = ['open', 'allowlist', 'disabled'];
const MENTION_MODES: MentionMode[] = ['mention', 'always', 'none'];

/** Allowlist states against FRIEND in ROOM (aliases #dev-team:example.org, #alt:example.org). */
type ListState = 'empty' | 'matching' | 'other';
const LIST_STATES: ListState[] = ['empty', 'matching', 'other'];
const USER_LISTS: Record<ListState, string[]> = {
  empty: [],
  matching: ['@friend:example.org'],
  other: ['@someone:example.org'],
};
const ROOM_LISTS: Record<ListState, string[]> = {
  empty: [],
  matching: ['#dev-*:example.org'],
  other: ['!other:example.org'],
};

const DM: PolicyRoom = { roomId: ROOM, aliases: [], isDirect: true, memberCount: 2 };
const GROUP: PolicyRoom = {
  roomId: ROOM,
  aliases: ['#dev-team:example.org', '#alt:example.org'],
  isDirect: false,
  memberCount: 12,
  hasName: true,
};

const MENTIONED = { msgtype: 'm.text', body: 'look', 'm.mentions': { user_ids: [ME] } };
const UNMENTIONED = { msgtype: 'm.text', body: 'hello all', 'm.mentions': {} };

interface Overrides {
  config?: Partial<MessagePolicyInput['config']>;
  event?: Partial<MessagePolicyInput['event']>;
  room?: Partial<PolicyRoom>;
  senderMayNotifyRoom?: boolean;
}

/** A message from FRIEND in a group room, with every gate open unless overridden. */
function input(overrides: Overrides = {}): MessagePolicyInput {
  const result: MessagePolicyInput = {
    config: {
      dmPolicy: 'open',
      roomPolicy: 'open',
      mentionMode: 'always',
      roomAllowlist: [],
      userAllowlist: [],
      ...overrides.config,
    },
    ownUserId: ME,
    event: {
      sender: FRIEND,
      roomId: ROOM,
      type: 'm.room.message',
      content: UNMENTIONED,
      originServerTs: START + 1000,
      ...overrides.event,
    },
    room: { ...GROUP, ...overrides.room },
    startedAt: START,
  };
  if (overrides.senderMayNotifyRoom !== undefined) result.senderMayNotifyRoom = overrides.senderMayNotifyRoom;
  return result;
}

function expectDecision(overrides: Overrides, deliver: boolean, reason: string, context = ''): void {
  assert.deepEqual(decideMessage(input(overrides)), { deliver, reason }, context);
}

describe('decideMessage: DMs follow dm_policy and the user allowlist only', () => {
  const rows: Array<[Policy, ListState, boolean, string]> = [
    ['open', 'empty', true, 'DM (policy open)'],
    ['open', 'matching', true, 'DM (policy open)'],
    ['open', 'other', true, 'DM (policy open)'],
    ['allowlist', 'empty', false, 'DM: the user allowlist is empty'],
    ['allowlist', 'matching', true, 'DM from an allowed user'],
    ['allowlist', 'other', false, 'DM sender not in the user allowlist'],
    ['disabled', 'empty', false, 'DMs disabled'],
    ['disabled', 'matching', false, 'DMs disabled'],
    ['disabled', 'other', false, 'DMs disabled'],
  ];
  for (const [dmPolicy, users, deliver, reason] of rows) {
    it(`dm_policy ${dmPolicy}, user allowlist ${users}: ${reason} (whatever the room settings)`, () => {
      for (const roomPolicy of POLICIES) {
        for (const mentionMode of MENTION_MODES) {
          for (const rooms of LIST_STATES) {
            const config = {
              dmPolicy,
              roomPolicy,
              mentionMode,
              userAllowlist: USER_LISTS[users],
              roomAllowlist: ROOM_LISTS[rooms],
            };
            expectDecision(
              { config, room: DM },
              deliver,
              reason,
              `room_policy ${roomPolicy}, mention ${mentionMode}, room list ${rooms}`,
            );
          }
        }
      }
    });
  }
});

describe('decideMessage: rooms follow room_policy, then the user allowlist, then mention_mode', () => {
  // 'pass': the room and sender gates let the message through to mention_mode.
  const gates: Array<[Policy, rooms: ListState, users: ListState, string]> = [
    ['open', 'empty', 'empty', 'pass'],
    ['open', 'empty', 'matching', 'pass'],
    ['open', 'empty', 'other', 'sender not in the user allowlist'],
    ['open', 'matching', 'empty', 'pass'],
    ['open', 'matching', 'matching', 'pass'],
    ['open', 'matching', 'other', 'sender not in the user allowlist'],
    ['open', 'other', 'empty', 'pass'],
    ['open', 'other', 'matching', 'pass'],
    ['open', 'other', 'other', 'sender not in the user allowlist'],
    ['allowlist', 'empty', 'empty', 'room allowlist is empty'],
    ['allowlist', 'empty', 'matching', 'room allowlist is empty'],
    ['allowlist', 'empty', 'other', 'room allowlist is empty'],
    ['allowlist', 'matching', 'empty', 'pass'],
    ['allowlist', 'matching', 'matching', 'pass'],
    ['allowlist', 'matching', 'other', 'sender not in the user allowlist'],
    ['allowlist', 'other', 'empty', 'room not in the allowlist'],
    ['allowlist', 'other', 'matching', 'room not in the allowlist'],
    ['allowlist', 'other', 'other', 'room not in the allowlist'],
    ['disabled', 'empty', 'empty', 'rooms disabled'],
    ['disabled', 'empty', 'matching', 'rooms disabled'],
    ['disabled', 'empty', 'other', 'rooms disabled'],
    ['disabled', 'matching', 'empty', 'rooms disabled'],
    ['disabled', 'matching', 'matching', 'rooms disabled'],
    ['disabled', 'matching', 'other', 'rooms disabled'],
    ['disabled', 'other', 'empty', 'rooms disabled'],
    ['disabled', 'other', 'matching', 'rooms disabled'],
    ['disabled', 'other', 'other', 'rooms disabled'],
  ];
  const mentionOutcomes: Array<[MentionMode, mentioned: boolean, boolean, string]> = [
    ['always', true, true, 'room message (mention mode always)'],
    ['always', false, true, 'room message (mention mode always)'],
    ['none', true, false, 'room messages off (mention mode none)'],
    ['none', false, false, 'room messages off (mention mode none)'],
    ['mention', true, true, 'mentioned (m.mentions)'],
    ['mention', false, false, 'not mentioned'],
  ];
  for (const [roomPolicy, rooms, users, gate] of gates) {
    it(`room_policy ${roomPolicy}, room list ${rooms}, user list ${users}: ${gate}`, () => {
      for (const [mentionMode, mentioned, passDeliver, passReason] of mentionOutcomes) {
        for (const dmPolicy of POLICIES) {
          const config = {
            dmPolicy,
            roomPolicy,
            mentionMode,
            roomAllowlist: ROOM_LISTS[rooms],
            userAllowlist: USER_LISTS[users],
          };
          const event = { content: mentioned ? MENTIONED : UNMENTIONED };
          const [deliver, reason] = gate === 'pass' ? [passDeliver, passReason] : [false, gate];
          expectDecision(
            { config, event },
            deliver,
            reason,
            `mention ${mentionMode}, mentioned ${mentioned}, dm_policy ${dmPolicy}`,
          );
        }
      }
    });
  }
});

describe('decideMessage: DM detection', () => {
  const rows: Array<[Partial<PolicyRoom>, boolean]> = [
    [{ isDirect: true, memberCount: 5, hasName: true }, true],
    [{ isDirect: true, memberCount: undefined, hasName: undefined }, true],
    [{ isDirect: false, memberCount: 2, hasName: false }, true],
    [{ isDirect: false, memberCount: 2, hasName: true }, false],
    [{ isDirect: false, memberCount: 2, hasName: undefined }, false],
    [{ isDirect: false, memberCount: 3, hasName: false }, false],
    [{ isDirect: false, memberCount: 1, hasName: false }, false],
    [{ isDirect: false, memberCount: undefined, hasName: false }, false],
  ];
  for (const [room, direct] of rows) {
    it(`${JSON.stringify(room)} is ${direct ? 'a DM' : 'a room'}`, () => {
      assert.equal(isDirectRoom({ ...GROUP, ...room }), direct);
      const config = { dmPolicy: 'open' as const, roomPolicy: 'disabled' as const };
      expectDecision({ config, room }, direct, direct ? 'DM (policy open)' : 'rooms disabled');
    });
  }
});

describe('decideMessage: ignored events', () => {
  const rows: Array<[string, Overrides, string]> = [
    ['our own message', { event: { sender: ME } }, 'own message'],
    ['our own message, differently cased', { event: { sender: '@Me:EXAMPLE.org' } }, 'own message'],
    ['our own message in a DM', { event: { sender: ME }, room: DM }, 'own message'],
    ['history from before start', { event: { originServerTs: START - 1 } }, 'history before start'],
    ['an event without a usable timestamp', { event: { originServerTs: Number.NaN } }, 'history before start'],
    ['a state event', { event: { type: 'm.room.member', content: { membership: 'join' } } }, 'not a message'],
    ['a reaction', { event: { type: 'm.reaction', content: {} } }, 'not a message'],
    ['an event of another room', { event: { roomId: '!elsewhere:example.org' } }, 'event is from another room'],
    ['a redacted message', { event: { content: {} } }, 'empty or redacted message'],
    [
      'an edit',
      { event: { content: { ...MENTIONED, 'm.relates_to': { rel_type: 'm.replace', event_id: '$e' } } } },
      'edit of an earlier message',
    ],
    [
      'an encrypted edit (relations stay in cleartext)',
      {
        event: {
          type: 'm.room.encrypted',
          content: { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: 'x', 'm.relates_to': { rel_type: 'm.replace' } },
        },
      },
      'edit of an earlier message',
    ],
  ];
  for (const [name, overrides, reason] of rows) {
    it(`drops ${name}: ${reason}`, () => expectDecision(overrides, false, reason));
  }

  it('delivers an event sent exactly at start, and a reply (not an edit)', () => {
    expectDecision({ event: { originServerTs: START } }, true, 'room message (mention mode always)');
    const reply = { ...UNMENTIONED, 'm.relates_to': { 'm.in_reply_to': { event_id: '$e' } } };
    expectDecision({ event: { content: reply } }, true, 'room message (mention mode always)');
  });
});

describe('decideMessage: mentions (mention_mode mention, open room)', () => {
  const text = (body: unknown, extra: Record<string, unknown> = {}) => ({ msgtype: 'm.text', body, ...extra });
  const rows: Array<[string, Record<string, unknown>, boolean, string, boolean?]> = [
    ['m.mentions.user_ids has us', text('look', { 'm.mentions': { user_ids: [ME] } }), true, 'mentioned (m.mentions)'],
    [
      'm.mentions.user_ids has us, differently cased',
      text('x', { 'm.mentions': { user_ids: ['@ME:Example.ORG'] } }),
      true,
      'mentioned (m.mentions)',
    ],
    ['m.mentions.room', text('x', { 'm.mentions': { room: true } }), true, 'room mention (m.mentions)'],
    ['m.mentions.room not exactly true', text('x', { 'm.mentions': { room: 'true' } }), false, 'not mentioned'],
    ['m.mentions.user_ids not a list', text('x', { 'm.mentions': { user_ids: ME } }), false, 'not mentioned'],
    [
      'm.mentions of others, our MXID in the body',
      text(`cc ${ME}`, { 'm.mentions': { user_ids: ['@x:example.org'] } }),
      false,
      'not mentioned',
    ],
    ['empty m.mentions, @room in the body', text('@room deploy!', { 'm.mentions': {} }), false, 'not mentioned'],
    ['m.mentions null, our MXID in the body', text(`hi ${ME}`, { 'm.mentions': null }), false, 'not mentioned'],
    ['no m.mentions, our MXID in the body', text(`hey ${ME}, look`), true, 'mentioned in the body (no m.mentions)'],
    [
      'no m.mentions, our MXID cased differently',
      text('HEY @ME:EXAMPLE.ORG'),
      true,
      'mentioned in the body (no m.mentions)',
    ],
    ['no m.mentions, our MXID ending a sentence', text(`ask ${ME}.`), true, 'mentioned in the body (no m.mentions)'],
    ['no m.mentions, our MXID as the whole body', text(ME), true, 'mentioned in the body (no m.mentions)'],
    ['no m.mentions, a longer server name', text(`${ME}.uk`), false, 'not mentioned'],
    ['no m.mentions, our MXID with a port', text(`${ME}:8448`), false, 'not mentioned'],
    ['no m.mentions, our MXID glued to a word', text(`x${ME}`), false, 'not mentioned'],
    ['no m.mentions, the localpart without @', text('me:example.org'), false, 'not mentioned'],
    ['no m.mentions, @room', text('ping @room please'), true, '@room in the body (no m.mentions)'],
    ['no m.mentions, @Room', text('@Room: release'), true, '@room in the body (no m.mentions)'],
    ['no m.mentions, @roommate', text('hi @roommate'), false, 'not mentioned'],
    ['no m.mentions, nothing', text('hello'), false, 'not mentioned'],
    ['no m.mentions, body not text', text(42), false, 'not mentioned'],
    [
      'm.mentions.room without permission',
      text('x', { 'm.mentions': { room: true } }),
      false,
      'not mentioned (@room needs notification permission)',
      false,
    ],
    [
      '@room in the body without permission',
      text('@room'),
      false,
      'not mentioned (@room needs notification permission)',
      false,
    ],
    ['@room in the body with permission', text('@room'), true, '@room in the body (no m.mentions)', true],
    [
      'user mention, no @room permission needed',
      text('x', { 'm.mentions': { user_ids: [ME] } }),
      true,
      'mentioned (m.mentions)',
      false,
    ],
  ];
  for (const [name, content, deliver, reason, senderMayNotifyRoom] of rows) {
    it(`${name}: ${reason}`, () => {
      const overrides: Overrides = { config: { mentionMode: 'mention' }, event: { content } };
      if (senderMayNotifyRoom !== undefined) overrides.senderMayNotifyRoom = senderMayNotifyRoom;
      expectDecision(overrides, deliver, reason);
    });
  }
});

describe('decideMessage: encrypted events are decided like messages', () => {
  const encrypted = {
    type: 'm.room.encrypted',
    content: { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: 'AwgA…', session_id: 's' },
  };
  const rows: Array<[string, Overrides, boolean, string]> = [
    ['in an open DM', { room: DM }, true, 'DM (policy open)'],
    [
      'in a DM from an allowed user',
      { room: DM, config: { dmPolicy: 'allowlist', userAllowlist: [FRIEND] } },
      true,
      'DM from an allowed user',
    ],
    ['in a disabled DM', { room: DM, config: { dmPolicy: 'disabled' } }, false, 'DMs disabled'],
    ['in a room, mention mode always', {}, true, 'room message (mention mode always)'],
    [
      'in a room, mention mode mention',
      { config: { mentionMode: 'mention' } },
      false,
      'not mentioned (encrypted: mentions unreadable)',
    ],
    [
      'in a room, mention mode none',
      { config: { mentionMode: 'none' } },
      false,
      'room messages off (mention mode none)',
    ],
    [
      'in a room not on the allowlist',
      { config: { roomPolicy: 'allowlist', roomAllowlist: ['!x:example.org'] } },
      false,
      'room not in the allowlist',
    ],
  ];
  for (const [name, overrides, deliver, reason] of rows) {
    it(`${name}: ${reason}`, () => expectDecision({ ...overrides, event: encrypted }, deliver, reason));
  }
});

describe('decideMessage: allowlist matching', () => {
  const rows: Array<[string, Overrides, boolean, string]> = [
    [
      'user entry cased differently',
      { room: DM, config: { dmPolicy: 'allowlist', userAllowlist: ['@FRIEND:Example.ORG'] } },
      true,
      'DM from an allowed user',
    ],
    [
      'user glob on the server',
      { room: DM, config: { dmPolicy: 'allowlist', userAllowlist: ['@*:example.org'] } },
      true,
      'DM from an allowed user',
    ],
    [
      'user glob on another server',
      { room: DM, config: { dmPolicy: 'allowlist', userAllowlist: ['@*:example.com'] } },
      false,
      'DM sender not in the user allowlist',
    ],
    [
      'user glob *',
      { room: DM, config: { dmPolicy: 'allowlist', userAllowlist: ['*'] } },
      true,
      'DM from an allowed user',
    ],
    [
      'user entry with a regex metacharacter',
      { room: DM, config: { dmPolicy: 'allowlist', userAllowlist: ['@friend:example.or.'] } },
      false,
      'DM sender not in the user allowlist',
    ],
    [
      'room ID cased differently',
      { config: { roomPolicy: 'allowlist', roomAllowlist: ['!ROOM:example.org'] } },
      true,
      'room message (mention mode always)',
    ],
    [
      'the alt alias',
      { config: { roomPolicy: 'allowlist', roomAllowlist: ['#ALT:example.org'] } },
      true,
      'room message (mention mode always)',
    ],
    [
      'room glob *',
      { config: { roomPolicy: 'allowlist', roomAllowlist: ['*'] } },
      true,
      'room message (mention mode always)',
    ],
    [
      'room glob on the server',
      { config: { roomPolicy: 'allowlist', roomAllowlist: ['*:example.org'] } },
      true,
      'room message (mention mode always)',
    ],
    [
      'alias glob not matching',
      { config: { roomPolicy: 'allowlist', roomAllowlist: ['#ops-*:example.org'] } },
      false,
      'room not in the allowlist',
    ],
    [
      'alias of a room without aliases',
      { room: { aliases: [] }, config: { roomPolicy: 'allowlist', roomAllowlist: ['#dev-team:example.org'] } },
      false,
      'room not in the allowlist',
    ],
  ];
  for (const [name, overrides, deliver, reason] of rows) {
    it(`${name}: ${reason}`, () => expectDecision(overrides, deliver, reason));
  }
});
