/**
 * A value kept in a file encrypted at rest: structured-clone serialized (binary stays binary), sealed with
 * AES-256-GCM under a 32-byte key that lives in secret storage, bound to its account (the account ID is the
 * additional data, so one account's file does not open as another's). Written atomically: a temporary file,
 * flushed to disk, renamed over the old one; a crash leaves the old file or the new one, never half of one.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { UnsealFailure } from './status-types.ts';

export type { UnsealFailure } from './status-types.ts';

const MAGIC = Buffer.from('MXCS1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class UnsealError extends Error {
  constructor(
    readonly failure: UnsealFailure,
    message: string,
  ) {
    super(message);
    this.name = 'UnsealError';
  }
}

/** A new key for a sealed file. */
export function newSealKey(): Buffer {
  return randomBytes(32);
}

export function seal(value: unknown, key: Buffer, boundTo: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(boundTo));
  const body = Buffer.concat([cipher.update(serialize(value)), cipher.final()]);
  return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
}

export function unseal(bytes: Buffer, key: Buffer, boundTo: string): unknown {
  const headerBytes = MAGIC.length + IV_BYTES + TAG_BYTES;
  if (bytes.length < headerBytes || !bytes.subarray(0, MAGIC.length).equals(MAGIC))
    throw new UnsealError('damaged', 'the file is not a sealed store (truncated or overwritten)');
  const iv = bytes.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
  const tag = bytes.subarray(MAGIC.length + IV_BYTES, headerBytes);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(boundTo));
  decipher.setAuthTag(tag);
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(bytes.subarray(headerBytes)), decipher.final()]);
  } catch {
    // GCM cannot tell a wrong key from changed bytes: both fail the tag.
    throw new UnsealError('wrong_key', 'the file does not open with its key (another key, or changed bytes)');
  }
  try {
    return deserialize(plain);
  } catch {
    throw new UnsealError('damaged', 'the file opened but its contents cannot be read');
  }
}

export async function readSealed(path: string, key: Buffer, boundTo: string): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UnsealError('missing', 'no file');
    throw error;
  }
  return unseal(bytes, key, boundTo);
}

/** Seals and writes `value` atomically; resolves once it is on disk. */
export async function writeSealed(path: string, value: unknown, key: Buffer, boundTo: string): Promise<number> {
  const bytes = seal(value, key, boundTo);
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const file = await open(temporary, 'w', 0o600);
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return bytes.length;
}
