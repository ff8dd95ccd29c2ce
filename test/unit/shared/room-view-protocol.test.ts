import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_COMPOSED, parseRoomViewMessage } from '../../../src/shared/room-view-protocol.ts';

const EVENT = '$abc:example.org';

describe('room view protocol: what the host accepts from the page', () => {
  const accepted: [string, unknown, unknown][] = [
    ['ready', { type: 'ready', extra: 1 }, { type: 'ready' }],
    ['load older', { type: 'loadOlder' }, { type: 'loadOlder' }],
    ['a send', { type: 'send', id: 3, text: 'hi' }, { type: 'send', id: 3, text: 'hi' }],
    [
      'a reply in a thread',
      { type: 'send', id: 3, text: 'hi', replyTo: EVENT, thread: '$root' },
      { type: 'send', id: 3, text: 'hi', replyTo: EVENT, thread: '$root' },
    ],
    ['an edit', { type: 'edit', id: 4, eventId: EVENT, text: 'x' }, { type: 'edit', id: 4, eventId: EVENT, text: 'x' }],
    ['a delete', { type: 'delete', eventId: EVENT }, { type: 'delete', eventId: EVENT }],
    ['a reaction', { type: 'react', eventId: EVENT, key: '🚀' }, { type: 'react', eventId: EVENT, key: '🚀' }],
    [
      'a word as a reaction',
      { type: 'react', eventId: EVENT, key: 'lgtm' },
      { type: 'react', eventId: EVENT, key: 'lgtm' },
    ],
    ['taking one back', { type: 'unreact', reactionId: EVENT }, { type: 'unreact', reactionId: EVENT }],
    ['a thumbnail', { type: 'thumbnail', eventId: EVENT }, { type: 'thumbnail', eventId: EVENT }],
    ['an avatar', { type: 'avatar', userId: '@bob:example.org' }, { type: 'avatar', userId: '@bob:example.org' }],
    ['opening a file', { type: 'openMedia', eventId: EVENT }, { type: 'openMedia', eventId: EVENT }],
    ['saving a file', { type: 'saveMedia', eventId: EVENT }, { type: 'saveMedia', eventId: EVENT }],
    ['the selection', { type: 'insertSelection' }, { type: 'insertSelection' }],
    ['a thread', { type: 'openThread', eventId: EVENT }, { type: 'openThread', eventId: EVENT }],
    ['back to the room', { type: 'closeThread' }, { type: 'closeThread' }],
  ];
  for (const [what, raw, parsed] of accepted)
    it(`takes ${what}`, () => assert.deepEqual(parseRoomViewMessage(raw), parsed));

  const refused: [string, unknown][] = [
    ['nothing', undefined],
    ['a string', 'send'],
    ['an unknown type', { type: 'eval', code: '1' }],
    ['a send without an id', { type: 'send', text: 'hi' }],
    ['a blank send', { type: 'send', id: 1, text: '  \n' }],
    ['a send past the limit', { type: 'send', id: 1, text: 'x'.repeat(MAX_COMPOSED + 1) }],
    ['a reply to no event', { type: 'send', id: 1, text: 'hi', replyTo: 'not an id' }],
    ['a thread that is no event', { type: 'send', id: 1, text: 'hi', thread: '$has space' }],
    ['an edit of no event', { type: 'edit', id: 1, eventId: 7, text: 'x' }],
    ['an empty reaction', { type: 'react', eventId: EVENT, key: '' }],
    ['a long reaction', { type: 'react', eventId: EVENT, key: 'x'.repeat(65) }],
    ['a thumbnail of a URL', { type: 'thumbnail', eventId: 'https://evil.example/x' }],
    ['an avatar of no user', { type: 'avatar', userId: 'bob' }],
    ['an avatar of a user with spaces', { type: 'avatar', userId: '@bob :example.org' }],
    ['opening a path', { type: 'openMedia', eventId: '/etc/passwd' }],
    ['a thread of no event', { type: 'openThread', eventId: '' }],
  ];
  for (const [what, raw] of refused) it(`refuses ${what}`, () => assert.equal(parseRoomViewMessage(raw), undefined));
});
