/**
 * A room view's timeline against the bed's Synapse: the latest page, then older pages back to the room's start;
 * relations made by real clients folded in (a reply with its parent, an edit, reactions and one taken back, a
 * deletion, a thread); a new message and a reaction arriving live through the channel's sync; a reply, a
 * reaction, an edit and their deletion sent from the view, coming back through the sync.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { MatrixApi } from '../../bed/matrix.ts';
import { RoomTimeline } from '../../../src/core/timeline/room-timeline.ts';
import { configOn, HOMESERVERS, liveChannel, sharedRoom, twoUsers, waitFor } from './live-support.ts';

const synapse = HOMESERVERS[0]!;

/** Sends an event of any type as `api`'s user; its event ID. */
async function send(api: MatrixApi, roomId: string, type: string, content: Record<string, unknown>) {
  const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${type}/${randomBytes(6).toString('hex')}`;
  return (await api.request<{ event_id: string }>('PUT', path, content)).event_id;
}

async function redact(api: MatrixApi, roomId: string, eventId: string) {
  const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/redact/${encodeURIComponent(eventId)}/${randomBytes(6).toString('hex')}`;
  await api.request('PUT', path, {});
}

describe('core: a room view timeline (Synapse)', () => {
  it('pages back to the start, folds real relations, and follows new events', async () => {
    const { me, other, mine, theirs } = await twoUsers(synapse);
    const roomId = await sharedRoom(theirs, mine, me.userId, { name: 'History' });
    for (let n = 1; n <= 60; n++) await theirs.sendText(roomId, `message ${n}`);
    const question = await theirs.sendText(roomId, 'is the build green?');
    const answer = await mine.sendText(roomId, `> <${other.userId}> is the build green?\n\nyes`, {
      'm.relates_to': { 'm.in_reply_to': { event_id: question } },
    });
    await send(theirs, roomId, 'm.room.message', {
      msgtype: 'm.text',
      body: '* is the main build green?',
      'm.new_content': { msgtype: 'm.text', body: 'is the main build green?' },
      'm.relates_to': { rel_type: 'm.replace', event_id: question },
    });
    await send(theirs, roomId, 'm.reaction', {
      'm.relates_to': { rel_type: 'm.annotation', event_id: answer, key: '🎉' },
    });
    const taken = await send(mine, roomId, 'm.reaction', {
      'm.relates_to': { rel_type: 'm.annotation', event_id: answer, key: '👀' },
    });
    await redact(mine, roomId, taken);
    const oops = await theirs.sendText(roomId, 'oops, wrong room');
    await redact(theirs, roomId, oops);
    await theirs.sendText(roomId, 'in a thread', {
      'm.relates_to': {
        rel_type: 'm.thread',
        event_id: question,
        is_falling_back: true,
        'm.in_reply_to': { event_id: question },
      },
    });

    const channel = await liveChannel(me, configOn(synapse, { userId: me.userId }));
    const feed = await channel.sync.roomFeed(roomId);
    const timeline = new RoomTimeline(feed.source, { me: me.userId, maxEvents: 200 });
    await timeline.open();
    assert.equal(timeline.size, 50, 'the latest page');
    const latest = timeline.items();
    const shown = (eventId: string) => latest.find((item) => item.eventId === eventId);
    assert.deepEqual(
      { body: shown(question)?.body, edited: shown(question)?.edited, threadReplies: shown(question)?.threadReplies },
      { body: 'is the main build green?', edited: true, threadReplies: 1 },
    );
    assert.deepEqual(shown(answer)?.replyTo, {
      eventId: question,
      sender: other.userId,
      body: 'is the main build green?',
    });
    assert.equal(shown(answer)?.body, 'yes');
    assert.deepEqual(shown(answer)?.reactions, [{ key: '🎉', count: 1 }], 'the reaction taken back is gone');
    assert.equal(shown(oops)?.kind, 'deleted');
    assert.equal(
      latest.some((item) => item.body === 'in a thread'),
      false,
      'thread replies stay in their thread',
    );

    while (await timeline.loadOlder());
    const bodies = timeline.items().map((item) => item.body);
    assert.deepEqual(
      bodies.filter((body) => body.startsWith('message ')),
      Array.from({ length: 60 }, (_, i) => `message ${i + 1}`),
      'every message once, in order, back to the start',
    );

    feed.onEvent(({ event, replaces }) => void (replaces ? timeline.replace(event) : timeline.add(event)));
    await theirs.sendText(roomId, 'live one');
    await send(theirs, roomId, 'm.reaction', {
      'm.relates_to': { rel_type: 'm.annotation', event_id: question, key: '👍' },
    });
    await waitFor('the live message and reaction', () => {
      const items = timeline.items();
      const reacted = items.find((item) => item.eventId === question)?.reactions.length === 1;
      return items.at(-1)?.body === 'live one' && reacted ? true : undefined;
    });

    // What the view does, as the server and the live sync see it.
    const { eventId: reply } = await feed.send('green now', { replyTo: question });
    const { eventId: rocket } = await feed.react(question, '🚀');
    await waitFor('our reply and reaction', () => {
      const items = timeline.items();
      const reacted = items.find((item) => item.eventId === question)?.reactions.find((r) => r.key === '🚀');
      return items.find((item) => item.eventId === reply)?.replyTo?.eventId === question && reacted?.mine === rocket
        ? true
        : undefined;
    });
    await feed.edit(reply, 'green now, all of it');
    await waitFor('our edit', () => {
      const item = timeline.items().find((candidate) => candidate.eventId === reply);
      return item?.edited && item.body === 'green now, all of it' ? true : undefined;
    });
    await feed.redact(rocket);
    await feed.redact(reply);
    await waitFor('the reaction taken back and the reply deleted', () => {
      const items = timeline.items();
      const reactions = items.find((item) => item.eventId === question)?.reactions ?? [];
      return items.find((item) => item.eventId === reply)?.kind === 'deleted' && !reactions.some((r) => r.key === '🚀')
        ? true
        : undefined;
    });
    feed.dispose();
  });
});
