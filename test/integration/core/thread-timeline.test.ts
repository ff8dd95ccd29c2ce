/**
 * A thread's view against the bed's Synapse: a root with 60 replies (one a real reply, one edited, one reacted
 * to), paged back from the latest to the root through the relations API, with nothing of the main timeline or
 * another thread; paging back from an event by the room's token before it; new replies arriving live through
 * the channel's sync while the room's other messages stay out.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { MatrixApi } from '../../bed/matrix.ts';
import { RoomTimeline } from '../../../src/core/timeline/room-timeline.ts';
import { threadRelation, threadSource } from '../../../src/core/timeline/thread-history.ts';
import { configOn, HOMESERVERS, liveChannel, sharedRoom, twoUsers, waitFor } from './live-support.ts';

const synapse = HOMESERVERS[0]!;

/** Sends an event of any type as `api`'s user; its event ID. */
async function send(api: MatrixApi, roomId: string, type: string, content: Record<string, unknown>) {
  const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${type}/${randomBytes(6).toString('hex')}`;
  return (await api.request<{ event_id: string }>('PUT', path, content)).event_id;
}

describe("core: a thread's view (Synapse)", () => {
  it('pages a thread back to its root, leaves the rest of the room out, and follows new replies', async () => {
    const { me, other, mine, theirs } = await twoUsers(synapse);
    const roomId = await sharedRoom(theirs, mine, me.userId, { name: 'Threads' });
    const root = await theirs.sendText(roomId, 'root');
    const replies: string[] = [];
    for (let n = 1; n <= 60; n++) {
      // The last one answers the first; the others fall back to the thread's latest, as clients send them.
      const relation = threadRelation(root, replies.at(-1) ?? root, n === 60 ? replies[0] : undefined);
      replies.push(await theirs.sendText(roomId, `reply ${n}`, { 'm.relates_to': relation }));
    }
    await mine.sendText(roomId, 'in the room', { 'm.relates_to': { 'm.in_reply_to': { event_id: root } } });
    const otherRoot = await theirs.sendText(roomId, 'another root');
    await theirs.sendText(roomId, 'in another thread', { 'm.relates_to': threadRelation(otherRoot, otherRoot) });
    await send(theirs, roomId, 'm.room.message', {
      msgtype: 'm.text',
      body: '* reply 10, edited',
      'm.new_content': { msgtype: 'm.text', body: 'reply 10, edited' },
      'm.relates_to': { rel_type: 'm.replace', event_id: replies[9] },
    });
    const thumbsUp = await send(mine, roomId, 'm.reaction', {
      'm.relates_to': { rel_type: 'm.annotation', event_id: replies[19], key: '👍' },
    });

    const requester = {
      homeserver: synapse.baseUrl,
      fetch: (input: string | URL | Request, init: RequestInit = {}) =>
        fetch(input, { ...init, headers: { ...(init.headers as object), authorization: `Bearer ${me.accessToken}` } }),
    };
    const source = threadSource(requester, roomId, root);
    const timeline = new RoomTimeline(source, { me: me.userId, thread: root });
    await timeline.open();
    assert.equal(timeline.hasOlder, true, 'the latest page is not the whole thread');
    while (await timeline.loadOlder());
    const items = timeline.items();
    assert.deepEqual(
      items.map((item) => item.body),
      ['root', ...Array.from({ length: 60 }, (_, i) => (i === 9 ? 'reply 10, edited' : `reply ${i + 1}`))],
      'the root, then every reply once, in order; nothing of the room or the other thread',
    );
    assert.deepEqual(
      items.map((item) => item.eventId),
      [root, ...replies],
    );
    assert.deepEqual(items.at(-1)?.replyTo, { eventId: replies[0], sender: other.userId, body: 'reply 1' });
    assert.equal(items.filter((item) => item.replyTo).length, 1, 'fallback replies are no replies');
    assert.deepEqual(items[20]?.reactions, [{ key: '👍', count: 1, mine: thumbsUp }]);
    assert.equal(items[0]?.threadReplies, 0);

    // After the window was cut, it pages back from its oldest event: by the room's token before it.
    const before31 = await source.page(await source.tokenBefore(replies[30]!));
    assert.equal(before31.events.at(-1)?.event_id, replies[29]);
    assert.equal(before31.events[0]?.event_id, root, 'the beginning of the thread');

    const channel = await liveChannel(me, configOn(synapse, { userId: me.userId }));
    const feed = await channel.sync.roomFeed(roomId);
    feed.onEvent(({ event, replaces }) => void (replaces ? timeline.replace(event) : timeline.add(event)));
    await theirs.sendText(roomId, 'live in the room');
    await theirs.sendText(roomId, 'live in another thread', { 'm.relates_to': threadRelation(otherRoot, otherRoot) });
    const live = await theirs.sendText(roomId, 'live in the thread', {
      'm.relates_to': threadRelation(root, replies.at(-1)!),
    });
    await waitFor('the live reply', () => timeline.items().at(-1)?.eventId === live);
    assert.equal(timeline.items().length, 62, 'the root, 60 replies and the live one');
    feed.dispose();
  });
});
