/**
 * A live channel's encryption as the rest of the product sees it, across the channel's runs: the status, the
 * verification requests of the person's other devices, and what can be done about this device's trust. Each
 * run attaches the crypto it started (or none).
 */
import { MatrixChannelError } from '../errors.ts';
import { Emitter } from '../events.ts';
import { l10n } from '../l10n.ts';
import type { ChannelCrypto } from './channel-crypto.ts';
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
  private readonly statuses = new Emitter<EncryptionStatus>();
  private readonly requests = new Emitter<IncomingVerification>();
  readonly onStatus = this.statuses.on.bind(this.statuses);
  readonly onRequest = this.requests.on.bind(this.requests);

  /** The running crypto of this run; undefined before it started, or when it could not. */
  get crypto(): ChannelCrypto | undefined {
    return this.current;
  }

  get status(): EncryptionStatus | undefined {
    return this.current?.status;
  }

  attach(crypto: ChannelCrypto | undefined): void {
    this.current = crypto;
    crypto?.onStatus((status) => this.statuses.fire(status));
    crypto?.onVerificationRequest((request) => this.requests.fire(request));
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

  /** The running crypto, or an `encrypted_room` error saying there is none (`why`, when given). */
  running(why = l10n.t('End-to-end encryption is not available for this account here.')): ChannelCrypto {
    if (!this.current) throw new MatrixChannelError('encrypted_room', why);
    return this.current;
  }
}
