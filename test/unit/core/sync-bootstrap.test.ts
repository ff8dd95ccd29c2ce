/** A first start's bootstrap /sync (src/core/sync/bootstrap.ts): the filter, and the response as a room list. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BOOTSTRAP_FILTER,
  bootstrapUrl,
  heroesName,
  parseBootstrap,
  roomSummaryOf,
} from '../../../src/core/sync/bootstrap.ts';
import { isMatrixChannelError } from '../../../src/core/errors.ts';

const state = (type: string, content: Record<string, unknown>, stateKey = '') => ({
  type,
  state_key: stateKey,
  content,
  sender: '@o:hs',
});
const NAME = (name: string) => state('m.room.name', { name });
const ALIAS = (alias: string) => state('m.room.canonical_alias', { alias });
const ENCRYPTION = state('m.room.encryption', { algorithm: 'm.megolm.v1.aes-sha2' });
const summary = (heroes: string[], joined?: number, invited?: number) => ({
  'm.heroes': heroes,
  ...(joined === undefined ? {} : { 'm.joined_member_count': joined }),
  ...(invited === undefined ? {} : { 'm.invited_member_count': invited }),
});

describe('bootstrap filter', () => {
  it("asks for no timeline, the room list's three state types with lazy members, m.direct and the encryption's account data, and four event fields", () => {
    assert.equal(BOOTSTRAP_FILTER.room.timeline.limit, 0);
    assert.deepEqual(BOOTSTRAP_FILTER.room.state, {
      types: ['m.room.name', 'm.room.canonical_alias', 'm.room.encryption'],
      lazy_load_members: true,
    });
    assert.deepEqual(
      [BOOTSTRAP_FILTER.room.ephemeral, BOOTSTRAP_FILTER.room.account_data, BOOTSTRAP_FILTER.presence],
      [{ types: [] }, { types: [] }, { types: [] }],
    );
    assert.deepEqual(BOOTSTRAP_FILTER.account_data, {
      types: ['m.direct', 'm.secret_storage.*', 'm.cross_signing.*', 'm.megolm_backup.v1'],
    });
    assert.deepEqual(BOOTSTRAP_FILTER.event_fields, ['type', 'state_key', 'content', 'sender']);
  });
});

describe('bootstrap: a joined room as the room list shows it', () => {
  // [what, the room in the response, expected name, encrypted, unread, mentions]
  const rows: Array<[string, Parameters<typeof roomSummaryOf>[1], string, boolean, number, number]> = [
    ['a name', { state: { events: [NAME('Design'), ALIAS('#design:hs')] } }, 'Design', false, 0, 0],
    [
      'a blank name: the canonical alias',
      { state: { events: [NAME('  '), ALIAS('#design:hs')] } },
      '#design:hs',
      false,
      0,
      0,
    ],
    ['an alias only', { state: { events: [ALIAS('#ops:hs')] }, summary: summary([]) }, '#ops:hs', false, 0, 0],
    [
      "a name with a state key is not the room's name",
      { state: { events: [state('m.room.name', { name: 'x' }, 'k')] } },
      '!r:hs',
      false,
      0,
      0,
    ],
    ['the last of two name events wins', { state: { events: [NAME('Old'), NAME('New')] } }, 'New', false, 0, 0],
    ['unnamed, one hero', { summary: summary(['@alice:hs'], 2, 0) }, 'alice', false, 0, 0],
    ['unnamed, two heroes', { summary: summary(['@alice:hs', '@bob:hs'], 3) }, 'alice and bob', false, 0, 0],
    [
      'unnamed, three heroes',
      { summary: summary(['@alice:hs', '@bob:hs', '@carol:hs'], 3, 1) },
      'alice, bob and carol',
      false,
      0,
      0,
    ],
    [
      'unnamed, more members than heroes',
      { summary: summary(['@alice:hs', '@bob:hs'], 5, 1) },
      'alice, bob and 3 others',
      false,
      0,
      0,
    ],
    ['unnamed, one more member than heroes', { summary: summary(['@alice:hs'], 3) }, 'alice and 1 other', false, 0, 0],
    ['unnamed, everyone else left', { summary: summary(['@alice:hs'], 1, 0) }, 'Empty room (was alice)', false, 0, 0],
    ['unnamed, heroes without counts', { summary: summary(['@alice:hs', '@bob:hs']) }, 'alice and bob', false, 0, 0],
    ['nothing to name it by: the room ID', {}, '!r:hs', false, 0, 0],
    ['encrypted', { state: { events: [NAME('Secret'), ENCRYPTION] } }, 'Secret', true, 0, 0],
    [
      'unread and mentions',
      { state: { events: [NAME('Busy')] }, unread_notifications: { notification_count: 7, highlight_count: 2 } },
      'Busy',
      false,
      7,
      2,
    ],
    [
      'damaged counts are zero',
      { state: { events: [NAME('Odd')] }, unread_notifications: { notification_count: -1, highlight_count: 'x' } },
      'Odd',
      false,
      0,
      0,
    ],
  ];
  // The rooms with a canonical alias keep it, whatever their name (Open Room… finds them by it).
  const aliases: Record<string, string> = {
    'a name': '#design:hs',
    'a blank name: the canonical alias': '#design:hs',
    'an alias only': '#ops:hs',
  };
  for (const [what, room, name, encrypted, unread, mentions] of rows) {
    it(what, () => {
      assert.deepEqual(roomSummaryOf('!r:hs', room, new Set()), {
        roomId: '!r:hs',
        name,
        ...(aliases[what] ? { alias: aliases[what] } : {}),
        isDirect: false,
        encrypted,
        unread,
        mentions,
      });
    });
  }

  it('a hero without a server part keeps its whole ID; no heroes: no name', () => {
    assert.equal(heroesName(summary(['@lonely'])), 'lonely');
    assert.equal(heroesName(summary([])), undefined);
    assert.equal(heroesName(undefined), undefined);
  });
});

describe('bootstrap: the response', () => {
  const invite = {
    invite_state: {
      events: [
        {
          type: 'm.room.member',
          state_key: '@me:hs',
          sender: '@friend:hs',
          content: { membership: 'invite' },
          event_id: '$i',
        },
      ],
    },
  };
  const response = {
    next_batch: 's72_4',
    rooms: {
      join: {
        '!dm:hs': { summary: summary(['@friend:hs'], 2) },
        '!team:hs': {
          state: { events: [NAME('Team'), ENCRYPTION] },
          unread_notifications: { notification_count: 3, highlight_count: 1 },
        },
      },
      invite: { '!inv:hs': invite },
    },
    account_data: {
      events: [{ type: 'm.direct', content: { '@friend:hs': ['!dm:hs', '!old:hs'] } }, { type: 'broken' }],
    },
  };

  it('gives the token, the joined rooms (DMs from m.direct), and the invites and account data for the SDK', () => {
    const boot = parseBootstrap(response);
    assert.equal(boot.nextBatch, 's72_4');
    assert.deepEqual(boot.rooms, [
      { roomId: '!dm:hs', name: 'friend', isDirect: true, encrypted: false, unread: 0, mentions: 0 },
      { roomId: '!team:hs', name: 'Team', isDirect: false, encrypted: true, unread: 3, mentions: 1 },
    ]);
    assert.deepEqual([...boot.directRooms].sort(), ['!dm:hs', '!old:hs']);
    assert.deepEqual(boot.saved, {
      nextBatch: 's72_4',
      roomsData: { join: {}, invite: { '!inv:hs': invite }, leave: {}, knock: {} },
      accountData: [{ type: 'm.direct', content: { '@friend:hs': ['!dm:hs', '!old:hs'] } }],
    });
  });

  it('an account without rooms or account data', () => {
    const boot = parseBootstrap({ next_batch: 's1' });
    assert.deepEqual(
      [boot.rooms, [...boot.directRooms], boot.saved.roomsData.invite, boot.saved.accountData],
      [[], [], {}, []],
    );
  });

  it('no sync token: an unexpected response', () => {
    for (const body of [{}, { next_batch: '' }, { next_batch: 5 }, null, 'text']) {
      assert.throws(
        () => parseBootstrap(body),
        (error: unknown) => isMatrixChannelError(error, 'unexpected_response'),
        JSON.stringify(body),
      );
    }
  });
});

describe('bootstrap request', () => {
  it('is never the same twice in a row, and waits a few milliseconds at most', () => {
    const timeoutOf = (url: string) => Number(new URL(url).searchParams.get('timeout'));
    const lowest = bootstrapUrl('https://hs.example', () => 0);
    const highest = bootstrapUrl('https://hs.example', () => 0.999999);
    assert.deepEqual([timeoutOf(lowest), timeoutOf(highest)], [1, 999]);
    const urls = new Set(Array.from({ length: 20 }, () => bootstrapUrl('https://hs.example')));
    assert.ok(urls.size > 1, 'requests differ');
    assert.deepEqual(JSON.parse(new URL(lowest).searchParams.get('filter')!), BOOTSTRAP_FILTER);
  });
});
