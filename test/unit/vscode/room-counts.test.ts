/**
 * Counts of rooms in words: one room and several rooms are messages of their own, and a translation reaches both
 * (the message with a placeholder is looked up with its note for translators, as VS Code keys it).
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { bundleKey, formatMessage, setTranslator } from '../../../src/core/l10n.ts';
import {
  roomCountText,
  roomsWithUnreadText,
  unreadBadgeTooltip,
  unreadRoomsText,
} from '../../../src/vscode/room-counts.ts';

describe('room counts in words', () => {
  afterEach(() => setTranslator(undefined));

  it('says "room" for one and "rooms" for more, wherever a count of rooms shows', () => {
    const table: Array<[(rooms: number) => string, string, string]> = [
      [unreadRoomsText, '1 room unread', '3 rooms unread'],
      [roomCountText, '1 room', '3 rooms'],
      [roomsWithUnreadText, '1 room with unread messages', '3 rooms with unread messages'],
      [unreadBadgeTooltip, '1 Matrix room with unread messages', '3 Matrix rooms with unread messages'],
    ];
    for (const [words, one, three] of table) {
      assert.equal(words(1), one);
      assert.equal(words(3), three);
    }
  });

  it('finds the translations of both forms, the plural one by its key with the note for translators', () => {
    const german: Record<string, string> = {
      '1 room': '1 Raum',
      [bundleKey('{0} rooms', ["In an account's tooltip: {0} is the number of rooms it has joined, 2 or more"])]:
        '{0} Räume',
    };
    setTranslator((message, args, comment) => formatMessage(german[bundleKey(message, comment)] ?? message, args));
    assert.equal(roomCountText(1), '1 Raum');
    assert.equal(roomCountText(2), '2 Räume');
  });
});
