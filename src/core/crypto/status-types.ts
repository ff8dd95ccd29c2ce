/**
 * What the rest of the product (the account's state, the tree, the webview) knows of an account's encryption:
 * types only, so that code without Node or the SDK (the webview) can name them.
 */

/** Why the sealed encryption store could not be opened. */
export type UnsealFailure = 'missing' | 'damaged' | 'wrong_key';

/** What an account's encryption looks like from this device. */
export interface EncryptionStatus {
  /** This device is cross-signed by the account's identity (other people's apps trust it). */
  deviceVerified: boolean;
  /** Room keys are backed up to the server's key backup by this device. */
  keyBackup: boolean;
  /** The account has recovery (secret storage with a default key) set up. */
  recovery: boolean;
  /** The store did not open this time: this device started afresh, why. */
  reset?: UnsealFailure;
}

/** What verifying this device with the recovery key did. */
export interface RecoveryResult {
  /** This device is now cross-signed. */
  deviceVerified: boolean;
  /** Room keys restored from the key backup (absent: the account has no backup this key opens). */
  restoredKeys?: number;
}
