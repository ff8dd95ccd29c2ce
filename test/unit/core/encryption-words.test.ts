/** The account's encryption as the tree's tooltip words it: what is set up, and what to do when it is not. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encryptionLines } from '../../../src/core/crypto/encryption-words.ts';

describe("the account's encryption in words", () => {
  it('a new, unverified device without backup or recovery: says so, and what verifying gives', () => {
    assert.deepEqual(encryptionLines({ deviceVerified: false, keyBackup: false, recovery: false }), [
      'Encryption: this device is not verified. Verify it with your recovery key or another of your devices, so that others trust it and older messages can be read.',
      'Key backup: off.',
      'Recovery: not set up.',
    ]);
  });

  it('recovery set up elsewhere, this device not yet verified: the backup waits for the verification', () => {
    assert.deepEqual(encryptionLines({ deviceVerified: false, keyBackup: false, recovery: true }).slice(1), [
      'Key backup: not used until this device is verified.',
      'Recovery: set up.',
    ]);
  });

  it('all set up: three short lines', () => {
    assert.deepEqual(encryptionLines({ deviceVerified: true, keyBackup: true, recovery: true }), [
      'Encryption: this device is verified.',
      'Key backup: on.',
      'Recovery: set up.',
    ]);
  });

  it('a store that did not open comes first, with what it means', () => {
    const [first] = encryptionLines({ deviceVerified: false, keyBackup: true, recovery: true, reset: 'damaged' });
    assert.match(first ?? '', /started afresh: messages from before cannot be decrypted here/);
  });

  it('encryption that does not run here: one line, why', () => {
    assert.deepEqual(
      encryptionLines({ deviceVerified: false, keyBackup: false, recovery: false, off: 'Its keys are elsewhere.' }),
      ['Encryption: off on this device. Its keys are elsewhere.'],
    );
  });
});
