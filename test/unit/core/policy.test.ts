/** The message policy: dm/room policies, allowlists and mention modes, and DM detection. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MentionMode, Policy } from '../../../src/core/channel/config.ts';
import { isDirectRoom, type PolicyRoom } from '../../../src/core/policy/index.ts';
import { DM, expectDecision, GROUP, MENTIONED, UNMENTIONED, type Overrides } from './policy-fixture.ts';

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
