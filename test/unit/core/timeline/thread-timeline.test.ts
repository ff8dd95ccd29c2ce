/**
 * A thread's own view: the fold shows the root and the thread's replies as messages (a real reply with its
 * parent, a fallback reply as none; edits, reactions and deletions as in the room's view) and nothing of the
 * main timeline or other threads; the window takes live only the thread's replies and what changes what it holds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoomTimeline, type TimelineSource } from '../../../../src/core/timeline/room-timeline.ts';
import { foldTimeline } from '../../../../src/core/timeline/timeline-fold.ts';
import type { RoomEvent, TimelineItem } from '../../../../src/core/timeline/timeline-item.ts';

const ME = '@me:example.org';
const BOB = '@bob:example.org';
const ROOT = '$root';
let clock = 1_000;

function event(id: string, type: string, content: Record<string, unknown>, sender = BOB): RoomEvent {
  clock += 1_000;
  return { event_id: id, type, sender, origin_server_ts: clock, content };
}
const text = (id: string, body: string, relates?: Record<string, unknown>, sender = BOB) =>
  event(id, 'm.room.message', { msgtype: 'm.text', body, ...(relates ? { 'm.relates_to': relates } : {}) }, sender);
/** A reply in the thread of `root`: a real reply to `replyTo`, or one falling back to the thread's latest. */
const inThread = (id: string, body: string, replyTo?: string, root = ROOT, sender = BOB) =>
  text(
    id,
    body,
    {
      rel_type: 'm.thread',
      event_id: root,
      is_falling_back: replyTo === undefined,
      'm.in_reply_to': { event_id: replyTo ?? root },
    },
    sender,
  );
const edit = (id: string, target: string, body: string) =>
  event(id, 'm.room.message', {
    msgtype: 'm.text',
    body: `* ${body}`,
    'm.new_content': { msgtype: 'm.text', body },
    'm.relates_to': { rel_type: 'm.replace', event_id: target },
  });
const react = (id: string, target: string, key: string, sender = BOB) =>
  event(id, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: target, key } }, sender);
const redact = (id: string, target: string) => ({ ...event(id, 'm.room.redaction', {}), redacts: target });

/** What a thread's view shows of a message: its ID, text, and what it answers, if anything. */
const shown = (items: TimelineItem[]) =>
  items.map((item) => ({
    id: item.eventId,
    body: item.body,
    ...(item.kind !== 'text' ? { kind: item.kind } : {}),
    ...(item.edited ? { edited: true } : {}),
    ...(item.replyTo ? { replyTo: item.replyTo } : {}),
    ...(item.reactions.length > 0 ? { reactions: item.reactions } : {}),
    ...(item.threadReplies > 0 ? { threadReplies: item.threadReplies } : {}),
  }));

const cases: Array<{ name: string; events: RoomEvent[]; shows: ReturnType<typeof shown> }> = [
  {
    name: 'the root, then its replies in order',
    events: [text(ROOT, 'root'), inThread('$1', 'first'), inThread('$2', 'second')],
    shows: [
      { id: ROOT, body: 'root' },
      { id: '$1', body: 'first' },
      { id: '$2', body: 'second' },
    ],
  },
  {
    name: 'a real reply inside the thread, with its parent',
    events: [text(ROOT, 'root'), inThread('$1', 'question'), inThread('$2', 'answer', '$1')],
    shows: [
      { id: ROOT, body: 'root' },
      { id: '$1', body: 'question' },
      { id: '$2', body: 'answer', replyTo: { eventId: '$1', sender: BOB, body: 'question' } },
    ],
  },
  {
    name: 'a fallback reply: not quoted, and its fallback quote left out',
    events: [text(ROOT, 'root'), inThread('$1', `> <${BOB}> root\n\nsecond thoughts`)],
    shows: [
      { id: ROOT, body: 'root' },
      { id: '$1', body: 'second thoughts' },
    ],
  },
  {
    name: 'an edit of a thread reply, and of the root',
    events: [text(ROOT, 'rot'), inThread('$1', 'frist'), edit('$2', '$1', 'first'), edit('$3', ROOT, 'root')],
    shows: [
      { id: ROOT, body: 'root', edited: true },
      { id: '$1', body: 'first', edited: true },
    ],
  },
  {
    name: 'a reaction on a thread reply',
    events: [text(ROOT, 'root'), inThread('$1', 'ship it'), react('$2', '$1', '🚀', ME)],
    shows: [
      { id: ROOT, body: 'root' },
      { id: '$1', body: 'ship it', reactions: [{ key: '🚀', count: 1, mine: '$2' }] },
    ],
  },
  {
    name: 'a deleted thread reply, and a reaction taken back',
    events: [
      text(ROOT, 'root'),
      inThread('$1', 'oops'),
      redact('$2', '$1'),
      react('$3', ROOT, '👀'),
      redact('$4', '$3'),
    ],
    shows: [
      { id: ROOT, body: 'root' },
      { id: '$1', body: '', kind: 'deleted' },
    ],
  },
  {
    name: 'replies of another thread are left out',
    events: [text(ROOT, 'root'), inThread('$1', 'mine'), inThread('$2', 'elsewhere', undefined, '$other')],
    shows: [
      { id: ROOT, body: 'root' },
      { id: '$1', body: 'mine' },
    ],
  },
  {
    name: 'the main timeline is left out, replies to the root included; the root counts no replies here',
    events: [
      text('$0', 'before'),
      text(ROOT, 'root'),
      text('$1', 'in the room', { 'm.in_reply_to': { event_id: ROOT } }),
      inThread('$2', 'in the thread'),
      text('$3', 'after'),
    ],
    shows: [
      { id: ROOT, body: 'root' },
      { id: '$2', body: 'in the thread' },
    ],
  },
];

describe("a thread's view folds its events into messages", () => {
  for (const { name, events, shows } of cases) {
    it(name, () => {
      assert.deepEqual(shown(foldTimeline(events, { me: ME, thread: ROOT })), shows);
    });
  }

  it('the same events in the room view: the root counts the replies, which stay out', () => {
    const events = [text(ROOT, 'root'), inThread('$1', 'first'), inThread('$2', 'second'), text('$3', 'after')];
    assert.deepEqual(shown(foldTimeline(events, { me: ME })), [
      { id: ROOT, body: 'root', threadReplies: 2 },
      { id: '$3', body: 'after' },
    ]);
  });
});

/** A thread's source holding `events` as its one page (the whole thread). */
function thread(events: RoomEvent[]): TimelineSource {
  return {
    page: async () => ({ events }),
    tokenBefore: async () => undefined,
    decrypt: async (encrypted) => ({
      ...encrypted,
      type: 'm.room.message',
      content: { msgtype: 'm.text', body: 'clear', ...encrypted.content },
    }),
  };
}

describe("a thread's window takes live only what it shows", () => {
  it('takes its replies and what changes a message held; leaves the room and other threads out', async () => {
    const timeline = new RoomTimeline(thread([text(ROOT, 'root'), inThread('$1', 'first')]), { me: ME, thread: ROOT });
    await timeline.open();
    const offered: Array<[RoomEvent, boolean]> = [
      [inThread('$2', 'second'), true],
      [text('$3', 'in the room'), false],
      [text('$4', 'a reply in the room', { 'm.in_reply_to': { event_id: ROOT } }), false],
      [inThread('$5', 'elsewhere', undefined, '$other'), false],
      [edit('$6', '$1', 'first!'), true],
      [react('$7', '$1', '👍'), true],
      [react('$8', '$3', '👍'), false],
      [edit('$9', '$3', 'in the room!'), false],
      [redact('$10', '$2'), true],
      [redact('$11', '$3'), false],
      [react('$12', ROOT, '🎉'), true],
    ];
    for (const [offer, taken] of offered) assert.equal(await timeline.add(offer), taken, offer.event_id);
    assert.deepEqual(shown(timeline.items()), [
      { id: ROOT, body: 'root', reactions: [{ key: '🎉', count: 1 }] },
      { id: '$1', body: 'first!', edited: true, reactions: [{ key: '👍', count: 1 }] },
      { id: '$2', body: '', kind: 'deleted' },
    ]);
  });

  it('knows an encrypted reply by its relation in the clear, and decrypts it', async () => {
    const timeline = new RoomTimeline(thread([text(ROOT, 'root')]), { me: ME, thread: ROOT });
    await timeline.open();
    const relates = {
      rel_type: 'm.thread',
      event_id: ROOT,
      is_falling_back: true,
      'm.in_reply_to': { event_id: ROOT },
    };
    const encrypted = (id: string, relation: Record<string, unknown>) =>
      event(id, 'm.room.encrypted', { algorithm: 'm.megolm.v1.aes-sha2', 'm.relates_to': relation });
    assert.equal(await timeline.add(encrypted('$1', relates)), true);
    assert.equal(await timeline.add(encrypted('$2', { ...relates, event_id: '$other' })), false);
    assert.deepEqual(shown(timeline.items()).at(-1), { id: '$1', body: 'clear' });
  });

  it('in the room view, takes every event as before', async () => {
    const timeline = new RoomTimeline(thread([text(ROOT, 'root')]), { me: ME });
    await timeline.open();
    assert.equal(await timeline.add(inThread('$1', 'first')), true);
    assert.equal(await timeline.add(text('$2', 'in the room')), true);
    assert.equal(timeline.size, 3);
  });
});
