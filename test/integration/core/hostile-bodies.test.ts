/**
 * Hostile formatted bodies through a real homeserver, as the room view reads them: each body of the sanitizer's
 * corpus sent by another user, paged back from Synapse and folded with the sanitizer the view uses. What the
 * view would insert is exactly what the sanitizer makes of the body in Node (the server passes it through as
 * sent), and harmless; so are a body near the server's size limit and one nested thousands deep.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sanitizeMatrixHtml } from '../../../src/core/timeline/sanitize-html.ts';
import { RoomTimeline } from '../../../src/core/timeline/room-timeline.ts';
import { assertHarmless, HOSTILE_INPUTS, HOSTILE_ROWS } from '../../corpus/hostile-html.ts';
import { configOn, HOMESERVERS, liveChannel, sharedRoom, twoUsers } from './live-support.ts';

const synapse = HOMESERVERS[0]!;

describe('core: hostile formatted bodies from a real homeserver (Synapse)', () => {
  it("folds every body of the corpus to the sanitizer's output, harmless", async () => {
    const { me, mine, theirs } = await twoUsers(synapse);
    const roomId = await sharedRoom(theirs, mine, me.userId, { name: 'Hostile' });
    const bodies = [
      ...HOSTILE_ROWS.map(([input]) => input).filter((input) => input !== ''),
      ...HOSTILE_INPUTS,
      // Near the homeserver's 64 KiB event limit, and deep: both stay bounded.
      `<p>${'<b>a &amp; b</b> '.repeat(3_000)}</p>`,
      `${'<div>'.repeat(5_000)}deep${'</div>'.repeat(5_000)}`,
    ];
    const sent = new Map<string, string>();
    for (const [n, body] of bodies.entries()) {
      const eventId = await theirs.sendText(roomId, `hostile ${n}`, {
        format: 'org.matrix.custom.html',
        formatted_body: body,
      });
      sent.set(eventId, body);
    }

    const channel = await liveChannel(me, configOn(synapse, { userId: me.userId }));
    const feed = await channel.sync.roomFeed(roomId);
    const timeline = new RoomTimeline(feed.source, {
      me: me.userId,
      sanitize: (html) => sanitizeMatrixHtml(html).html,
    });
    await timeline.open();
    while (await timeline.loadOlder());
    const items = timeline.items().filter((item) => sent.has(item.eventId));
    assert.equal(items.length, bodies.length, 'every body read back');
    for (const item of items) {
      const body = sent.get(item.eventId)!;
      assert.equal(item.html, sanitizeMatrixHtml(body).html, body.slice(0, 80));
      assertHarmless(item.html ?? '', body.slice(0, 80));
    }
    feed.dispose();
  });
});
