/**
 * End-to-end encryption for a live channel: matrix-js-sdk's Rust crypto on the account's persistent store
 * (crypto-store.ts). Started before the sync loop, stopped after it; the WebAssembly loads with the first
 * account that starts it, never at activation or sign-in.
 *
 * What the channel's own requests see of the sync (the first start's bootstrap, which stands in for the SDK's
 * initial sync) reaches the crypto here too: to-device messages (room keys) and key counts are not sent again.
 */
import { MatrixChannelError } from '../errors.ts';
import { Emitter, type NamedEmitter } from '../events.ts';
import { l10n } from '../l10n.ts';
import type { Logger } from '../log.ts';
import { loadSdk, type MatrixClient } from '../matrix/sdk.ts';
import type { SecretStore } from '../session/session.ts';
import { CryptoStore, type StoreOpening } from './crypto-store.ts';
import { readEncryptionStatus, STATUS_EVENTS, type EncryptionStatus } from './encryption-status.ts';
import { recoverWithKey, type SecretStorageKeys } from './recovery.ts';
import type { CompareEmoji, IncomingVerification, RecoveryResult, VerificationOutcome } from './status-types.ts';
import { verifyByEmoji } from './verification.ts';

type SyncCryptoCallbacks = import('matrix-js-sdk/lib/common-crypto/CryptoBackend.js').SyncCryptoCallbacks;
type CryptoBackend = import('matrix-js-sdk/lib/common-crypto/CryptoBackend.js').CryptoBackend;
type Room = import('matrix-js-sdk').Room;
type VerificationRequest = import('matrix-js-sdk/lib/crypto-api/index.js').VerificationRequest;

/** matrix-js-sdk's CryptoEvent.VerificationRequestReceived (a string: no SDK at load). */
const VERIFICATION_REQUEST = 'crypto.verificationRequestReceived';

function notReady(): MatrixChannelError {
  return new MatrixChannelError(
    'encrypted_room',
    l10n.t('This room is end-to-end encrypted and its encryption is not ready here yet, so nothing was sent.'),
  );
}

/**
 * Whether the server holds encryption keys for this device already. A crypto without this device's keys (its
 * store lost, or a session made by another app, whose device it is) would clash with them: the server refuses
 * the new keys, and the device that holds the old ones would break.
 */
async function deviceHasKeys(client: MatrixClient, device: { userId: string; deviceId: string }): Promise<boolean> {
  const { Method } = await loadSdk();
  const answer = await client.http.authedRequest<{ device_keys?: Record<string, Record<string, unknown>> }>(
    Method.Post,
    '/keys/query',
    undefined,
    { device_keys: { [device.userId]: [device.deviceId] } },
  );
  return answer.device_keys?.[device.userId]?.[device.deviceId] !== undefined;
}

function keysElsewhere(opened: StoreOpening): string {
  return opened.kind === 'reset'
    ? l10n.t(
        'The encryption keys stored for this device could not be read, and the server holds its old ones. Sign out and sign in again to use encryption here.',
      )
    : l10n.t(
        'This session belongs to a device whose encryption keys another app holds. Sign in with a password or in the browser to give this editor a device of its own.',
      );
}

/** Where the channel's crypto keeps its store. */
export interface CryptoPlace {
  /** The folder of the sealed store files. */
  directory: string;
  secrets: SecretStore;
}

export interface CryptoStartOptions extends CryptoPlace {
  accountId: string;
  log: Logger;
  /** The secret-storage key on offer to the crypto: the client was made with its callbacks. */
  keys: SecretStorageKeys;
}

/** The encryption-relevant part of a sync response. */
export interface SyncCryptoChanges {
  toDeviceEvents: Array<Record<string, unknown>>;
  deviceLists?: { changed?: string[]; left?: string[] };
  oneTimeKeysCounts?: Record<string, number>;
  unusedFallbackKeys?: string[];
}

export class ChannelCrypto {
  private stopped = false;
  private current?: EncryptionStatus;
  private reading?: Promise<void>;
  private readAgain = false;
  private readonly statuses = new Emitter<EncryptionStatus>();
  private readonly requests = new Emitter<IncomingVerification>();
  private readonly refresh = () => void this.readStatus();
  private readonly requested = (request: VerificationRequest) => void this.incoming(request);
  /** The status changed (device verified, key backup, recovery). */
  readonly onStatus = this.statuses.on.bind(this.statuses);
  /** Another of the person's devices asks to verify this one. */
  readonly onVerificationRequest = this.requests.on.bind(this.requests);

  private constructor(
    private readonly client: MatrixClient,
    private readonly store: CryptoStore,
    private readonly log: Logger,
    private readonly accountId: string,
    private readonly keys: SecretStorageKeys,
  ) {
    for (const event of STATUS_EVENTS) (client as unknown as NamedEmitter).on(event, this.refresh);
    (client as unknown as NamedEmitter).on(VERIFICATION_REQUEST, this.requested);
  }

  /** What the tree shows of the account's encryption; undefined until first read. */
  get status(): EncryptionStatus | undefined {
    return this.current;
  }

  /** Reads the status again (after a sync); one read at a time, and one more if asked meanwhile. */
  readStatus(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.readAgain = false;
        try {
          const read = await readEncryptionStatus(this.client);
          if (this.stopped) return;
          const opened = this.store.opened;
          const next = { ...read, ...(opened.kind === 'reset' ? { reset: opened.failure } : {}) };
          if (JSON.stringify(next) !== JSON.stringify(this.current)) {
            this.current = next;
            this.statuses.fire(next);
          }
        } catch (error) {
          this.log.warn(`account ${this.accountId}: reading the encryption status failed: ${String(error)}`);
        }
      } while (this.readAgain && !this.stopped);
    })().finally(() => (this.reading = undefined));
    return this.reading;
  }

  /** Opens the account's store and starts the Rust crypto on the (not yet started) client. */
  static async start(client: MatrixClient, options: CryptoStartOptions): Promise<ChannelCrypto> {
    const device = { userId: client.getSafeUserId(), deviceId: client.getDeviceId() ?? '' };
    const store = await CryptoStore.open({ ...options, device });
    if (store.opened.kind !== 'restored' && (await deviceHasKeys(client, device))) {
      await store.close();
      throw new MatrixChannelError('encrypted_room', keysElsewhere(store.opened));
    }
    try {
      await client.initRustCrypto({ useIndexedDB: true, cryptoDatabasePrefix: store.prefix });
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
    // The person's other devices, known early: a verification request from one this device does not know yet
    // is ignored.
    void client
      .getCrypto()
      ?.getUserDeviceInfo([device.userId], true)
      .catch(() => undefined);
    if (store.opened.kind === 'reset')
      options.log.warn(`account ${options.accountId}: encryption starts as a new device (${store.opened.failure})`);
    return new ChannelCrypto(client, store, options.log, options.accountId, options.keys);
  }

  /** How the store came up (a reset means: a new device, older encrypted messages unreadable here). */
  get opened(): StoreOpening {
    return this.store.opened;
  }

  /** The first start's sync response, for the crypto (room keys that came with it are not sent again). */
  async receive(changes: SyncCryptoChanges): Promise<void> {
    const backend = this.client.getCrypto() as unknown as SyncCryptoCallbacks | undefined;
    if (!backend) return;
    // Parsed defensively (bootstrap.ts); the SDK's own sync hands the crypto the same raw events.
    await backend.processSyncChanges(changes as unknown as Parameters<SyncCryptoCallbacks['processSyncChanges']>[0]);
  }

  /**
   * Whether the crypto will encrypt what is sent to the room; throws when the room is encrypted and the crypto
   * does not know it, rather than let anything go out in clear.
   */
  async assertEncrypts(roomId: string): Promise<void> {
    const crypto = this.client.getCrypto();
    if (crypto && (await crypto.isEncryptionEnabledInRoom(roomId))) return;
    throw notReady();
  }

  /**
   * The room message `content` encrypted for the room: the content of an `m.room.encrypted` event. Throws
   * (nothing to send) unless it is encrypted: there is no way from here to a message in clear.
   */
  async encrypt(
    room: Room,
    content: Record<string, unknown>,
    type = 'm.room.message',
  ): Promise<Record<string, unknown>> {
    const { MatrixEvent } = await loadSdk();
    const backend = this.client.getCrypto() as unknown as CryptoBackend | undefined;
    if (!backend) throw notReady();
    // The crypto encrypts for a room once it has seen the room's encryption event in this run; a room whose
    // state was loaded on demand, or that did not change since a restart, was never shown to it: show it now
    // (again is harmless).
    const encryption = room.currentState.getStateEvents('m.room.encryption', '');
    if (encryption) await backend.onCryptoEvent(room, encryption);
    await this.assertEncrypts(room.roomId);
    const event = new MatrixEvent({
      type,
      content,
      room_id: room.roomId,
      sender: this.client.getSafeUserId(),
    });
    await backend.encryptEvent(event, room);
    const wire = event.getWireContent();
    if (event.getWireType() !== 'm.room.encrypted' || typeof wire['ciphertext'] !== 'string' || 'body' in wire)
      throw notReady();
    return wire;
  }

  /** Verifies this device with the account's recovery key or passphrase, and restores the key backup. */
  async recover(input: string): Promise<RecoveryResult> {
    const result = await recoverWithKey(this.client, this.keys, input);
    await this.trustChanged();
    return result;
  }

  /**
   * Asks the person's other devices to verify this one, and compares emoji with the first that accepts;
   * `no_other_device` when the account has no other device that could.
   */
  async verifyWithDevice(compare: CompareEmoji): Promise<VerificationOutcome> {
    const crypto = this.client.getCrypto()!;
    const userId = this.client.getSafeUserId();
    const devices = (await crypto.getUserDeviceInfo([userId], true)).get(userId);
    const others = [...(devices?.keys() ?? [])].filter((id) => id !== this.client.getDeviceId());
    if (others.length === 0) return 'no_other_device';
    return this.verified(verifyByEmoji(await crypto.requestOwnUserVerification(), compare));
  }

  /** A request from another of the person's devices (others' requests are not for this device's trust). */
  private async incoming(request: VerificationRequest): Promise<void> {
    if (!request.isSelfVerification || request.initiatedByMe || this.stopped) return;
    const userId = this.client.getSafeUserId();
    const deviceId = request.otherDeviceId;
    const device = deviceId
      ? (await this.client.getCrypto()?.getUserDeviceInfo([userId]))?.get(userId)?.get(deviceId)
      : undefined;
    this.requests.fire({
      accountId: this.accountId,
      ...(deviceId ? { deviceId } : {}),
      ...(device?.displayName ? { deviceName: device.displayName } : {}),
      accept: async (compare) => {
        await request.accept();
        return this.verified(verifyByEmoji(request, compare));
      },
      decline: () => request.cancel({ code: 'm.user', reason: 'Declined' }),
    });
  }

  /** The outcome, once the status says what it changed (and the store holds it). */
  private async verified(outcome: Promise<VerificationOutcome>): Promise<VerificationOutcome> {
    const result = await outcome;
    if (result === 'verified') await this.trustChanged();
    return result;
  }

  /** After this device's trust changed: the store holds it, and the status says it. */
  private async trustChanged(): Promise<void> {
    await this.store.flush();
    await this.readStatus();
  }

  /** Saves the store now (before a sync token that must not get ahead of the keys is stored). */
  flush(): Promise<void> {
    return this.store.flush();
  }

  /** Stops the crypto (after the client stopped) and saves and frees its store. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const event of STATUS_EVENTS) (this.client as unknown as NamedEmitter).off(event, this.refresh);
    (this.client as unknown as NamedEmitter).off(VERIFICATION_REQUEST, this.requested);
    this.statuses.clear();
    this.requests.clear();
    try {
      // The client's stopClient() stops it too; a client that never started needs it here.
      (this.client.getCrypto() as { stop?: () => void } | undefined)?.stop?.();
    } catch (error) {
      this.log.warn(`account ${this.accountId}: stopping the encryption failed: ${String(error)}`);
    }
    await this.store.close();
  }
}
