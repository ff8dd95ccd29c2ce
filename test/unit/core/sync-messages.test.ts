/** A timeline event as the message it becomes: its msgtype decides how a notification words it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHANNEL_DEFAULTS, type ChannelConfig } from '../../../src/core/channel/config.ts';
import { judgeMessage, type MessageInput } from '../../../src/core/sync/messages.ts';

const CONFIG: ChannelConfig = {
  ...CHANNEL_DEFAULTS,
  id: 'acc',
  homeserver: 'https://hs',
  dmPolicy: 'open',
  roomPolicy: 'open',
  mentionMode: 'always',
  roomAllowlist: [],
  userAllowlist: [],
};

/** How an encrypted event came out of the crypto: decrypted to `type`/`content`, or failed with a code. */
type Decryption = { clear: { type: string; content: Record<string, unknown> } } | { failure: string | null };

/** Just what judgeMessage reads of matrix-js-sdk's Room and MatrixEvent. */
function input(type: string, content: Record<string, unknown>, decryption?: Decryption): MessageInput {
  const room = {
    roomId: '!r:hs',
    name: 'Dev',
    currentState: { getStateEvents: () => null, mayTriggerNotifOfType: () => true },
    getJoinedMemberCount: () => 5,
    getInvitedMemberCount: () => 0,
    getCanonicalAlias: () => null,
    getAltAliases: () => [],
    getMember: () => ({ name: 'Bob' }),
  };
  const event = {
    getSender: () => '@bob:hs',
    getWireType: () => type,
    getWireContent: () => content,
    getType: () => (decryption && 'clear' in decryption ? decryption.clear.type : type),
    getContent: () => (decryption && 'clear' in decryption ? decryption.clear.content : content),
    isDecryptionFailure: () => Boolean(decryption && 'failure' in decryption),
    decryptionFailureReason: decryption && 'failure' in decryption ? decryption.failure : null,
    getTs: () => 10,
    getId: () => '$e',
    sender: null,
  };
  return {
    accountId: 'acc',
    ownUserId: '@me:hs',
    config: CONFIG,
    event: event as unknown as MessageInput['event'],
    room: room as unknown as MessageInput['room'],
    inDirectRooms: false,
    startedAt: 0,
  };
}

describe('message kind', () => {
  const cases: Array<[string, string, Record<string, unknown>, string | undefined]> = [
    ['text', 'm.room.message', { msgtype: 'm.text', body: 'hi' }, undefined],
    ['emote', 'm.room.message', { msgtype: 'm.emote', body: 'waves' }, 'emote'],
    ['notice', 'm.room.message', { msgtype: 'm.notice', body: 'build passed' }, 'notice'],
    ['an unknown msgtype', 'm.room.message', { msgtype: 'org.example.custom', body: 'x' }, undefined],
    ['encrypted (its msgtype is not readable)', 'm.room.encrypted', { msgtype: 'm.emote', algorithm: 'x' }, undefined],
  ];
  for (const [name, type, content, kind] of cases)
    it(`${name}: ${kind ?? 'no kind'}`, () => {
      const { message } = judgeMessage(input(type, content));
      assert.ok(message);
      assert.equal(message.kind, kind);
      assert.equal('kind' in message, kind !== undefined);
    });

  it('keeps the body and names as they came: escaping is for the place that shows them', () => {
    const { message } = judgeMessage(input('m.room.message', { msgtype: 'm.text', body: '[x](command:y)\n$(bug)' }));
    assert.equal(message?.body, '[x](command:y)\n$(bug)');
    assert.equal(message?.senderName, 'Bob');
  });
});

describe('an encrypted message', () => {
  const wire = { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: 'AwgA…' };

  it('decrypted: judged and shown as what was sent, its mentions read', () => {
    const clear = { msgtype: 'm.emote', body: 'waves at @me', 'm.mentions': { user_ids: ['@me:hs'] } };
    const { message } = judgeMessage(
      input('m.room.encrypted', wire, { clear: { type: 'm.room.message', content: clear } }),
    );
    assert.deepEqual(
      [message?.body, message?.kind, message?.encrypted, message?.mentionsMe],
      ['waves at @me', 'emote', false, true],
    );
  });

  const failures: Array<[string | null, RegExp]> = [
    ['MEGOLM_UNKNOWN_INBOUND_SESSION_ID', /^Encrypted message: waiting for the key from Bob's device\.$/],
    ['HISTORICAL_MESSAGE_NO_KEY_BACKUP', /sent before this device existed: verify this device with your recovery key/],
    ['HISTORICAL_MESSAGE_USER_NOT_JOINED', /sent before you joined the room/],
    ['MEGOLM_KEY_WITHHELD_FOR_UNVERIFIED_DEVICE', /does not share keys with unverified devices/],
    [null, /^Encrypted message that cannot be decrypted here\.$/],
  ];
  for (const [code, words] of failures)
    it(`not decrypted (${code ?? 'no code'}): says why`, () => {
      const { message } = judgeMessage(input('m.room.encrypted', wire, { failure: code }));
      assert.equal(message?.encrypted, true);
      assert.match(message?.body ?? '', words);
    });
});
