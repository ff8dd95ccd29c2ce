/**
 * The room view's host side, with the room's feed played in memory (the server is what it stands in for): what
 * the view is shown on ready, live events and late decryptions, loading older pages, sends that succeed and
 * fail (the reason goes back, nothing is lost), reactions and taking them back, messages the view may not send,
 * reading the room only while the view is in front, threads, pictures and files, and the editor's selection.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixChannelError } from '../../../src/core/errors.ts';
import { Emitter } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/log.ts';
import type { RoomFeed } from '../../../src/core/sync/room-feed.ts';
import type { RoomEvent } from '../../../src/core/timeline/timeline-item.ts';
import type { HostToRoomView, TimelineView } from '../../../src/shared/room-view-protocol.ts';
import { RoomViewController } from '../../../src/vscode/room-view/room-view-controller.ts';

const ME = '@me:example.org';
const message = (n: number, sender = '@bob:example.org'): RoomEvent => ({
  event_id: `$${n}`,
  type: 'm.room.message',
  sender,
  origin_server_ts: n * 1_000,
  content: { msgtype: 'm.text', body: `message ${n}` },
});

const inThread = (n: number, root: string): RoomEvent => ({
  ...message(n),
  content: { msgtype: 'm.text', body: `reply ${n}`, 'm.relates_to': { rel_type: 'm.thread', event_id: root } },
});

function setup(
  options: {
    count?: number;
    active?: boolean;
    unread?: number;
    failSend?: boolean;
    confirmDelete?: boolean;
    selection?: string;
  } = {},
) {
  const history = Array.from({ length: options.count ?? 3 }, (_, i) => message(i + 1));
  const thread = [message(1), inThread(11, '$1'), inThread(12, '$1')];
  const events = new Emitter<{ event: RoomEvent; replaces: boolean }>();
  const done: string[] = [];
  const posted: HostToRoomView[] = [];
  let reads = 0;
  let active = options.active ?? true;
  const feed: RoomFeed = {
    roomId: '!room:example.org',
    source: {
      page: async (from) => {
        const end = from === undefined ? history.length : Number(from);
        const start = Math.max(0, end - 50);
        return { events: history.slice(start, end), ...(start > 0 ? { older: String(start) } : {}) };
      },
      tokenBefore: async () => undefined,
    },
    memberName: (userId) => (userId === '@bob:example.org' ? 'Bob' : undefined),
    memberAvatar: async (userId) => (userId === '@bob:example.org' ? 'mxc://example.org/bob' : undefined),
    threadSource: (rootId) => ({
      page: async () => ({ events: rootId === '$1' ? thread : [] }),
      tokenBefore: async () => undefined,
    }),
    media: {
      thumbnail: async (event) => {
        if (event.event_id === '$2') throw new MatrixChannelError('server_error', 'The media server is down.');
        return `data:image/png;base64,${event.event_id}`;
      },
      avatar: async (url) => `data:image/png;base64,${url}`,
      download: async (event) => ({ name: `${event.event_id}.txt`, bytes: new TextEncoder().encode('file') }),
    },
    onEvent: (listener) => events.on(listener),
    dispose: () => done.push('disposed'),
    send: async (text, sendOptions) => {
      if (options.failSend) throw new MatrixChannelError('server_error', 'The homeserver is down.');
      const html = sendOptions?.html ? ` as ${sendOptions.html}` : '';
      const thread = sendOptions?.thread ? ` in ${sendOptions.thread.rootId} after ${sendOptions.thread.latest}` : '';
      done.push(`send ${text}${sendOptions?.replyTo ? ` to ${sendOptions.replyTo}` : ''}${html}${thread}`);
      return { eventId: '$sent' };
    },
    edit: async (eventId, text) => {
      done.push(`edit ${eventId}: ${text}`);
      return { eventId: '$edit' };
    },
    react: async (eventId, key) => {
      done.push(`react ${key} to ${eventId}`);
      return { eventId: '$reaction' };
    },
    redact: async (eventId) => void done.push(`redact ${eventId}`),
  };
  const controller = new RoomViewController({
    feed,
    room: { accountId: 'a', roomId: '!room:example.org' },
    me: ME,
    log: silentLogger,
    roomName: () => 'Standup',
    memberName: (userId) => feed.memberName(userId),
    unreadCount: () => options.unread ?? 0,
    markRead: async () => void reads++,
    confirmDelete: async () => options.confirmDelete ?? true,
    isActive: () => active,
    post: (posted_) => void posted.push(posted_),
    sanitize: (html) => html,
    files: {
      open: async (name, bytes) => void done.push(`open ${name} (${bytes.length} bytes)`),
      save: async (name, bytes) => void done.push(`save ${name} (${bytes.length} bytes)`),
    },
    selection: () => options.selection,
  });
  const lastView = () => posted.filter((p): p is TimelineView => p.type === 'timeline').at(-1)!;
  return {
    controller,
    events,
    done,
    posted,
    lastView,
    reads: () => reads,
    setActive: (value: boolean) => (active = value),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the room view host', () => {
  it('shows the latest messages on ready, with names, and where unread begins; looking reads the room', async () => {
    const { controller, lastView, reads } = setup({ count: 60, unread: 2 });
    await controller.receive({ type: 'ready' });
    const view = lastView();
    assert.equal(view.roomName, 'Standup');
    assert.equal(view.items.length, 50);
    assert.deepEqual(view.names, { '@bob:example.org': 'Bob' });
    assert.equal(view.hasOlder, true);
    assert.equal(view.unreadFrom, '$59');
    assert.equal(reads(), 1);
    await controller.receive({ type: 'loadOlder' });
    assert.equal(lastView().items.length, 60);
    assert.equal(lastView().hasOlder, false);
  });

  it('follows new events and late decryptions; reads what arrives only while in front', async () => {
    const { controller, events, lastView, reads, setActive } = setup();
    await controller.receive({ type: 'ready' });
    events.fire({ event: message(4), replaces: false });
    await settle();
    assert.equal(lastView().items.at(-1)?.body, 'message 4');
    assert.equal(reads(), 2);
    setActive(false);
    events.fire({ event: message(5), replaces: false });
    events.fire({ event: { ...message(5), content: { msgtype: 'm.text', body: 'decrypted' } }, replaces: true });
    await settle();
    assert.equal(lastView().items.at(-1)?.body, 'decrypted');
    assert.equal(reads(), 2, 'not in front: not read');
    setActive(true);
    controller.activated();
    assert.equal(reads(), 3);
  });

  it('sends, replies, reacts, takes back, edits and deletes (after asking); a failed send says why', async () => {
    const ok = setup();
    await ok.controller.receive({ type: 'send', id: 1, text: 'hi', replyTo: '$1' });
    await ok.controller.receive({ type: 'react', eventId: '$2', key: '👍' });
    await ok.controller.receive({ type: 'unreact', reactionId: '$9' });
    await ok.controller.receive({ type: 'edit', id: 2, eventId: '$3', text: 'hello' });
    await ok.controller.receive({ type: 'delete', eventId: '$3' });
    await ok.controller.receive({ type: 'send', id: 3, text: '**hi**' });
    assert.deepEqual(ok.done, [
      'send hi to $1',
      'react 👍 to $2',
      'redact $9',
      'edit $3: hello',
      'redact $3',
      'send **hi** as <p><strong>hi</strong></p>',
    ]);
    assert.deepEqual(ok.posted, [
      { type: 'sendResult', id: 1 },
      { type: 'sendResult', id: 2 },
      { type: 'sendResult', id: 3 },
    ]);
    // A page re-created while its send was on the way hears the answer again when it is ready.
    await ok.controller.receive({ type: 'ready' });
    assert.deepEqual(ok.posted.at(-1), { type: 'sendResult', id: 3 });
    const asked = setup({ confirmDelete: false });
    await asked.controller.receive({ type: 'delete', eventId: '$3' });
    assert.deepEqual(asked.done, [], 'not deleted without a yes');
    const failing = setup({ failSend: true });
    await failing.controller.receive({ type: 'send', id: 7, text: 'hi' });
    assert.deepEqual(failing.posted.at(-1), { type: 'sendResult', id: 7, failed: 'The homeserver is down.' });
  });

  it('ignores what the view may not send', async () => {
    const { controller, done, posted } = setup();
    for (const bad of [
      null,
      'ready',
      { type: 'send', id: 1, text: '   ' },
      { type: 'send', id: 1.5, text: 'x' },
      { type: 'send', id: 1, text: 'x'.repeat(30_001) },
      { type: 'send', id: 1, text: 'x', replyTo: 'not an event' },
      { type: 'react', eventId: '$1', key: '' },
      { type: 'unreact', reactionId: 'nope' },
      { type: 'delete everything' },
    ])
      await controller.receive(bad);
    assert.deepEqual([done, posted], [[], []]);
  });

  it('shows a thread instead of the room, sends into it after its latest message, follows it, and goes back', async () => {
    const { controller, events, done, lastView } = setup({ unread: 1 });
    await controller.receive({ type: 'ready' });
    assert.equal(lastView().unreadFrom, '$3');
    await controller.receive({ type: 'openThread', eventId: '$1' });
    const view = lastView();
    assert.deepEqual(view.thread, { rootId: '$1' });
    assert.deepEqual(
      view.items.map((item) => item.body),
      ['message 1', 'reply 11', 'reply 12'],
    );
    assert.equal(view.unreadFrom, undefined, "the room's unread line is not the thread's");
    await controller.receive({ type: 'send', id: 1, text: 'agreed', thread: '$1' });
    assert.equal(done.at(-1), 'send agreed in $1 after $12');
    events.fire({ event: inThread(13, '$1'), replaces: false });
    events.fire({ event: message(4), replaces: false });
    await settle();
    assert.deepEqual(
      lastView().items.map((item) => item.body),
      ['message 1', 'reply 11', 'reply 12', 'reply 13'],
      'the thread follows its own replies only',
    );
    await controller.receive({ type: 'closeThread' });
    assert.equal(lastView().thread, undefined);
    assert.equal(lastView().items.at(-1)?.body, 'message 4', 'the room kept following meanwhile');
  });

  it('answers the pictures the page asks for, says why one failed, and opens and saves files', async () => {
    const { controller, done, posted, lastView } = setup();
    await controller.receive({ type: 'ready' });
    // (Someone without a picture gets no answer: the page keeps their initial.)
    await controller.receive({ type: 'thumbnail', eventId: '$1' });
    await controller.receive({ type: 'thumbnail', eventId: '$2' });
    await controller.receive({ type: 'thumbnail', eventId: '$99' });
    await controller.receive({ type: 'avatar', userId: '@bob:example.org' });
    await controller.receive({ type: 'avatar', userId: '@nobody:example.org' });
    assert.deepEqual(
      posted.filter((p) => p.type === 'media'),
      [
        { type: 'media', key: 'event:$1', dataUri: 'data:image/png;base64,$1' },
        { type: 'media', key: 'event:$2', failed: 'The media server is down.' },
        { type: 'media', key: 'event:$99', failed: 'The image is no longer loaded.' },
        { type: 'media', key: 'avatar:@bob:example.org', dataUri: 'data:image/png;base64,mxc://example.org/bob' },
      ],
    );
    await controller.receive({ type: 'openMedia', eventId: '$3' });
    await controller.receive({ type: 'saveMedia', eventId: '$3' });
    assert.deepEqual(done, ['open $3.txt (4 bytes)', 'save $3.txt (4 bytes)']);
    await controller.receive({ type: 'openMedia', eventId: '$99' });
    assert.equal(lastView().problem, 'The file is no longer loaded: scroll to its message again.');
    await controller.receive({ type: 'openMedia', eventId: '$3' });
    assert.equal(lastView().problem, undefined, 'the next action that works clears it');
  });

  it("puts the editor's selection in the composer; without one, nothing", async () => {
    const withCode = setup({ selection: '```ts\nconst x = 1;\n```' });
    await withCode.controller.receive({ type: 'insertSelection' });
    assert.deepEqual(withCode.posted, [{ type: 'insert', text: '```ts\nconst x = 1;\n```' }]);
    const without = setup();
    await without.controller.receive({ type: 'insertSelection' });
    assert.deepEqual(without.posted, []);
  });

  it('lets go of the feed when closed', () => {
    const { controller, done } = setup();
    controller.dispose();
    assert.deepEqual(done, ['disposed']);
  });
});
