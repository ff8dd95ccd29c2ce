/**
 * Attachments of encrypted rooms: the file is uploaded encrypted (AES-256-CTR), and the event carries the key, the
 * counter and the ciphertext's SHA-256 in an EncryptedFile (`content.file`, `info.thumbnail_file`). The hash is
 * checked before decrypting: CTR has no integrity of its own, and a changed ciphertext would decrypt to changed
 * bytes without a word.
 */
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';
import { parseMxc, type Mxc } from './mxc.ts';

export interface EncryptedFile {
  url: string;
  /** The parsed `url`, to fetch the ciphertext with. */
  mxc: Mxc;
  /** The 32-byte AES key (from the JWK's `k`). */
  key: Uint8Array;
  /** The 16-byte initial counter block. */
  iv: Uint8Array;
  /** SHA-256 of the ciphertext. */
  sha256: Uint8Array;
}

/** An EncryptedFile as the spec has it (v2, an A256CTR JWK, a SHA-256); undefined for anything else. */
export function parseEncryptedFile(value: unknown): EncryptedFile | undefined {
  if (!isObject(value) || value.v !== 'v2' || typeof value.url !== 'string') return undefined;
  const mxc = parseMxc(value.url);
  const { key: jwk, hashes } = value;
  if (!mxc || !isObject(jwk) || !isObject(hashes)) return undefined;
  if (jwk.kty !== 'oct' || jwk.alg !== 'A256CTR' || jwk.ext !== true) return undefined;
  if (!Array.isArray(jwk.key_ops) || !jwk.key_ops.every((op) => typeof op === 'string')) return undefined;
  if (!jwk.key_ops.includes('decrypt')) return undefined;
  const key = decodeBase64(jwk.k, 'base64url');
  const iv = decodeBase64(value.iv, 'base64');
  const sha256 = decodeBase64(hashes.sha256, 'base64');
  if (key?.length !== 32 || iv?.length !== 16 || sha256?.length !== 32) return undefined;
  return { url: value.url, mxc, key, iv, sha256 };
}

/** The plaintext of an attachment's ciphertext; a MatrixChannelError when it is not the one the event names. */
export function decryptAttachment(ciphertext: Uint8Array, file: EncryptedFile): Uint8Array {
  const digest = createHash('sha256').update(ciphertext).digest();
  if (!timingSafeEqual(digest, file.sha256))
    throw new MatrixChannelError(
      'unexpected_response',
      l10n.t('The attachment could not be decrypted: the file from the homeserver is not the one that was sent.'),
      { code: 'hash_mismatch' },
    );
  const decipher = createDecipheriv('aes-256-ctr', file.key, file.iv);
  const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  return new Uint8Array(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Strict base64 (standard or URL alphabet), padding optional: Node's decoder skips characters it does not know,
 * which would let a malformed key through as a different one.
 */
function decodeBase64(value: unknown, alphabet: 'base64' | 'base64url'): Uint8Array | undefined {
  if (typeof value !== 'string') return undefined;
  const valid = alphabet === 'base64' ? /^[A-Za-z0-9+/]*={0,2}$/ : /^[A-Za-z0-9_-]*={0,2}$/;
  if (!valid.test(value) || value.replace(/=+$/, '').length % 4 === 1) return undefined;
  return new Uint8Array(Buffer.from(value, alphabet));
}
