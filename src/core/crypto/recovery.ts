/**
 * Verifying this device with the account's recovery key (or its passphrase), as Element's "Verify with
 * Recovery Key" does: the key unlocks the account's server-side secret storage, which holds the cross-signing
 * keys (this device signs itself with them: other apps now trust it) and the key backup's key (room keys of
 * older messages come back from the server's backup).
 *
 * The key is held in memory for the length of one recovery only, is never stored and never logged.
 */
import { MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';
import type { MatrixClient } from '../matrix/sdk.ts';
import type { RecoveryResult } from './status-types.ts';

type Crypto = NonNullable<ReturnType<MatrixClient['getCrypto']>>;
type GetSecretStorageKey = NonNullable<
  import('matrix-js-sdk/lib/crypto-api/index.js').CryptoCallbacks['getSecretStorageKey']
>;

/**
 * The secret-storage key the crypto may use: the client is made with `callbacks`, and a key is on offer only
 * while a recovery runs.
 */
export class SecretStorageKeys {
  private offered?: { keyId: string; key: Uint8Array<ArrayBuffer> };

  readonly callbacks: { getSecretStorageKey: GetSecretStorageKey } = {
    getSecretStorageKey: ({ keys }) => {
      const offered = this.offered;
      return Promise.resolve(offered && keys[offered.keyId] ? [offered.keyId, offered.key] : null);
    },
  };

  /** Runs `work` with the key on offer; afterwards the key is gone (and its bytes wiped). */
  async offer<T>(keyId: string, key: Uint8Array<ArrayBuffer>, work: () => Promise<T>): Promise<T> {
    this.offered = { keyId, key };
    try {
      return await work();
    } finally {
      this.offered = undefined;
      key.fill(0);
    }
  }
}

function wrongKey(): MatrixChannelError {
  return new MatrixChannelError(
    'invalid_credentials',
    l10n.t('That is not the recovery key or passphrase of this account.'),
  );
}

/** The secret-storage key that `input` (a recovery key, or the passphrase it was made from) stands for. */
async function keyFrom(
  input: string,
  passphrase: { salt: string; iterations: number; bits?: number } | undefined,
): Promise<Uint8Array<ArrayBuffer>> {
  const { decodeRecoveryKey, deriveRecoveryKeyFromPassphrase } = await import('matrix-js-sdk/lib/crypto-api/index.js');
  const trimmed = input.trim();
  try {
    return decodeRecoveryKey(trimmed);
  } catch {
    if (!passphrase) throw wrongKey();
    return deriveRecoveryKeyFromPassphrase(trimmed, passphrase.salt, passphrase.iterations, passphrase.bits);
  }
}

/**
 * Unlocks the account's secret storage with `input`, cross-signs this device and restores the key backup.
 * Throws `invalid_credentials` when the input does not unlock it (nothing changed), `no_recovery` when the
 * account has no recovery set up.
 */
export async function recoverWithKey(
  client: MatrixClient,
  keys: SecretStorageKeys,
  input: string,
): Promise<RecoveryResult> {
  // Only a running channel crypto recovers (ChannelCrypto exists once initRustCrypto succeeded).
  const crypto = client.getCrypto()!;
  const found = await client.secretStorage.getKey();
  if (!found) throw new MatrixChannelError('no_recovery', l10n.t('This account has no recovery key set up.'));
  const [keyId, description] = found;
  const key = await keyFrom(input, description.passphrase);
  if (!(await client.secretStorage.checkKey(key, description))) {
    key.fill(0);
    throw wrongKey();
  }
  return keys.offer(keyId, key, async () => {
    // Imports the cross-signing keys from secret storage and signs this device with them.
    await crypto.bootstrapCrossSigning({});
    const restoredKeys = await restoreBackup(crypto);
    return {
      deviceVerified: await crossSigned(client, crypto),
      ...(restoredKeys === undefined ? {} : { restoredKeys }),
    };
  });
}

/** How long recovery waits for this device's own signature to show. */
const CROSS_SIGNED_WAIT_MS = 10_000;

/**
 * Whether this device is cross-signed, waiting a while for it: the crypto knows of its own signature once the
 * server's device list says so (the next sync or two), not when it uploads it.
 */
async function crossSigned(client: MatrixClient, crypto: Crypto): Promise<boolean> {
  const until = Date.now() + CROSS_SIGNED_WAIT_MS;
  for (;;) {
    const status = await crypto.getDeviceVerificationStatus(client.getSafeUserId(), client.getDeviceId() ?? '');
    if (status?.crossSigningVerified) return true;
    if (Date.now() >= until) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Loads the backup's key from secret storage, turns the backup on and restores it; undefined without a backup. */
async function restoreBackup(crypto: Crypto): Promise<number | undefined> {
  const backup = await crypto.getKeyBackupInfo();
  if (!backup) return undefined;
  try {
    await crypto.loadSessionBackupPrivateKeyFromSecretStorage();
  } catch {
    // The account's backup key is not in its secret storage (a backup made without recovery): nothing to restore.
    return undefined;
  }
  await crypto.checkKeyBackupAndEnable();
  const { imported } = await crypto.restoreKeyBackup();
  return imported;
}
