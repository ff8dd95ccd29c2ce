import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMatrixChannelError } from '../../../src/core/errors.ts';
import { encryptedAtServer } from '../../../src/core/sync/room-requests.ts';

/** A homeserver that answers the room's encryption state with `status` and `body`. */
const answering = (status: number, body: unknown) => ({
  homeserver: 'https://hs.example',
  fetch: ((input: string | URL | Request) => {
    assert.match(
      input instanceof Request ? input.url : input.toString(),
      /\/rooms\/!r%3Ahs\/state\/m\.room\.encryption\/$/,
    );
    return Promise.resolve(new Response(JSON.stringify(body), { status }));
  }) as typeof fetch,
});

describe('whether the server says a room is encrypted', () => {
  it('its m.room.encryption state: encrypted', async () => {
    assert.equal(await encryptedAtServer(answering(200, { algorithm: 'm.megolm.v1.aes-sha2' }), '!r:hs'), true);
  });

  it('no such state (M_NOT_FOUND): not encrypted', async () => {
    assert.equal(await encryptedAtServer(answering(404, { errcode: 'M_NOT_FOUND' }), '!r:hs'), false);
  });

  it('any other answer is no answer: an error, never "not encrypted"', async () => {
    for (const [status, body] of [
      [500, {}],
      [403, { errcode: 'M_FORBIDDEN' }],
      [404, { errcode: 'M_UNRECOGNIZED' }],
    ] as const)
      await assert.rejects(encryptedAtServer(answering(status, body), '!r:hs'), (error: unknown) =>
        isMatrixChannelError(error),
      );
  });
});
