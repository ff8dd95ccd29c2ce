/**
 * Media for the room view against the bed's Synapse: a real PNG uploaded by a user comes back through authenticated
 * media (Matrix v1.11) with the user's session, as a thumbnail and byte for byte; the server refuses the same
 * request without a token (so the authenticated endpoint is the one used); an encrypted attachment's ciphertext
 * comes back as uploaded and decrypts to the image.
 */
import assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { MatrixChannelError } from '../../../src/core/errors.ts';
import { decryptAttachment, parseEncryptedFile } from '../../../src/core/media/encrypted-attachment.ts';
import { fetchMedia, fetchThumbnail, inlineImageType } from '../../../src/core/media/media-download.ts';
import { parseMxc, type Mxc } from '../../../src/core/media/mxc.ts';
import type { RoomRequester } from '../../../src/core/sync/room-requests.ts';
import { solidPng } from '../../../scripts/png.mjs';
import { HOMESERVERS, userOn, userSession } from './live-support.ts';
import { CapturedLog } from './support.ts';

const synapse = HOMESERVERS[0]!;

/** A PNG's width and height, from its IHDR. */
function pngSize(bytes: Uint8Array): [number, number] {
  const view = Buffer.from(bytes);
  return [view.readUInt32BE(16), view.readUInt32BE(20)];
}

async function upload(token: string, bytes: Uint8Array, contentType: string): Promise<Mxc> {
  const response = await fetch(`${synapse.baseUrl}/_matrix/media/v3/upload?filename=picture`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body: bytes,
  });
  const answer = (await response.json()) as { content_uri?: string };
  assert.equal(response.status, 200, JSON.stringify(answer));
  const mxc = parseMxc(answer.content_uri);
  assert.ok(mxc, `an mxc URI: ${answer.content_uri}`);
  assert.equal(mxc.serverName, synapse.serverName);
  return mxc;
}

/** A user of the bed's Synapse, with the session a live channel would have and a requester over it. */
async function signedInUser(): Promise<{ token: string; requester: RoomRequester; paths: string[] }> {
  const user = await userOn(synapse);
  const paths: string[] = [];
  const recording: typeof fetch = (input, init) => {
    paths.push(new URL(input instanceof Request ? input.url : input).pathname);
    return fetch(input, init);
  };
  const session = userSession(user, 'media-test', new CapturedLog(), recording);
  return { token: user.accessToken, requester: { homeserver: synapse.baseUrl, fetch: session.fetch }, paths };
}

describe('core: media of the room view (Synapse)', () => {
  it('loads an uploaded image as a thumbnail and as uploaded, with the token only', async () => {
    const { token, requester, paths } = await signedInUser();
    const png = new Uint8Array(solidPng(64, 48, [200, 30, 60])); // deepEqual tells a Buffer from a Uint8Array
    const mxc = await upload(token, png, 'image/png');

    const thumbnail = await fetchThumbnail(requester, mxc, { width: 32, height: 32, method: 'crop' });
    assert.equal(thumbnail.mimetype, 'image/png');
    assert.equal(inlineImageType(thumbnail.mimetype, thumbnail.bytes), 'image/png');
    assert.deepEqual(pngSize(thumbnail.bytes), [32, 32], 'cropped to the size asked for');

    const original = await fetchMedia(requester, mxc, { maxBytes: 1024 * 1024 });
    assert.deepEqual(original, { bytes: png, mimetype: 'image/png' });

    await assert.rejects(
      fetchMedia(requester, mxc, { maxBytes: png.length - 1 }),
      (error: unknown) => error instanceof MatrixChannelError && error.code === 'M_TOO_LARGE',
    );

    const media = `${mxc.serverName}/${mxc.mediaId}`;
    assert.deepEqual(paths, [
      `/_matrix/client/v1/media/thumbnail/${media}`,
      `/_matrix/client/v1/media/download/${media}`,
      `/_matrix/client/v1/media/download/${media}`,
    ]);

    // The same requests without the token are refused: the authenticated endpoint is what answered above.
    const anonymous = await fetch(
      `${synapse.baseUrl}/_matrix/client/v1/media/download/${mxc.serverName}/${mxc.mediaId}`,
    );
    assert.deepEqual(
      [anonymous.status, ((await anonymous.json()) as { errcode?: string }).errcode],
      [401, 'M_MISSING_TOKEN'],
    );
    await assert.rejects(
      fetchThumbnail({ homeserver: synapse.baseUrl, fetch }, mxc, { width: 32, height: 32, method: 'crop' }),
      (error: unknown) =>
        error instanceof MatrixChannelError &&
        error.kind === 'session_expired' &&
        error.reason === 'The image could not be loaded: the homeserver refused the request (M_MISSING_TOKEN).',
    );
  });

  it('gives back an encrypted attachment as uploaded, which decrypts to the image', async () => {
    const { token, requester } = await signedInUser();
    const png = new Uint8Array(solidPng(16, 16, [0, 120, 255]));
    const key = randomBytes(32);
    const iv = Buffer.concat([randomBytes(8), Buffer.alloc(8)]);
    const cipher = createCipheriv('aes-256-ctr', key, iv);
    const ciphertext = new Uint8Array(Buffer.concat([cipher.update(png), cipher.final()]));
    const mxc = await upload(token, ciphertext, 'application/octet-stream');
    const file = parseEncryptedFile({
      url: `mxc://${mxc.serverName}/${mxc.mediaId}`,
      key: { kty: 'oct', alg: 'A256CTR', k: key.toString('base64url'), key_ops: ['encrypt', 'decrypt'], ext: true },
      iv: iv.toString('base64').replace(/=+$/, ''),
      hashes: { sha256: createHash('sha256').update(ciphertext).digest('base64').replace(/=+$/, '') },
      v: 'v2',
    });
    assert.ok(file);

    const downloaded = await fetchMedia(requester, file.mxc, { maxBytes: 1024 * 1024 });
    assert.deepEqual(downloaded.bytes, ciphertext);
    assert.deepEqual(decryptAttachment(downloaded.bytes, file), png);
  });
});
