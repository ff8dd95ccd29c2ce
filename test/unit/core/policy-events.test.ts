/** The message policy by event: what it ignores, mentions, and encrypted events. */
import { describe, it } from 'node:test';
import { DM, expectDecision, FRIEND, ME, MENTIONED, START, UNMENTIONED, type Overrides } from './policy-fixture.ts';

describe('decideMessage: ignored events', () => {
  const rows: Array<[string, Overrides, string]> = [
    ['our own message', { event: { sender: ME } }, 'own message'],
    ['our own message, differently cased', { event: { sender: '@Me:EXAMPLE.org' } }, 'own message'],
    ['our own message in a DM', { event: { sender: ME }, room: DM }, 'own message'],
    ['history from before start', { event: { originServerTs: START - 1 } }, 'history before start'],
    ['an event without a usable timestamp', { event: { originServerTs: Number.NaN } }, 'history before start'],
    ['a state event', { event: { type: 'm.room.member', content: { membership: 'join' } } }, 'not a message'],
    ['a reaction', { event: { type: 'm.reaction', content: {} } }, 'not a message'],
    ['an event of another room', { event: { roomId: '!elsewhere:example.org' } }, 'event is from another room'],
    ['a redacted message', { event: { content: {} } }, 'empty or redacted message'],
    [
      'an edit',
      { event: { content: { ...MENTIONED, 'm.relates_to': { rel_type: 'm.replace', event_id: '$e' } } } },
      'edit of an earlier message',
    ],
    [
      'an encrypted edit (relations stay in cleartext)',
      {
        event: {
          type: 'm.room.encrypted',
          content: { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: 'x', 'm.relates_to': { rel_type: 'm.replace' } },
        },
      },
      'edit of an earlier message',
    ],
  ];
  for (const [name, overrides, reason] of rows) {
    it(`drops ${name}: ${reason}`, () => expectDecision(overrides, false, reason));
  }

  it('delivers an event sent exactly at start, and a reply (not an edit)', () => {
    expectDecision({ event: { originServerTs: START } }, true, 'room message (mention mode always)');
    const reply = { ...UNMENTIONED, 'm.relates_to': { 'm.in_reply_to': { event_id: '$e' } } };
    expectDecision({ event: { content: reply } }, true, 'room message (mention mode always)');
  });
});

describe('decideMessage: mentions (mention_mode mention, open room)', () => {
  const text = (body: unknown, extra: Record<string, unknown> = {}) => ({ msgtype: 'm.text', body, ...extra });
  const rows: Array<[string, Record<string, unknown>, boolean, string, boolean?]> = [
    ['m.mentions.user_ids has us', text('look', { 'm.mentions': { user_ids: [ME] } }), true, 'mentioned (m.mentions)'],
    [
      'm.mentions.user_ids has us, differently cased',
      text('x', { 'm.mentions': { user_ids: ['@ME:Example.ORG'] } }),
      true,
      'mentioned (m.mentions)',
    ],
    ['m.mentions.room', text('x', { 'm.mentions': { room: true } }), true, 'room mention (m.mentions)'],
    ['m.mentions.room not exactly true', text('x', { 'm.mentions': { room: 'true' } }), false, 'not mentioned'],
    ['m.mentions.user_ids not a list', text('x', { 'm.mentions': { user_ids: ME } }), false, 'not mentioned'],
    [
      'm.mentions of others, our MXID in the body',
      text(`cc ${ME}`, { 'm.mentions': { user_ids: ['@x:example.org'] } }),
      false,
      'not mentioned',
    ],
    ['empty m.mentions, @room in the body', text('@room deploy!', { 'm.mentions': {} }), false, 'not mentioned'],
    ['m.mentions null, our MXID in the body', text(`hi ${ME}`, { 'm.mentions': null }), false, 'not mentioned'],
    ['no m.mentions, our MXID in the body', text(`hey ${ME}, look`), true, 'mentioned in the body (no m.mentions)'],
    [
      'no m.mentions, our MXID cased differently',
      text('HEY @ME:EXAMPLE.ORG'),
      true,
      'mentioned in the body (no m.mentions)',
    ],
    ['no m.mentions, our MXID ending a sentence', text(`ask ${ME}.`), true, 'mentioned in the body (no m.mentions)'],
    ['no m.mentions, our MXID as the whole body', text(ME), true, 'mentioned in the body (no m.mentions)'],
    ['no m.mentions, a longer server name', text(`${ME}.uk`), false, 'not mentioned'],
    ['no m.mentions, our MXID with a port', text(`${ME}:8448`), false, 'not mentioned'],
    ['no m.mentions, our MXID glued to a word', text(`x${ME}`), false, 'not mentioned'],
    ['no m.mentions, the localpart without @', text('me:example.org'), false, 'not mentioned'],
    ['no m.mentions, @room', text('ping @room please'), true, '@room in the body (no m.mentions)'],
    ['no m.mentions, @Room', text('@Room: release'), true, '@room in the body (no m.mentions)'],
    ['no m.mentions, @roommate', text('hi @roommate'), false, 'not mentioned'],
    ['no m.mentions, nothing', text('hello'), false, 'not mentioned'],
    ['no m.mentions, body not text', text(42), false, 'not mentioned'],
    [
      'm.mentions.room without permission',
      text('x', { 'm.mentions': { room: true } }),
      false,
      'not mentioned (@room needs notification permission)',
      false,
    ],
    [
      '@room in the body without permission',
      text('@room'),
      false,
      'not mentioned (@room needs notification permission)',
      false,
    ],
    ['@room in the body with permission', text('@room'), true, '@room in the body (no m.mentions)', true],
    [
      'user mention, no @room permission needed',
      text('x', { 'm.mentions': { user_ids: [ME] } }),
      true,
      'mentioned (m.mentions)',
      false,
    ],
  ];
  for (const [name, content, deliver, reason, senderMayNotifyRoom] of rows) {
    it(`${name}: ${reason}`, () => {
      const overrides: Overrides = { config: { mentionMode: 'mention' }, event: { content } };
      if (senderMayNotifyRoom !== undefined) overrides.senderMayNotifyRoom = senderMayNotifyRoom;
      expectDecision(overrides, deliver, reason);
    });
  }
});

describe('decideMessage: encrypted events are decided like messages', () => {
  const encrypted = {
    type: 'm.room.encrypted',
    content: { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: 'AwgA…', session_id: 's' },
  };
  const rows: Array<[string, Overrides, boolean, string]> = [
    ['in an open DM', { room: DM }, true, 'DM (policy open)'],
    [
      'in a DM from an allowed user',
      { room: DM, config: { dmPolicy: 'allowlist', userAllowlist: [FRIEND] } },
      true,
      'DM from an allowed user',
    ],
    ['in a disabled DM', { room: DM, config: { dmPolicy: 'disabled' } }, false, 'DMs disabled'],
    ['in a room, mention mode always', {}, true, 'room message (mention mode always)'],
    [
      'in a room, mention mode mention',
      { config: { mentionMode: 'mention' } },
      false,
      'not mentioned (encrypted: mentions unreadable)',
    ],
    [
      'in a room, mention mode none',
      { config: { mentionMode: 'none' } },
      false,
      'room messages off (mention mode none)',
    ],
    [
      'in a room not on the allowlist',
      { config: { roomPolicy: 'allowlist', roomAllowlist: ['!x:example.org'] } },
      false,
      'room not in the allowlist',
    ],
  ];
  for (const [name, overrides, deliver, reason] of rows) {
    it(`${name}: ${reason}`, () => expectDecision({ ...overrides, event: encrypted }, deliver, reason));
  }
});
