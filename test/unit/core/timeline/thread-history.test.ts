/**
 * A thread's history against a homeserver played on 127.0.0.1: pages newest first with the server's tokens,
 * each oldest first; the root first at the thread's beginning (and left out where the server does not show it);
 * a room view's window over it paging back to the root; and the relation of a message sent into a thread.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { MatrixChannelError } from '../../../../src/core/errors.ts';
import { RoomTimeline } from '../../../../src/core/timeline/room-timeline.ts';
import { threadPage, threadRelation, threadSource } from '../../../../src/core/timeline/thread-history.ts';
import type { RoomEvent } from '../../../../src/core/timeline/timeline-item.ts';
import type { RoomRequester } from '../../../../src/core/sync/room-requests.ts';

const ROOM = '!room:example.org';
const ROOT = '$root';
const ROOM_PATH = `/_matrix/client/v3/rooms/${encodeURIComponent(ROOM)}`;
const RELATIONS_PATH = `/_matrix/client/v1/rooms/${encodeURIComponent(ROOM)}/relations/${encodeURIComponent(ROOT)}`;

const message = (id: string, body: string, relates?: Record<string, unknown>): RoomEvent => ({
  event_id: id,
  type: 'm.room.message',
  sender: '@bob:example.org',
  origin_server_ts: 1_000,
  content: { msgtype: 'm.text', body, ...(relates ? { 'm.relates_to': relates } : {}) },
});
const reply = (n: number) =>
  message(`$${n}`, `reply ${n}`, {
    rel_type: 'm.thread',
    event_id: ROOT,
    is_falling_back: true,
    'm.in_reply_to': { event_id: ROOT },
  });

/**
 * The homeserver: a thread of `replies` under a root it shows when `rootStatus` is 200. Its relations tokens are
 * the index the page before starts at, its /context tokens `t` and that index.
 */
const server = { replies: [] as RoomEvent[], rootStatus: 200, asked: [] as string[] };

function answer(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://localhost');
  server.asked.push(`${url.pathname}${url.search}`);
  const json = (status: number, body: unknown) =>
    void response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  if (url.pathname === RELATIONS_PATH) {
    const from = url.searchParams.get('from');
    const end = from === null ? server.replies.length : Number(from.replace(/^t/, ''));
    const start = Math.max(0, end - Number(url.searchParams.get('limit')));
    const chunk = server.replies.slice(start, end).reverse();
    return json(200, { chunk, ...(start > 0 ? { next_batch: String(start) } : {}) });
  }
  if (url.pathname === `${ROOM_PATH}/event/${encodeURIComponent(ROOT)}`) {
    return server.rootStatus === 200
      ? json(200, { ...message(ROOT, 'root'), room_id: ROOM })
      : json(server.rootStatus, { errcode: server.rootStatus === 404 ? 'M_NOT_FOUND' : 'M_UNKNOWN' });
  }
  const context = url.pathname.match(/\/context\/(.+)$/);
  if (url.pathname.startsWith(`${ROOM_PATH}/context/`) && context) {
    const index = server.replies.findIndex((event) => event.event_id === decodeURIComponent(context[1]!));
    return json(200, { start: `t${index}` });
  }
  json(404, { errcode: 'M_UNRECOGNIZED' });
}

const httpServer = createServer(answer);
let requester: RoomRequester;

before(async () => {
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  requester = { homeserver: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`, fetch };
});
after(async () => {
  httpServer.closeAllConnections();
  await new Promise((resolve) => httpServer.close(resolve));
});

function thread(count: number, rootStatus = 200): void {
  server.replies = Array.from({ length: count }, (_, i) => reply(i + 1));
  server.rootStatus = rootStatus;
  server.asked = [];
}

const ids = (events: RoomEvent[]) => events.map((event) => event.event_id);

describe("a thread's history", () => {
  it('pages back from the latest replies with the tokens of the relations API, root first at the beginning', async () => {
    thread(25);
    const latest = await threadPage(requester, ROOM, ROOT, { limit: 10 });
    assert.deepEqual(ids(latest.events), ['$16', '$17', '$18', '$19', '$20', '$21', '$22', '$23', '$24', '$25']);
    assert.equal(latest.older, '15');
    const middle = await threadPage(requester, ROOM, ROOT, { from: latest.older, limit: 10 });
    assert.deepEqual([ids(middle.events)[0], middle.older], ['$6', '5']);
    const first = await threadPage(requester, ROOM, ROOT, { from: middle.older!, limit: 10 });
    assert.deepEqual(ids(first.events), [ROOT, '$1', '$2', '$3', '$4', '$5']);
    assert.equal(first.older, undefined, 'the beginning of the thread');
    assert.deepEqual(server.asked, [
      `${RELATIONS_PATH}?dir=b&limit=10&recurse=true`,
      `${RELATIONS_PATH}?dir=b&limit=10&recurse=true&from=15`,
      `${RELATIONS_PATH}?dir=b&limit=10&recurse=true&from=5`,
      `${ROOM_PATH}/event/${encodeURIComponent(ROOT)}`,
    ]);
  });

  it('a thread shorter than a page is the root and its replies at once', async () => {
    thread(3);
    const page = await threadPage(requester, ROOM, ROOT, { limit: 10 });
    assert.deepEqual(ids(page.events), [ROOT, '$1', '$2', '$3']);
    thread(0);
    assert.deepEqual(ids((await threadPage(requester, ROOM, ROOT, { limit: 10 })).events), [ROOT], 'no replies yet');
  });

  it('a root the server does not show is left out; a server failing to give it fails the page', async () => {
    thread(2, 404);
    assert.deepEqual(ids((await threadPage(requester, ROOM, ROOT, { limit: 10 })).events), ['$1', '$2']);
    thread(2, 502);
    const failure = await threadPage(requester, ROOM, ROOT, { limit: 10 }).catch((error: unknown) => error);
    assert.ok(failure instanceof MatrixChannelError);
    assert.equal(failure.kind, 'server_error');
  });

  it("a room view's window over it opens on the latest replies and pages back to the root", async () => {
    thread(120);
    const timeline = new RoomTimeline(threadSource(requester, ROOM, ROOT), { me: '@me:example.org', thread: ROOT });
    await timeline.open();
    assert.equal(timeline.items()[0]?.body, 'reply 71', 'the latest page');
    while (await timeline.loadOlder());
    const bodies = timeline.items().map((item) => item.body);
    assert.deepEqual(bodies, ['root', ...Array.from({ length: 120 }, (_, i) => `reply ${i + 1}`)]);
  });

  it("pages back from an event with the room's token before it", async () => {
    thread(30);
    const source = threadSource(requester, ROOM, ROOT);
    const token = await source.tokenBefore('$21');
    assert.equal(token, 't20');
    assert.deepEqual(ids((await source.page(token)).events).at(-1), '$20');
  });
});

describe('a message sent into a thread', () => {
  it("falls back to a reply to the thread's latest message", () => {
    assert.deepEqual(threadRelation(ROOT, '$9'), {
      rel_type: 'm.thread',
      event_id: ROOT,
      is_falling_back: true,
      'm.in_reply_to': { event_id: '$9' },
    });
  });

  it("answering one of the thread's messages is a real reply to it", () => {
    assert.deepEqual(threadRelation(ROOT, '$9', '$4'), {
      rel_type: 'm.thread',
      event_id: ROOT,
      is_falling_back: false,
      'm.in_reply_to': { event_id: '$4' },
    });
  });
});
