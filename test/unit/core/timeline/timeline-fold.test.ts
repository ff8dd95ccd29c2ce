/**
 * The room view's messages from a room's events: text kinds, media, edits (latest wins, only the sender's),
 * reactions counted (redacted ones not), thread replies counted under their root and kept out of the main
 * timeline, redactions as "deleted", replies with their parent's latest text and without the quoted fallback,
 * undecryptable events with their reason, formatted bodies only through the sanitizer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldTimeline } from '../../../../src/core/timeline/timeline-fold.ts';
import type { RoomEvent } from '../../../../src/core/timeline/timeline-item.ts';

const ME = '@me:example.org';
const BOB = '@bob:example.org';
let clock = 1_000;

function event(id: string, type: string, content: Record<string, unknown>, sender = BOB): RoomEvent {
  clock += 1_000;
  return { event_id: id, type, sender, origin_server_ts: clock, content };
}
const text = (id: string, body: string, sender = BOB, extra: Record<string, unknown> = {}) =>
  event(id, 'm.room.message', { msgtype: 'm.text', body, ...extra }, sender);
const edit = (id: string, target: string, body: string, sender = BOB) =>
  event(
    id,
    'm.room.message',
    {
      msgtype: 'm.text',
      body: `* ${body}`,
      'm.new_content': { msgtype: 'm.text', body },
      'm.relates_to': { rel_type: 'm.replace', event_id: target },
    },
    sender,
  );
const react = (id: string, target: string, key: string, sender = BOB) =>
  event(id, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: target, key } }, sender);
const redact = (id: string, target: string) => ({ ...event(id, 'm.room.redaction', {}), redacts: target });
const fold = (events: RoomEvent[]) => foldTimeline(events, { me: ME });

describe('the room view folds events into messages', () => {
  it("marks the messages that mention the account, by the notifications' rule; never its own", () => {
    const items = fold([
      text('$1', 'for you', BOB, { 'm.mentions': { user_ids: [ME] } }),
      text('$2', `ping ${ME}, please`),
      text('$3', `${ME} says ${ME}`, ME),
      text('$4', 'everyone', BOB, { 'm.mentions': { room: true } }),
      text('$5', `not ${ME}.uk`),
      text('$6', `listed but not meant: ${ME}`, BOB, { 'm.mentions': {} }),
    ]);
    assert.deepEqual(
      items.map((item) => item.mentionsMe ?? false),
      [true, true, false, false, false, false],
    );
  });

  it('shows text, emotes, notices and media as what they are', () => {
    const items = fold([
      text('$1', 'hello'),
      event('$2', 'm.room.message', { msgtype: 'm.emote', body: 'waves' }),
      event('$3', 'm.room.message', { msgtype: 'm.notice', body: 'build green' }),
      event('$4', 'm.room.message', {
        msgtype: 'm.image',
        body: 'cat.png',
        url: 'mxc://example.org/cat',
        info: { mimetype: 'image/png' },
      }),
      event('$5', 'm.room.message', { msgtype: 'm.file', body: 'log.txt', url: 'mxc://example.org/log' }),
      event('$6', 'm.room.member', { membership: 'join' }),
    ]);
    assert.deepEqual(
      items.map((item) => [item.kind, item.body, item.media?.url]),
      [
        ['text', 'hello', undefined],
        ['emote', 'waves', undefined],
        ['notice', 'build green', undefined],
        ['image', 'cat.png', 'mxc://example.org/cat'],
        ['file', 'log.txt', 'mxc://example.org/log'],
      ],
    );
    assert.equal(items[3]!.media?.mimetype, 'image/png');
  });

  it("describes media for the view: name, type, size, an image's dimensions; an encrypted room's file too", () => {
    const items = fold([
      event('$1', 'm.room.message', {
        msgtype: 'm.image',
        body: 'look at this',
        filename: 'cat.png',
        url: 'mxc://example.org/cat',
        info: { mimetype: 'image/png', size: 2048, w: 640, h: 480 },
      }),
      event('$2', 'm.room.message', {
        msgtype: 'm.file',
        body: 'secret.pdf',
        file: { url: 'mxc://example.org/enc', key: {}, iv: '', hashes: {}, v: 'v2' },
        info: { size: -1, w: 10 },
      }),
      event('$3', 'm.room.message', { msgtype: 'm.image', body: 'no address' }),
    ]);
    assert.deepEqual(
      items.map((item) => [item.kind, item.media]),
      [
        [
          'image',
          {
            url: 'mxc://example.org/cat',
            name: 'cat.png',
            mimetype: 'image/png',
            size: 2048,
            width: 640,
            height: 480,
            thumbnail: true,
          },
        ],
        ['file', { url: 'mxc://example.org/enc', name: 'secret.pdf' }],
        ['text', undefined],
      ],
    );
  });

  it('applies the latest edit by the sender; edits by others and edits of deleted messages are ignored', () => {
    const items = fold([
      text('$1', 'helo'),
      edit('$2', '$1', 'hello'),
      edit('$3', '$1', 'hello!'),
      edit('$4', '$1', 'pwned', '@mallory:example.org'),
      text('$5', 'gone'),
      redact('$6', '$5'),
      edit('$7', '$5', 'back from the dead'),
    ]);
    assert.deepEqual(
      items.map((item) => [item.eventId, item.kind, item.body, item.edited]),
      [
        ['$1', 'text', 'hello!', true],
        ['$5', 'deleted', '', false],
      ],
    );
  });

  it('an edit without formatting leaves no trace of the formatted original', () => {
    const formatted = { format: 'org.matrix.custom.html', formatted_body: '<b>bold</b>' };
    const [item] = foldTimeline([text('$1', 'bold', BOB, formatted), edit('$2', '$1', 'plain')], {
      me: ME,
      sanitize: (html) => html,
    });
    assert.deepEqual([item?.body, item?.html, item?.edited], ['plain', undefined, true]);
  });

  it('counts reactions per key, knows mine, and forgets redacted ones', () => {
    const items = fold([
      text('$1', 'ship it?'),
      react('$2', '$1', '👍'),
      react('$3', '$1', '👍', ME),
      react('$4', '$1', '👍', BOB),
      react('$5', '$1', '🎉', '@carol:example.org'),
      redact('$6', '$5'),
      react('$7', '$1', '👀', ME),
    ]);
    assert.deepEqual(items[0]!.reactions, [
      { key: '👍', count: 2, mine: '$3' },
      { key: '👀', count: 1, mine: '$7' },
    ]);
  });

  it('counts thread replies under their root and keeps them out of the main timeline', () => {
    const thread = (id: string) =>
      text(id, 'in thread', BOB, {
        'm.relates_to': {
          rel_type: 'm.thread',
          event_id: '$1',
          is_falling_back: true,
          'm.in_reply_to': { event_id: '$1' },
        },
      });
    const items = fold([text('$1', 'root'), thread('$2'), thread('$3'), text('$4', 'after')]);
    assert.deepEqual(
      items.map((item) => [item.eventId, item.threadReplies]),
      [
        ['$1', 2],
        ['$4', 0],
      ],
    );
  });

  it("a reply shows its parent's latest text, without the quoted fallback in its own", () => {
    const items = fold([
      text('$1', 'is the build green?'),
      edit('$2', '$1', 'is the main build green?'),
      text('$3', `> <${BOB}> is the build green?\n\nyes`, ME, {
        'm.relates_to': { 'm.in_reply_to': { event_id: '$1' } },
      }),
      text('$4', 'and this?', ME, { 'm.relates_to': { 'm.in_reply_to': { event_id: '$0' } } }),
    ]);
    assert.deepEqual(items[1]!.replyTo, { eventId: '$1', sender: BOB, body: 'is the main build green?' });
    assert.equal(items[1]!.body, 'yes');
    assert.equal(items[1]!.mine, true);
    assert.deepEqual(items[2]!.replyTo, { eventId: '$0' }, 'a parent outside the window: its id only');
  });

  it('an undecryptable event says why; a redacted one is deleted however it arrives', () => {
    const items = fold([
      {
        ...event('$1', 'm.room.encrypted', { algorithm: 'm.megolm.v1.aes-sha2' }),
        undecryptable: 'waiting for the key',
      },
      { ...text('$2', ''), content: {}, unsigned: { redacted_because: { type: 'm.room.redaction' } } },
      { ...redact('$4', '$3'), redacts: undefined, content: { redacts: '$3' } },
      text('$3', 'oops'),
    ]);
    assert.deepEqual(
      items.map((item) => [item.kind, item.body]),
      [
        ['undecryptable', 'waiting for the key'],
        ['deleted', ''],
        ['deleted', ''],
      ],
    );
  });

  it('shows a formatted body only through the sanitizer', () => {
    const formatted = { format: 'org.matrix.custom.html', formatted_body: '<b>bold</b><script>x</script>' };
    assert.equal(fold([text('$1', 'bold', BOB, formatted)])[0]!.html, undefined);
    const sanitized = foldTimeline([text('$1', 'bold', BOB, formatted)], {
      me: ME,
      sanitize: (html) => html.replace(/<script>.*<\/script>/, ''),
    });
    assert.equal(sanitized[0]!.html, '<b>bold</b>');
  });
});
