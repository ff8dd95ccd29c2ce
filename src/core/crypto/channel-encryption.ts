/**
 * A live channel's encryption as the rest of the product sees it, across the channel's runs: the status, the
 * verification requests of the person's other devices, and what can be done about this device's trust. Each
 * run attaches the crypto it started (or none).
 */
import { isMatrixChannelError, MatrixChannelError } from '../errors.ts';
import { Emitter } from '../events.ts';
import { l10n } from '../l10n.ts';
import type { MatrixClient } from '../matrix/sdk.ts';
import { ChannelCrypto, type CryptoStartOptions } from './channel-crypto.ts';
import type {
  CompareEmoji,
  DeviceTrust,
  EncryptionStatus,
  IncomingVerification,
  RecoveryResult,
  VerificationOutcome,
} from './status-types.ts';

export class ChannelEncryption implements DeviceTrust {
  private current?: ChannelCrypto;
  /** Why the encryption of this run did not start (the status says it). */
  private off?: string;
  private readonly statuses = new Emitter<EncryptionStatus>();
  private readonly requests = new Emitter<IncomingVerification>();
  readonly onStatus = this.statuses.on.bind(this.statuses);
  readonly onRequest = this.requests.on.bind(this.requests);

  /** The running crypto of this run; undefined before it started, or when it could not. */
  get crypto(): ChannelCrypto | undefined {
    return this.current;
  }

  get status(): EncryptionStatus | undefined {
    if (this.off) return { deviceVerified: false, keyBackup: false, recovery: false, off: this.off };
    return this.current?.status;
  }

  /** Starts the crypto of a run; one that cannot start leaves the channel without it, and the status says why. */
  async start(client: MatrixClient, options: CryptoStartOptions): Promise<void> {
    try {
      this.current = await ChannelCrypto.start(client, options);
      this.off = undefined;
      this.current.onStatus((status) => this.statuses.fire(status));
      this.current.onVerificationRequest((request) => this.requests.fire(request));
    } catch (error) {
      options.log.error(`account ${options.accountId}: end-to-end encryption did not start`, error);
      this.current = undefined;
      this.off = isMatrixChannelError(error)
        ? error.reason
        : l10n.t('It could not start on this device (Show Log says why).');
      this.statuses.fire(this.status!);
    }
  }

  /** For good: no listener hears anything more. */
  clear(): void {
    this.statuses.clear();
    this.requests.clear();
  }

  recover(input: string): Promise<RecoveryResult> {
    return this.running().recover(input);
  }

  verifyWithDevice(compare: CompareEmoji): Promise<VerificationOutcome> {
    return this.running().verifyWithDevice(compare);
  }

  /** The running crypto, or an `encrypted_room` error saying there is none. */
  private running(): ChannelCrypto {
    if (!this.current)
      throw new MatrixChannelError(
        'encrypted_room',
        l10n.t('End-to-end encryption is not available for this account here.'),
      );
    return this.current;
  }
}
