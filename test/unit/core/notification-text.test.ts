import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchPriority, MessageBatcher, type MessageBatch } from '../../../src/core/notify/message-batcher.ts';
import {
  codeBlock,
  encryptedPreview,
  MAX_PREVIEW,
  matrixToLink,
  notificationText,
  preview,
  stripReplyFallback,
} from '../../../src/core/notify/notification-text.ts';
import type { ChannelMessage } from '../../../src/core/sync/channel-sync.ts';

const message = (extra: Partial<ChannelMessage> = {}): ChannelMessage => ({
  accountId: 'acc',
  roomId: '!dev:hs',
  roomName: '#dev',
  eventId: `$${Math.random()}`,
  sender: '@bob:hs',
  senderName: 'Bob',
  body: 'hello',
  encrypted: false,
  isDirect: false,
  ts: 0,
  ...extra,
});
const batch = (messages: ChannelMessage[]): MessageBatch => ({
  accountId: 'acc',
  roomId: messages[0]!.roomId,
  roomName: messages[0]!.roomName,
  isDirect: messages[0]!.isDirect,
  messages,
});

describe('notification text', () => {
  const cases: Array<[string, MessageBatch, string]> = [
    ['one message', batch([message()]), 'Bob in #dev: hello'],
    ['a direct message', batch([message({ isDirect: true, roomName: 'Bob' })]), 'Bob (direct message): hello'],
    [
      'several',
      batch([message({ body: 'a' }), message({ body: 'b', senderName: 'Carol' })]),
      '2 new messages in #dev — latest from Carol: b',
    ],
    [
      'several direct',
      batch([message({ isDirect: true }), message({ isDirect: true, body: 'b' })]),
      '2 new messages from Bob — latest from Bob: b',
    ],
    [
      'encrypted',
      batch([message({ encrypted: true, body: "Encrypted message: waiting for the key from Bob's device." })]),
      "Bob in #dev: Encrypted message: waiting for the key from Bob's device.",
    ],
    [
      'encrypted, without a reason',
      batch([message({ encrypted: true, body: '' })]),
      `Bob in #dev: ${encryptedPreview()}`,
    ],
    ['a mention', batch([message({ mentionsMe: true, body: 'look' })]), 'Bob mentioned you in #dev: look'],
    [
      'several, one a mention',
      batch([message({ body: 'a', mentionsMe: true }), message({ body: 'b' })]),
      '2 new messages in #dev (1 mentions you) — latest from Bob: b',
    ],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.equal(notificationText(input), expected));

  it('names the account when asked to (more than one is signed in)', () => {
    assert.equal(notificationText(batch([message()]), 'Work'), 'Bob in #dev: hello (Work)');
  });

  it('folds whitespace and shortens long text to one line', () => {
    assert.equal(preview('a\n\n  b\tc'), 'a b c');
    const long = preview('x'.repeat(500));
    assert.equal(long.length, 200);
    assert.ok(long.endsWith('…'));
  });

  it('does not cut a surrogate pair in half', () => {
    const text = preview('😀'.repeat(300), 10);
    assert.equal([...text].length, 10);
    assert.ok(!/[\uD800-\uDBFF]…$/.test(text));
  });

  it('shows an emote as "* name does …", in a room, a DM and a batch', () => {
    const wave = message({ kind: 'emote', body: 'waves' });
    assert.equal(notificationText(batch([wave])), '#dev: * Bob waves');
    assert.equal(notificationText(batch([{ ...wave, isDirect: true }])), '* Bob waves (direct message)');
    assert.equal(notificationText(batch([message(), wave])), '2 new messages in #dev — latest: * Bob waves');
  });

  it('marks a notice as from a bot', () => {
    const notice = message({ kind: 'notice', senderName: 'CI', body: 'build passed' });
    assert.equal(notificationText(batch([notice])), 'CI (bot) in #dev: build passed');
    assert.equal(notificationText(batch([{ ...notice, isDirect: true }])), 'CI (bot, direct message): build passed');
    assert.equal(
      notificationText(batch([message(), notice])),
      '2 new messages in #dev — latest from CI (bot): build passed',
    );
  });

  it('an encrypted event is never an emote', () => {
    const hidden = message({ kind: 'emote', encrypted: true, body: 'encrypted message' });
    assert.equal(notificationText(batch([hidden])), `Bob in #dev: ${encryptedPreview()}`);
  });

  it('shows hostile names and bodies as text: no link, one line, shortened', () => {
    const hostile = message({
      senderName: '[Bob](command:workbench.action.quit)',
      roomName: '$(bug) de\u202Ev [x](file:///etc/passwd)',
      body: '[Click](https://evil.example "t")\n<img src=x onerror=alert(1)> <command:x>',
    });
    assert.equal(
      notificationText(batch([hostile])),
      '[Bob] (command:workbench.action.quit) in $(bug) dev [x] (file:///etc/passwd): ' +
        '[Click] (https://evil.example "t") <img src=x onerror=alert(1)> <command:x>',
    );
    const long = message({ senderName: 'S'.repeat(300), roomName: 'R'.repeat(300), body: 'B'.repeat(5_000) });
    assert.equal(
      notificationText(batch([long])),
      `${'S'.repeat(63)}… in ${'R'.repeat(63)}…: ${'B'.repeat(MAX_PREVIEW - 1)}…`,
    );
  });

  it('leaves no link in any notification built from link-shaped pieces', () => {
    const pieces = ['[x]', '(command:a)', '[x](command:a)', 'x](command:a', '[x', ']', '('];
    const link = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;
    for (const senderName of pieces)
      for (const roomName of pieces)
        for (const body of pieces)
          for (const extra of [{}, { kind: 'emote' as const }, { kind: 'notice' as const }, { isDirect: true }]) {
            const one = batch([message({ senderName, roomName, body, ...extra })]);
            const two = batch([message(extra), message({ senderName, roomName, body, ...extra })]);
            for (const text of [notificationText(one), notificationText(two)]) assert.doesNotMatch(text, link);
          }
  });

  it('names the sender and room by ID when their names show nothing', () => {
    assert.equal(
      notificationText(batch([message({ senderName: '\u200B\u202E', roomName: '\uFEFF' })])),
      '@bob:hs in !dev:hs: hello',
    );
  });

  it('strips the quoted reply fallback, and only a real one', () => {
    assert.equal(stripReplyFallback('> <@alice:hs> question\n> more\n\nthe answer'), 'the answer');
    assert.equal(stripReplyFallback('> a quote without a blank line\nnext'), '> a quote without a blank line\nnext');
    assert.equal(stripReplyFallback('plain'), 'plain');
  });

  it('links a room and an event on matrix.to, encoded', () => {
    assert.equal(matrixToLink('!r:hs.org', '$e/1'), 'https://matrix.to/#/!r%3Ahs.org/%24e%2F1');
    assert.equal(matrixToLink('#dev:hs.org'), 'https://matrix.to/#/%23dev%3Ahs.org');
  });
});

describe('code block of a selection', () => {
  it('fences the code with its language and escapes the HTML twin', () => {
    const { text, html } = codeBlock('if (a < b) {}\n', 'typescript', 'app.ts, line 3:');
    assert.equal(text, 'app.ts, line 3:\n```typescript\nif (a < b) {}\n```');
    assert.equal(html, '<p>app.ts, line 3:</p><pre><code class="language-typescript">if (a &lt; b) {}\n</code></pre>');
  });

  it('uses a longer fence when the code holds backticks, and no language for plain text or odd ids', () => {
    assert.equal(codeBlock('a ``` b', 'plaintext').text, '````\na ``` b\n````');
    assert.equal(codeBlock('x', 'bad"lang').text, '```\nx\n```');
  });
});

/**
 * Waits `ms`, then one turn more: batches that close in one turn are shown on the next (by importance), and under
 * load this wait's timer can fire in the same turn as theirs.
 */
const settled = (ms: number) =>
  new Promise((resolve) => setTimeout(resolve, ms)).then(() => new Promise((resolve) => setImmediate(resolve)));

describe('message batcher', () => {
  it("batches a room's messages that arrive together, rooms apart, and shows a lone message after the window", async () => {
    const flushed: MessageBatch[] = [];
    const batcher = new MessageBatcher({ windowMs: 40, flush: (b) => flushed.push(b) });
    batcher.add(message({ body: '1' }));
    batcher.add(message({ body: '2' }));
    batcher.add(message({ body: 'other', roomId: '!ops:hs', roomName: '#ops' }));
    assert.equal(flushed.length, 0);
    await settled(80);
    assert.deepEqual(
      flushed.map((b) => [b.roomName, b.messages.map((m) => m.body)]),
      [
        ['#dev', ['1', '2']],
        ['#ops', ['other']],
      ],
    );
    batcher.add(message({ body: '3' }));
    await settled(80);
    assert.deepEqual(
      flushed[2]?.messages.map((m) => m.body),
      ['3'],
    );
  });

  it('a burst keeps its batch open while it lasts (each message restarts the quiet window), up to the cap', async () => {
    const flushed: MessageBatch[] = [];
    const batcher = new MessageBatcher({ windowMs: 300, maxWaitMs: 1_000, flush: (b) => flushed.push(b) });
    batcher.add(message({ body: 'a' }));
    await settled(150);
    batcher.add(message({ body: 'b' })); // the window of 'a' alone would close at 300 ms, that of 'b' at 450
    await settled(200);
    assert.equal(flushed.length, 0, 'still open 350 ms in: the room was never quiet for 300 ms');
    await settled(350);
    assert.deepEqual(
      flushed.map((b) => b.messages.map((m) => m.body)),
      [['a', 'b']],
    );

    // A room that never goes quiet is shown at the cap anyway.
    const started = Date.now();
    const ticker = setInterval(() => batcher.add(message({ body: 'tick' })), 50);
    batcher.add(message({ body: 'tick' }));
    await settled(1_400);
    clearInterval(ticker);
    batcher.dispose();
    assert.ok(flushed.length >= 2, 'a batch closed while the room kept talking');
    assert.ok(flushed[1]!.messages.length > 3);
    assert.ok(Date.now() - started >= 1_000);
  });

  it('shows batches that close together most important first: a mention, then a direct message, then the rest', async () => {
    const flushed: MessageBatch[] = [];
    const batcher = new MessageBatcher({ windowMs: 20, flush: (b) => flushed.push(b) });
    // One sync response: chatter first, then a DM, another room, a mention, and one more DM.
    batcher.add(message({ body: 'chatter', roomId: '!dev:hs', roomName: '#dev' }));
    batcher.add(message({ body: 'hi', roomId: '!bob:hs', roomName: 'Bob', isDirect: true }));
    batcher.add(message({ body: 'deploys', roomId: '!ops:hs', roomName: '#ops' }));
    batcher.add(message({ body: '@me look', roomId: '!team:hs', roomName: '#team', mentionsMe: true }));
    batcher.add(message({ body: 'hey', roomId: '!carol:hs', roomName: 'Carol', isDirect: true }));
    await settled(60);
    assert.deepEqual(
      flushed.map((b) => [b.roomName, batchPriority(b)]),
      [
        ['#team', 0],
        ['Bob', 1],
        ['Carol', 1],
        ['#dev', 2],
        ['#ops', 2],
      ],
    );
  });

  it("drops open batches of an account on dispose, and only that account's", async () => {
    const flushed: MessageBatch[] = [];
    const batcher = new MessageBatcher({ windowMs: 20, flush: (b) => flushed.push(b) });
    batcher.add(message({ accountId: 'gone' }));
    batcher.add(message({ accountId: 'stays' }));
    batcher.dispose('gone');
    await settled(50);
    assert.deepEqual(
      flushed.map((b) => b.accountId),
      ['stays'],
    );
  });
});
