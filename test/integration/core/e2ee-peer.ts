/**
 * The other side of an encrypted conversation: a matrix-js-sdk client with the Rust crypto (in memory) for a
 * bed user, as Element would be. It reads what arrives decrypted and sends encrypted.
 */
import { loadSdk, type MatrixClient } from '../../../src/core/matrix/sdk.ts';
import { guardRequests } from '../../../src/core/matrix/sdk-requests.ts';
import type { MatrixUser } from '../../bed/matrix.ts';
import { waitFor } from '../../bed/wait-for.ts';

type MatrixEvent = import('matrix-js-sdk').MatrixEvent;
type VerificationRequest = import('matrix-js-sdk/lib/crypto-api/index.js').VerificationRequest;
type ShowSasCallbacks = import('matrix-js-sdk/lib/crypto-api/index.js').ShowSasCallbacks;

export interface Peer {
  client: MatrixClient;
  /** The text of every message that reached the peer, decrypted, by room. */
  received: Array<{ roomId: string; body: string; wireType: string }>;
  /** Resolves once the peer's crypto knows `userId`'s device (it can encrypt for it). */
  knowsDevice(userId: string, deviceId: string): Promise<void>;
  /** The identity key the peer knows for a device. */
  deviceKey(userId: string, deviceId: string): Promise<string | undefined>;
  sendText(roomId: string, body: string): Promise<string>;
  until(body: string): Promise<{ roomId: string; body: string; wireType: string }>;
  /**
   * Sets up what Element's "Set up recovery" does: cross-signing, secret storage with a recovery key made from
   * `passphrase`, and a key backup. Resolves with the recovery key as the person would have written it down.
   */
  setUpRecovery(passphrase: string): Promise<string>;
  /** Resolves once the key backup on the server holds a key for `roomId`. */
  backedUp(roomId: string): Promise<void>;
  /** The next verification request another device sends the peer. */
  nextVerificationRequest(): Promise<VerificationRequest>;
  /**
   * Plays the peer's part of an emoji verification: accepts a request it received (or, with `start`, starts
   * the emoji once its own request was accepted) and says whether the emoji `match`. Resolves with the names
   * of the emoji it was shown.
   */
  compareEmoji(request: VerificationRequest, options: { match: boolean; start?: boolean }): Promise<string[]>;
  stop(): void;
}

const quietLogger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
  getChild: () => quietLogger,
};

export async function startPeer(user: MatrixUser): Promise<Peer> {
  const sdk = await loadSdk();
  // A client waits up to 10 s (at random) before it backs up keys, so that many clients do not all at once;
  // the peer is alone.
  const { RustBackupManager } = await import('matrix-js-sdk/lib/rust-crypto/backup.js');
  (RustBackupManager as unknown as { maxBackupLoopStartDelayMillis: number }).maxBackupLoopStartDelayMillis = 0;
  // The peer's recovery key, once it set recovery up (setUpRecovery): its crypto reads secret storage with it.
  let recoveryKey: Uint8Array | undefined;
  const client = sdk.createClient({
    cryptoCallbacks: {
      getSecretStorageKey: ({ keys }) =>
        Promise.resolve(recoveryKey ? [Object.keys(keys)[0]!, recoveryKey as Uint8Array<ArrayBuffer>] : null),
    },
    baseUrl: user.homeserver!,
    userId: user.userId,
    deviceId: user.deviceId,
    accessToken: user.accessToken,
    // Quiet: a message whose key is a moment behind it fails to decrypt once, which the SDK reports loudly.
    logger: quietLogger,
  });
  // Each request under a deadline cleared with its answer, and none left once stopped: the SDK's own timers
  // would keep the test process alive for up to 110 s after its last test.
  const closed = new AbortController();
  guardRequests(client.http, { timeoutMs: 60_000, closed: closed.signal });
  await client.initRustCrypto({ useIndexedDB: false });
  const received: Peer['received'] = [];
  const sentHere = new Set<string>();
  client.on(sdk.RoomEvent.Timeline, (event: MatrixEvent, room) => {
    // Not what this device sent itself (another device of the same person is another sender to it).
    if (!room || sentHere.has(event.getId() ?? '') || event.getUnsigned().transaction_id) return;
    void client.decryptEventIfNeeded(event).then(() => {
      if (event.getType() !== 'm.room.message') return;
      const body: unknown = event.getContent()['body'];
      if (typeof body === 'string') received.push({ roomId: room.roomId, body, wireType: event.getWireType() });
    });
  });
  const prepared = new Promise<void>((resolve) =>
    client.on(sdk.ClientEvent.Sync, (state) => {
      if (state === sdk.SyncState.Prepared) resolve();
    }),
  );
  await client.startClient({ initialSyncLimit: 1 });
  await prepared;
  const crypto = client.getCrypto()!;
  const deviceOf = async (userId: string, deviceId: string) =>
    (await crypto.getUserDeviceInfo([userId], true)).get(userId)?.get(deviceId);
  return {
    client,
    received,
    async knowsDevice(userId, deviceId) {
      await waitFor(`the peer knows ${userId}'s device ${deviceId}`, async () =>
        Boolean(await deviceOf(userId, deviceId)),
      );
    },
    async deviceKey(userId, deviceId) {
      return (await deviceOf(userId, deviceId))?.getIdentityKey();
    },
    async sendText(roomId, body) {
      await waitFor(`the peer is in ${roomId}`, () => client.getRoom(roomId)?.getMyMembership() === 'join');
      // The SDK sends in clear to a room its crypto does not know to be encrypted yet (it learns it from the
      // room's state, a moment after the join).
      const encrypted = await client.getStateEvent(roomId, 'm.room.encryption', '').then(
        () => true,
        () => false,
      );
      if (encrypted) await waitFor(`the peer encrypts in ${roomId}`, () => crypto.isEncryptionEnabledInRoom(roomId));
      const { event_id } = await client.sendTextMessage(roomId, body);
      sentHere.add(event_id);
      return event_id;
    },
    until: (body) => waitFor(`the peer reads "${body}"`, () => received.find((message) => message.body === body)),
    async setUpRecovery(passphrase) {
      const generated = await crypto.createRecoveryKeyFromPassphrase(passphrase);
      recoveryKey = generated.privateKey;
      await crypto.bootstrapCrossSigning({
        authUploadDeviceSigningKeys: async (makeRequest) => {
          await makeRequest({
            type: 'm.login.password',
            identifier: { type: 'm.id.user', user: user.userId },
            password: user.password,
          });
        },
      });
      await crypto.bootstrapSecretStorage({
        createSecretStorageKey: () => Promise.resolve(generated),
        setupNewSecretStorage: true,
        setupNewKeyBackup: true,
      });
      return generated.encodedPrivateKey!;
    },
    async backedUp(roomId) {
      const version = (await crypto.getKeyBackupInfo())?.version;
      await waitFor(`the key backup holds a key for ${roomId}`, async () => {
        const keys = await client.http.authedRequest<{ rooms?: Record<string, unknown> }>(
          sdk.Method.Get,
          '/room_keys/keys',
          { version },
        );
        return Boolean(keys.rooms?.[roomId]);
      });
    },
    nextVerificationRequest: () =>
      new Promise((resolve) => client.once('crypto.verificationRequestReceived' as never, resolve as never)),
    async compareEmoji(request, { match, start = false }) {
      if (!request.initiatedByMe) await request.accept();
      await waitFor('the request accepted', () => (request.phase as number) >= 3);
      const verifier = start
        ? await request.startVerification('m.sas.v1')
        : await waitFor('the other device starts the emoji', () => request.verifier);
      const shown = new Promise<ShowSasCallbacks>((resolve) => {
        const now = verifier.getShowSasCallbacks();
        if (now) resolve(now);
        else verifier.once('show_sas' as never, resolve as never);
      });
      const done = verifier.verify().catch(() => undefined);
      const sas = await shown;
      if (match) await sas.confirm();
      else sas.mismatch();
      await done;
      return (sas.sas.emoji ?? []).map(([, name]) => name);
    },
    stop: () => {
      client.stopClient();
      closed.abort();
    },
  };
}
