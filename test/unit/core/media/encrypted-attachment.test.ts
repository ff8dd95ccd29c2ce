/**
 * Attachments of encrypted rooms (src/core/media/encrypted-attachment.ts): what a sending client makes
 * (encryptAttachment below, as matrix-encrypt-attachment does it) decrypts to what was sent; a changed ciphertext
 * is refused before decrypting; an EncryptedFile of any other shape is not one.
 */
import assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { MatrixChannelError } from '../../../../src/core/errors.ts';
import { decryptAttachment, parseEncryptedFile } from '../../../../src/core/media/encrypted-attachment.ts';

const unpadded = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

/** What a sending client does: a random key, a random IV with a zero counter half, the ciphertext's hash. */
function encryptAttachment(plaintext: Uint8Array, url = 'mxc://example.org/encrypted1') {
  const key = randomBytes(32);
  const iv = Buffer.concat([randomBytes(8), Buffer.alloc(8)]);
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const file = {
    url,
    key: { kty: 'oct', alg: 'A256CTR', k: key.toString('base64url'), key_ops: ['encrypt', 'decrypt'], ext: true },
    iv: unpadded(iv),
    hashes: { sha256: unpadded(createHash('sha256').update(ciphertext).digest()) },
    v: 'v2',
  };
  return { ciphertext: new Uint8Array(ciphertext), file };
}

describe('encrypted attachments', () => {
  it('decrypts what a sending client encrypted', () => {
    const plaintext = randomBytes(70_000);
    const { ciphertext, file } = encryptAttachment(plaintext);
    const parsed = parseEncryptedFile(file);
    assert.ok(parsed);
    assert.deepEqual(parsed.mxc, { serverName: 'example.org', mediaId: 'encrypted1' });
    assert.notDeepEqual(Buffer.from(ciphertext.subarray(0, 32)), plaintext.subarray(0, 32));
    assert.deepEqual(Buffer.from(decryptAttachment(ciphertext, parsed)), plaintext);
  });

  it('reads padded base64 too, and an IV whose counter half is not zero', () => {
    const { ciphertext, file } = encryptAttachment(Buffer.from('hello'));
    const padded = { ...file, iv: `${file.iv}==`, hashes: { sha256: `${file.hashes.sha256}=` } };
    assert.equal(Buffer.from(decryptAttachment(ciphertext, parseEncryptedFile(padded)!)).toString(), 'hello');
  });

  it('refuses a changed ciphertext before decrypting', () => {
    const { ciphertext, file } = encryptAttachment(Buffer.from('the real file'));
    ciphertext[3]! ^= 1;
    assert.throws(
      () => decryptAttachment(ciphertext, parseEncryptedFile(file)!),
      (error: unknown) =>
        error instanceof MatrixChannelError &&
        error.code === 'hash_mismatch' &&
        error.reason ===
          'The attachment could not be decrypted: the file from the homeserver is not the one that was sent.',
    );
  });

  it('is no EncryptedFile in any other shape', () => {
    const { file } = encryptAttachment(Buffer.from('x'));
    const variants: Array<[string, unknown]> = [
      ['v1', { ...file, v: 'v1' }],
      ['no version', { ...file, v: undefined }],
      ['bad url', { ...file, url: 'https://example.org/x' }],
      ['hostile url', { ...file, url: 'mxc://example.org/../x' }],
      ['other kty', { ...file, key: { ...file.key, kty: 'RSA' } }],
      ['other alg', { ...file, key: { ...file.key, alg: 'A128CTR' } }],
      ['not extractable', { ...file, key: { ...file.key, ext: false } }],
      ['no decrypt op', { ...file, key: { ...file.key, key_ops: ['encrypt'] } }],
      ['key_ops not strings', { ...file, key: { ...file.key, key_ops: ['decrypt', 1] } }],
      ['short key', { ...file, key: { ...file.key, k: randomBytes(16).toString('base64url') } }],
      ['key in the wrong alphabet', { ...file, key: { ...file.key, k: `${file.key.k.slice(0, -1)}+` } }],
      ['key with junk', { ...file, key: { ...file.key, k: `${file.key.k}!` } }],
      ['no key', { ...file, key: undefined }],
      ['short iv', { ...file, iv: unpadded(randomBytes(8)) }],
      ['iv not base64', { ...file, iv: `${file.iv.slice(0, -1)}*` }],
      ['short hash', { ...file, hashes: { sha256: unpadded(randomBytes(16)) } }],
      ['no sha256', { ...file, hashes: { sha512: file.hashes.sha256 } }],
      ['hashes not an object', { ...file, hashes: file.hashes.sha256 }],
      ['an array', [file]],
      ['null', null],
      ['a string', JSON.stringify(file)],
    ];
    assert.ok(parseEncryptedFile(file), 'the unchanged one is');
    for (const [what, variant] of variants) assert.equal(parseEncryptedFile(variant), undefined, what);
  });
});
