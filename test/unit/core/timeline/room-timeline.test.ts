/**
 * The room view's window over a room's history, against a history in memory (the server's paging: newest page
 * first, a token per page): the latest page on open, older pages to the beginning, live events once each,
 * encrypted ones decrypted, and a bound on what it holds, both ways.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryPage } from '../../../../src/core/timeline/room-history.ts';
import { RoomTimeline, type TimelineSource } from '../../../../src/core/timeline/room-timeline.ts';
import type { RoomEvent } from '../../../../src/core/timeline/timeline-item.ts';

const message = (n: number, type = 'm.room.message'): RoomEvent => ({
  event_id: `$${n}`,
  type,
  sender: '@bob:example.org',
  origin_server_ts: n * 1_000,
  content: type === 'm.room.message' ? { msgtype: 'm.text', body: `message ${n}` } : { algorithm: 'x' },
});

/** A room whose history is `count` messages; tokens are the index the page before starts at. */
function history(count: number) {
  const events = Array.from({ length: count }, (_, i) => message(i + 1));
  const asked: Array<string | undefined> = [];
  const source: TimelineSource = {
    async page(from): Promise<HistoryPage> {
      asked.push(from);
      const end = from === undefined ? events.length : Number(from);
      const start = Math.max(0, end - 10);
      return { events: events.slice(start, end), ...(start > 0 ? { older: String(start) } : {}) };
    },
    async tokenBefore(eventId) {
      asked.push(`before ${eventId}`);
      return String(events.findIndex((event) => event.event_id === eventId));
    },
  };
  return { events, source, asked };
}

const bodies = (timeline: RoomTimeline) => timeline.items().map((item) => item.body);

describe('the room view window', () => {
  it('opens on the latest page and pages back to the beginning of the room', async () => {
    const { source, asked } = history(25);
    const timeline = new RoomTimeline(source, { me: '@me:example.org' });
    await timeline.open();
    assert.deepEqual(bodies(timeline).slice(0, 2), ['message 16', 'message 17']);
    assert.equal(timeline.size, 10);
    assert.equal(await timeline.loadOlder(), true);
    assert.equal(await timeline.loadOlder(), true);
    assert.equal(timeline.hasOlder, false);
    assert.equal(await timeline.loadOlder(), false, 'nothing before the beginning');
    assert.equal(timeline.size, 25);
    assert.equal(bodies(timeline)[0], 'message 1');
    assert.deepEqual(asked, [undefined, '15', '5']);
  });

  it('adds each live event once, decrypting what is encrypted', async () => {
    const { source } = history(3);
    source.decrypt = async (event) => ({
      ...event,
      type: 'm.room.message',
      content: { body: 'clear', msgtype: 'm.text' },
    });
    const timeline = new RoomTimeline(source, { me: '@me:example.org' });
    await timeline.open();
    assert.equal(await timeline.add(message(4)), true);
    assert.equal(await timeline.add(message(4)), false, 'already held');
    assert.equal(await timeline.add(message(5, 'm.room.encrypted')), true);
    assert.deepEqual(bodies(timeline), ['message 1', 'message 2', 'message 3', 'message 4', 'clear']);
  });

  it('keeps what arrives while it opens, after the first page', async () => {
    const { source } = history(5);
    const page = source.page.bind(source);
    let arrive: () => Promise<boolean> = async () => false;
    const timeline = new RoomTimeline(
      { ...source, page: async (from) => (await arrive(), page(from)) },
      { me: '@me:example.org' },
    );
    arrive = () => timeline.add(message(6));
    await timeline.open();
    assert.deepEqual(bodies(timeline), ['message 1', 'message 2', 'message 3', 'message 4', 'message 5', 'message 6']);
  });

  it('holds at most maxEvents: new events push the oldest out, and paging back starts from the oldest held', async () => {
    const { source, asked } = history(20);
    const timeline = new RoomTimeline(source, { me: '@me:example.org', maxEvents: 12 });
    await timeline.open();
    for (let n = 21; n <= 24; n++) await timeline.add(message(n));
    assert.equal(timeline.size, 12);
    assert.equal(bodies(timeline)[0], 'message 13');
    await timeline.loadOlder();
    assert.deepEqual(asked.slice(1), ['before $13', '12']);
    assert.equal(timeline.isFollowing, false, 'the newest were pushed out by the older page');
    assert.equal(bodies(timeline)[0], 'message 3');
    assert.equal(timeline.size, 12);
    assert.equal(await timeline.add(message(25)), false, 'not following: the window is back in history');
  });

  it('after the window pushed out its oldest, there is history before it again', async () => {
    const { source } = history(3);
    const timeline = new RoomTimeline(source, { me: '@me:example.org', maxEvents: 4 });
    await timeline.open();
    assert.equal(timeline.hasOlder, false, 'the whole room');
    await timeline.add(message(4));
    await timeline.add(message(5));
    assert.equal(timeline.hasOlder, true, 'message 1 was pushed out');
  });
});
