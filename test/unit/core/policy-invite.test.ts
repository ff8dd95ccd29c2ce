/** The invite policy (auto_join): DM invites by dm_policy, room invites by room_policy, then auto_join. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AutoJoin, Policy } from '../../../src/core/channel/config.ts';
import { decideInvite, type InvitePolicyInput, type PolicyInvite } from '../../../src/core/policy/index.ts';

const INVITER = '@friend:example.org';
const ROOM = '!room:example.org';

type ListState = 'empty' | 'matching' | 'other';
const USER_LISTS: Record<ListState, string[]> = {
  empty: [],
  matching: ['@*:example.org'],
  other: ['@someone:example.org'],
};
const ROOM_LISTS: Record<ListState, string[]> = {
  empty: [],
  matching: ['!ROOM:example.org'],
  other: ['!other:example.org'],
};

function input(config: Partial<InvitePolicyInput['config']>, invite: Partial<PolicyInvite> = {}): InvitePolicyInput {
  return {
    config: {
      dmPolicy: 'open',
      roomPolicy: 'open',
      autoJoin: 'always',
      roomAllowlist: [],
      userAllowlist: [],
      ...config,
    },
    invite: { roomId: ROOM, inviter: INVITER, isDirect: false, ...invite },
  };
}

/**
 * Each gate row: [policy, room list, user list, allowed, explicit, reason]. The expected outcome for every
 * auto_join mode follows from the row:
 *   always    → join when allowed, the gate's reason;
 *   allowlist → join only when explicit; an allowed but non-explicit invite says so;
 *   ask       → never join on its own; an allowed invite is asked about;
 *   off       → never join; an allowed invite says auto-join is off.
 */
type GateRow = [Policy, ListState, ListState, allowed: boolean, explicit: boolean, string];

function expected(
  autoJoin: AutoJoin,
  [, , , allowed, explicit, reason]: GateRow,
): { join: boolean; ask?: boolean; reason: string } {
  if (!allowed) return { join: false, reason };
  if (autoJoin === 'always') return { join: true, reason };
  if (autoJoin === 'ask') return { join: false, ask: true, reason: `${reason}: asking` };
  if (autoJoin === 'allowlist')
    return explicit
      ? { join: true, reason }
      : { join: false, reason: `${reason}, but auto-join needs an allowlist match` };
  return { join: false, reason: `${reason}, but auto-join is off` };
}

const AUTO_JOIN: AutoJoin[] = ['always', 'allowlist', 'ask', 'off'];

describe('decideInvite: DM invites (dm_policy × user allowlist × auto_join)', () => {
  const rows: GateRow[] = [
    ['open', 'empty', 'empty', true, false, 'DM invite (policy open)'],
    ['open', 'empty', 'matching', true, true, 'DM invite from an allowed user'],
    ['open', 'empty', 'other', true, false, 'DM invite (policy open)'],
    ['allowlist', 'empty', 'empty', false, false, 'DM invite: the user allowlist is empty'],
    ['allowlist', 'empty', 'matching', true, true, 'DM invite from an allowed user'],
    ['allowlist', 'empty', 'other', false, false, 'DM inviter not in the user allowlist'],
    ['disabled', 'empty', 'empty', false, false, 'DM invites disabled'],
    ['disabled', 'empty', 'matching', false, false, 'DM invites disabled'],
    ['disabled', 'empty', 'other', false, false, 'DM invites disabled'],
  ];
  for (const row of rows) {
    const [dmPolicy, , users] = row;
    for (const autoJoin of AUTO_JOIN) {
      it(`dm_policy ${dmPolicy}, user list ${users}, auto_join ${autoJoin}: ${expected(autoJoin, row).reason}`, () => {
        // The room settings never matter for a DM invite.
        for (const roomPolicy of ['open', 'allowlist', 'disabled'] as const) {
          for (const roomAllowlist of Object.values(ROOM_LISTS)) {
            const config = { dmPolicy, roomPolicy, autoJoin, roomAllowlist, userAllowlist: USER_LISTS[users] };
            assert.deepEqual(
              decideInvite(input(config, { isDirect: true })),
              expected(autoJoin, row),
              `room_policy ${roomPolicy}, ${roomAllowlist.join(' ')}`,
            );
          }
        }
      });
    }
  }
});

describe('decideInvite: room invites (room_policy × room allowlist × user allowlist × auto_join)', () => {
  const rows: GateRow[] = [
    ['open', 'empty', 'empty', true, false, 'room invite (policy open)'],
    ['open', 'empty', 'matching', true, true, 'room invite from an allowed user'],
    ['open', 'empty', 'other', true, false, 'room invite (policy open)'],
    ['open', 'matching', 'empty', true, true, 'room in the allowlist'],
    ['open', 'matching', 'matching', true, true, 'room in the allowlist'],
    ['open', 'matching', 'other', true, true, 'room in the allowlist'],
    ['open', 'other', 'empty', true, false, 'room invite (policy open)'],
    ['open', 'other', 'matching', true, true, 'room invite from an allowed user'],
    ['open', 'other', 'other', true, false, 'room invite (policy open)'],
    ['allowlist', 'empty', 'empty', false, false, 'room invite: both allowlists are empty'],
    ['allowlist', 'empty', 'matching', true, true, 'room invite from an allowed user'],
    ['allowlist', 'empty', 'other', false, false, 'neither room nor inviter in the allowlists'],
    ['allowlist', 'matching', 'empty', true, true, 'room in the allowlist'],
    ['allowlist', 'matching', 'matching', true, true, 'room in the allowlist'],
    ['allowlist', 'matching', 'other', true, true, 'room in the allowlist'],
    ['allowlist', 'other', 'empty', false, false, 'neither room nor inviter in the allowlists'],
    ['allowlist', 'other', 'matching', true, true, 'room invite from an allowed user'],
    ['allowlist', 'other', 'other', false, false, 'neither room nor inviter in the allowlists'],
    ['disabled', 'empty', 'empty', false, false, 'room invites disabled'],
    ['disabled', 'matching', 'matching', false, false, 'room invites disabled'],
    ['disabled', 'other', 'other', false, false, 'room invites disabled'],
  ];
  for (const row of rows) {
    const [roomPolicy, rooms, users] = row;
    for (const autoJoin of AUTO_JOIN) {
      it(`room_policy ${roomPolicy}, room list ${rooms}, user list ${users}, auto_join ${autoJoin}: ${expected(autoJoin, row).reason}`, () => {
        // dm_policy never matters for a room invite.
        for (const dmPolicy of ['open', 'allowlist', 'disabled'] as const) {
          const config = {
            dmPolicy,
            roomPolicy,
            autoJoin,
            roomAllowlist: ROOM_LISTS[rooms],
            userAllowlist: USER_LISTS[users],
          };
          assert.deepEqual(decideInvite(input(config)), expected(autoJoin, row), `dm_policy ${dmPolicy}`);
        }
      });
    }
  }
});

describe('decideInvite: details', () => {
  const rows: Array<[string, InvitePolicyInput, boolean, string]> = [
    [
      'a room allowed by an alias in the invite',
      input(
        { roomPolicy: 'allowlist', autoJoin: 'allowlist', roomAllowlist: ['#dev-*:example.org'] },
        { roomAliases: ['#DEV-team:example.org'] },
      ),
      true,
      'room in the allowlist',
    ],
    [
      'an alias entry when the invite carries no alias',
      input({ roomPolicy: 'allowlist', roomAllowlist: ['#dev-team:example.org'] }),
      false,
      'neither room nor inviter in the allowlists',
    ],
    [
      'an inviter cased differently',
      input({ roomPolicy: 'allowlist', userAllowlist: ['@FRIEND:example.org'] }),
      true,
      'room invite from an allowed user',
    ],
    [
      'a DM invite when only rooms are open',
      input({ dmPolicy: 'disabled', roomPolicy: 'open' }, { isDirect: true }),
      false,
      'DM invites disabled',
    ],
    [
      'a room invite when only DMs are open',
      input({ dmPolicy: 'open', roomPolicy: 'disabled' }),
      false,
      'room invites disabled',
    ],
    [
      'a DM invite with the room on the room allowlist (not a DM allowlist)',
      input({ dmPolicy: 'allowlist', roomAllowlist: [ROOM] }, { isDirect: true }),
      false,
      'DM invite: the user allowlist is empty',
    ],
    [
      'an inviter entry with a regex character class',
      input({ roomPolicy: 'allowlist', userAllowlist: ['@friend:example.or[g]'] }),
      false,
      'neither room nor inviter in the allowlists',
    ],
  ];
  for (const [name, invite, join, reason] of rows) {
    it(`${name}: ${join ? 'join' : 'no join'}, ${reason}`, () =>
      assert.deepEqual(decideInvite(invite), { join, reason }));
  }
});
