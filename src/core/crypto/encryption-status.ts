/**
 * What an account's encryption looks like from this device, as the tree shows it: whether the account's
 * identity vouches for this device (cross-signed: other people's apps trust it), whether room keys are backed
 * up on the server, and whether recovery (a recovery key or passphrase for the server-side secret storage) is
 * set up. Read from the crypto, and read again when it reports a change.
 */
import type { MatrixClient } from '../matrix/sdk.ts';
import type { EncryptionStatus } from './status-types.ts';

export type { EncryptionStatus } from './status-types.ts';

/** matrix-js-sdk's crypto and client events after which the status may differ (strings: no SDK at load). */
export const STATUS_EVENTS = [
  'crypto.keyBackupStatus',
  'userTrustStatusChanged',
  'crypto.devicesUpdated',
  'crossSigning.keysChanged',
  'crypto.keyBackupDecryptionKeyCached',
  // Recovery set up or removed elsewhere (the secret storage's default key).
  'accountData',
] as const;

export async function readEncryptionStatus(client: MatrixClient): Promise<Omit<EncryptionStatus, 'reset'>> {
  const crypto = client.getCrypto();
  if (!crypto) return { deviceVerified: false, keyBackup: false, recovery: false };
  const [device, backup, recovery] = await Promise.all([
    crypto.getDeviceVerificationStatus(client.getSafeUserId(), client.getDeviceId() ?? ''),
    crypto.getActiveSessionBackupVersion(),
    client.secretStorage.getDefaultKeyId(),
  ]);
  return {
    deviceVerified: device?.crossSigningVerified ?? false,
    keyBackup: backup !== null,
    recovery: recovery !== null,
  };
}
