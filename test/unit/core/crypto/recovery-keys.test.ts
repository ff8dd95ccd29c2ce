import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SecretStorageKeys } from '../../../../src/core/crypto/recovery.ts';

const ask = (keys: SecretStorageKeys, keyId: string) =>
  keys.callbacks.getSecretStorageKey({ keys: { [keyId]: {} as never } }, 'm.cross_signing.master');

describe('the secret-storage key on offer to the crypto', () => {
  it('is on offer only while the recovery runs, only for its own key ID, and wiped afterwards', async () => {
    const keys = new SecretStorageKeys();
    const key = new Uint8Array([1, 2, 3]);
    assert.equal(await ask(keys, 'abc'), null, 'nothing before');
    const during = await keys.offer('abc', key, async () => [await ask(keys, 'abc'), await ask(keys, 'other')]);
    assert.deepEqual(during, [['abc', key], null]);
    assert.equal(await ask(keys, 'abc'), null, 'nothing after');
    assert.deepEqual([...key], [0, 0, 0], 'the bytes are wiped');
  });

  it('is withdrawn when the recovery fails', async () => {
    const keys = new SecretStorageKeys();
    await assert.rejects(
      keys.offer('abc', new Uint8Array([1]), () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(await ask(keys, 'abc'), null);
  });
});
