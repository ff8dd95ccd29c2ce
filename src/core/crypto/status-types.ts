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
  /** The encryption does not run on this device: why, in a sentence (the other fields are then false). */
  off?: string;
}

/** What verifying this device with the recovery key did. */
export interface RecoveryResult {
  /** This device is now cross-signed. */
  deviceVerified: boolean;
  /** Room keys restored from the key backup (absent: the account has no backup this key opens). */
  restoredKeys?: number;
}

/** One emoji of the seven compared in a verification, with its name (for screen readers, and to read out). */
export interface SasEmoji {
  symbol: string;
  name: string;
}

/** Shows the emoji; resolves true (they match), false (they do not), or undefined (the person cancelled). */
export type CompareEmoji = (emoji: SasEmoji[]) => Promise<boolean | undefined>;

/** How a verification with another device ended. */
export type VerificationOutcome =
  'verified' | 'mismatch' | 'cancelled' | 'cancelled_elsewhere' | 'timed_out' | 'no_other_device';

/** Another of the person's devices asks to verify this one. */
export interface IncomingVerification {
  accountId: string;
  /** The asking device's ID, and its name when it has one. */
  deviceId?: string;
  deviceName?: string;
  /** Accepts, and compares emoji with `compare`. */
  accept(compare: CompareEmoji): Promise<VerificationOutcome>;
  decline(): Promise<void>;
}

/** What a person can do about this device's trust, on a live account whose encryption runs. */
export interface DeviceTrust {
  /** Verifies this device with the account's recovery key or passphrase, and restores the key backup. */
  recover(input: string): Promise<RecoveryResult>;
  /** Asks the person's other devices to verify this one, and compares emoji with the one that accepts. */
  verifyWithDevice(compare: CompareEmoji): Promise<VerificationOutcome>;
}
