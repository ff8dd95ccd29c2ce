import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoomList, type RoomObservation, type RoomSummary } from '../../../src/core/sync/room-list.ts';

const seen = (roomId: string, extra: Partial<RoomObservation> = {}): RoomObservation => ({
  roomId,
  membership: 'join',
  name: roomId.slice(1, 4),
  isDirect: false,
  encrypted: false,
  unread: 0,
  mentions: 0,
  ...extra,
});

describe('room list', () => {
  it('lists joined rooms with mentions first, then unread, then by name', () => {
    const list = new RoomList();
    list.observe([
      seen('!bbb', { name: 'beta' }),
      seen('!aaa', { name: 'Alpha' }),
      seen('!ccc', { name: 'gamma', unread: 2 }),
      seen('!ddd', { name: 'delta', unread: 1, mentions: 1 }),
    ]);
    assert.deepEqual(
      list.list().map((room) => room.name),
      ['delta', 'gamma', 'Alpha', 'beta'],
    );
  });

  it('fires one change per observation that changed something, and none otherwise', () => {
    const list = new RoomList();
    const changes: Array<readonly RoomSummary[]> = [];
    list.onChange((rooms) => changes.push(rooms));
    list.observe([seen('!aaa'), seen('!bbb')]);
    list.observe([seen('!aaa'), seen('!bbb')]);
    assert.equal(changes.length, 1);
    list.observe([seen('!aaa', { unread: 3 })]);
    assert.equal(changes.length, 2);
    assert.equal(list.get('!aaa')?.unread, 3);
  });

  it('keeps the known name and encryption of a room the SDK saw without its state (after a resume)', () => {
    const list = new RoomList([
      { roomId: '!aaa', name: 'Design', isDirect: false, encrypted: true, unread: 0, mentions: 0 },
    ]);
    list.observe([{ roomId: '!aaa', membership: 'unknown', isDirect: false, unread: 4, mentions: 0 }]);
    assert.deepEqual(list.get('!aaa'), {
      roomId: '!aaa',
      name: 'Design',
      isDirect: false,
      encrypted: true,
      unread: 4,
      mentions: 0,
    });
  });

  it("keeps a room's alias while the SDK sees it without its state; its state without one drops it", () => {
    const list = new RoomList();
    list.observe([seen('!aaa', { name: 'Design', alias: '#design:hs' })]);
    assert.equal(list.get('!aaa')?.alias, '#design:hs');
    list.observe([{ roomId: '!aaa', membership: 'join', isDirect: false, unread: 1, mentions: 0 }]);
    assert.equal(list.get('!aaa')?.alias, '#design:hs', 'no state: the alias we knew');
    list.observe([seen('!aaa', { name: 'Design', alias: null })]);
    assert.equal(list.get('!aaa')?.alias, undefined, 'its state without an alias');
    assert.equal(Object.hasOwn(list.get('!aaa')!, 'alias'), false);
  });

  it('keeps a room whose membership the sync did not say (no member event of ours): only a leave or a ban drops it', () => {
    const list = new RoomList();
    list.observe([seen('!aaa'), seen('!bbb')]);
    list.observe([seen('!aaa', { membership: 'unknown', unread: 1 }), seen('!new', { membership: 'unknown' })]);
    assert.deepEqual(
      list.list().map((room) => [room.roomId, room.unread]),
      [
        ['!aaa', 1],
        ['!bbb', 0],
        ['!new', 0],
      ],
    );
  });

  it('drops rooms we left or were banned from; ignores invites', () => {
    const list = new RoomList();
    list.observe([seen('!aaa'), seen('!bbb'), seen('!inv', { membership: 'invite' })]);
    list.observe([seen('!aaa', { membership: 'leave' }), seen('!bbb', { membership: 'ban' })]);
    assert.deepEqual(list.list(), []);
  });

  it('marking read zeroes the counts at once and is a change only when there was something unread', () => {
    const list = new RoomList();
    list.observe([seen('!aaa', { unread: 2, mentions: 1 })]);
    let changes = 0;
    list.onChange(() => changes++);
    list.markRead('!aaa');
    list.markRead('!aaa');
    list.markRead('!unknown');
    assert.equal(changes, 1);
    assert.deepEqual([list.get('!aaa')?.unread, list.get('!aaa')?.mentions], [0, 0]);
  });

  it('keeps a room read against counts computed before the receipt, until someone else writes', () => {
    const list = new RoomList();
    list.observe([seen('!aaa', { unread: 1, newestFromOthers: '$bob1' })]);
    list.markRead('!aaa', '$bob1');
    // A sync the server answered before it had our receipt: still one unread, no new event from others.
    list.observe([seen('!aaa', { unread: 1, newestFromOthers: '$bob1' })]);
    assert.equal(list.get('!aaa')?.unread, 0);
    // Bob writes again: the server's count is news.
    list.observe([seen('!aaa', { unread: 1, mentions: 1, newestFromOthers: '$bob2' })]);
    assert.deepEqual([list.get('!aaa')?.unread, list.get('!aaa')?.mentions], [1, 1]);
  });

  it('trusts the server again once it agrees the room is read', () => {
    const list = new RoomList();
    list.observe([seen('!aaa', { unread: 1, newestFromOthers: '$bob1' })]);
    list.markRead('!aaa', '$bob1');
    list.observe([seen('!aaa', { unread: 0, newestFromOthers: '$bob1' })]);
    // Another client marked an older message unread-worthy (or pushed a count) with no new event: shown as is.
    list.observe([seen('!aaa', { unread: 2, newestFromOthers: '$bob1' })]);
    assert.equal(list.get('!aaa')?.unread, 2);
  });

  it('hands out changes for storing once, and nothing when nothing changed', () => {
    const list = new RoomList();
    assert.equal(list.takeChanges(), undefined);
    list.observe([seen('!aaa')]);
    assert.equal(list.takeChanges()?.length, 1);
    assert.equal(list.takeChanges(), undefined);
  });

  it('reads a stored list defensively: damaged entries are dropped', () => {
    const stored = [
      { roomId: '!ok', name: 'ok', isDirect: false, encrypted: false, unread: 0, mentions: 0 },
      { roomId: '!bad', name: 7 },
      null,
      { roomId: '!nan', name: 'n', isDirect: false, encrypted: false, unread: Number.NaN, mentions: 0 },
    ] as unknown as RoomSummary[];
    assert.deepEqual(
      new RoomList(stored).list().map((room) => room.roomId),
      ['!ok'],
    );
  });

  it('a bootstrap replaces the whole list (rooms left meanwhile go) and it is a change to store', () => {
    const list = new RoomList([
      { roomId: '!old', name: 'Old', isDirect: false, encrypted: false, unread: 0, mentions: 0 },
    ]);
    const changes: Array<readonly RoomSummary[]> = [];
    list.onChange((rooms) => changes.push(rooms));
    list.replace([{ roomId: '!new', name: 'New', isDirect: true, encrypted: true, unread: 1, mentions: 0 }]);
    assert.deepEqual(
      list.list().map((room) => room.roomId),
      ['!new'],
    );
    assert.equal(changes.length, 1);
    assert.deepEqual(
      list.takeChanges()?.map((room) => room.roomId),
      ['!new'],
    );
  });
});
