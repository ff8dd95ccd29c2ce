/**
 * End-to-end encrypted rooms against the bed's Synapse, with a peer that encrypts as Element does
 * (e2ee-peer.ts): an encrypted message arrives decrypted, a reply goes out encrypted (the server holds only
 * `m.room.encrypted`), and after a restart the same device keeps its keys and decrypts on.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CryptoPlace } from '../../../src/core/crypto/channel-crypto.ts';
import { isMatrixChannelError } from '../../../src/core/errors.ts';
import { MemorySyncStateStore } from '../../../src/core/sync/sync-state-store.ts';
import { anotherDevice, MatrixApi, type MatrixUser } from '../../bed/matrix.ts';
import { startPeer, type Peer } from './e2ee-peer.ts';
import { configOn, HOMESERVERS, liveChannel, twoUsers, waitFor } from './live-support.ts';
import { MemorySecrets } from './support.ts';

const synapse = HOMESERVERS[0]!;
const directory = mkdtempSync(join(tmpdir(), 'e2ee-'));
const peers: Peer[] = [];
after(() => {
  for (const peer of peers) peer.stop();
  rmSync(directory, { recursive: true, force: true });
});

/** The identity key the server holds for a device of `user`, if any. */
async function serverDeviceKey(user: MatrixUser, deviceId: string): Promise<string | undefined> {
  const answer = await new MatrixApi(synapse.baseUrl, user.accessToken).request<{
    device_keys: Record<string, Record<string, { keys: Record<string, string> }>>;
  }>('POST', '/_matrix/client/v3/keys/query', { device_keys: { [user.userId]: [deviceId] } });
  return answer.device_keys[user.userId]?.[deviceId]?.keys[`curve25519:${deviceId}`];
}

describe('core: end-to-end encrypted rooms (Synapse)', () => {
  it('reads an encrypted message, answers it encrypted, and keeps its keys across a restart', async () => {
    const { me, other, mine, theirs } = await twoUsers(synapse);
    const crypto: CryptoPlace = { directory, secrets: new MemorySecrets() };
    const store = new MemorySyncStateStore();
    const config = configOn(synapse, { dmPolicy: 'open', mentionMode: 'always' });
    const channel = await liveChannel(me, config, store, { crypto });
    const peer = await startPeer(other);
    peers.push(peer);
    const roomId = await theirs.createRoom({ invite: [me.userId], isDirect: true, encrypted: true });
    await mine.join(roomId);
    await peer.knowsDevice(me.userId, me.deviceId);
    // A new device of an account without cross-signing, backup or recovery, as the tree will say.
    assert.deepEqual(await waitFor('the encryption status', () => channel.sync.encryption), {
      deviceVerified: false,
      keyBackup: false,
      recovery: false,
    });
    const myKey = await peer.deviceKey(me.userId, me.deviceId);

    await peer.sendText(roomId, 'the build is green');
    const message = await channel.until('the build is green');
    assert.equal(message.encrypted, false, 'read, not a placeholder');
    assert.equal(message.sender, other.userId);

    const reply = await channel.sync.sendText(roomId, 'thanks!', { replyTo: message.eventId });
    const atServer = await theirs.request<{ type: string; content: Record<string, unknown> }>(
      'GET',
      `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/event/${encodeURIComponent(reply.eventId)}`,
    );
    assert.equal(atServer.type, 'm.room.encrypted', 'the server holds the reply encrypted');
    assert.equal(JSON.stringify(atServer.content).includes('thanks!'), false, 'no clear text at the server');
    const read = await peer.until('thanks!');
    assert.equal(read.wireType, 'm.room.encrypted');

    // A restart: the same device, the same keys, and the conversation's key still held.
    await channel.sync.stop();
    const again = await liveChannel(me, config, store, { crypto });
    await peer.sendText(roomId, 'after the restart');
    assert.equal((await again.until('after the restart')).encrypted, false);
    assert.equal(await peer.deviceKey(me.userId, me.deviceId), myKey, 'the same device keys');
    const devices = await mine.request<{ devices: unknown[] }>('GET', '/_matrix/client/v3/devices');
    assert.equal(devices.devices.length, 1, 'no new device');
    await again.sync.sendText(roomId, 'still encrypted');
    assert.equal((await peer.until('still encrypted')).wireType, 'm.room.encrypted');
    const recent = await again.sync.recentMessages(roomId, 10);
    assert.deepEqual(
      recent.filter((m) => m.sender === other.userId).map((m) => [m.body, m.encrypted]),
      [
        ['the build is green', false],
        ['after the restart', false],
      ],
      'the history, read',
    );
    again.log.assertFree([me.accessToken]);
  });

  it("a room with two of the person's devices: both read the other user, and both read what this one sends", async () => {
    const { me, other, mine, theirs } = await twoUsers(synapse);
    const crypto: CryptoPlace = { directory, secrets: new MemorySecrets() };
    const channel = await liveChannel(me, configOn(synapse, { dmPolicy: 'open', mentionMode: 'always' }), undefined, {
      crypto,
    });
    // The person's other device (Element, say) and the other user, both encrypting as Element does.
    const [element, peer] = await Promise.all([startPeer(await anotherDevice(me)), startPeer(other)]);
    peers.push(element, peer);
    const roomId = await theirs.createRoom({ invite: [me.userId], isDirect: true, encrypted: true });
    await mine.join(roomId);
    await peer.knowsDevice(me.userId, me.deviceId);
    await peer.knowsDevice(me.userId, element.client.getDeviceId()!);
    await element.knowsDevice(other.userId, peer.client.getDeviceId()!);

    await peer.sendText(roomId, 'to both of your devices');
    assert.equal((await channel.until('to both of your devices')).encrypted, false, 'read here');
    assert.equal((await element.until('to both of your devices')).wireType, 'm.room.encrypted', 'and there');

    // What this device sends is encrypted for every device in the room, the person's other one included.
    await channel.sync.sendText(roomId, 'sent from the editor');
    assert.equal((await peer.until('sent from the editor')).wireType, 'm.room.encrypted');
    await waitFor('the other device of the person reads it', () =>
      element.received.some((one) => one.body === 'sent from the editor'),
    );
  });

  it('verifies this device with the recovery key, and older messages come back from the key backup', async () => {
    const { me, mine } = await twoUsers(synapse);
    // The person's other device (Element, say) wrote in an encrypted room before this device existed, then set
    // up recovery: the message's key reached only the backup.
    const element = await startPeer(await anotherDevice(me));
    peers.push(element);
    const roomId = await mine.createRoom({ name: 'Notes', encrypted: true });
    await element.sendText(roomId, 'written before this device');
    const passphrase = 'correct horse battery staple';
    const recoveryKey = await element.setUpRecovery(passphrase);
    await element.backedUp(roomId);

    const crypto: CryptoPlace = { directory, secrets: new MemorySecrets() };
    const store = new MemorySyncStateStore();
    const config = configOn(synapse);
    const channel = await liveChannel(me, config, store, { crypto });
    await waitFor('the account has recovery', () => channel.sync.encryption?.recovery);
    assert.equal(channel.sync.encryption?.deviceVerified, false);
    const before = await channel.sync.recentMessages(roomId, 10);
    assert.deepEqual(
      before.map((m) => m.encrypted),
      [true],
      'unreadable before the recovery',
    );

    await assert.rejects(channel.sync.deviceTrust.recover('EsTc not the key'), (error: unknown) =>
      isMatrixChannelError(error, 'invalid_credentials'),
    );
    await assert.rejects(channel.sync.deviceTrust.recover('wrong horse battery staple'), (error: unknown) =>
      isMatrixChannelError(error, 'invalid_credentials'),
    );
    assert.equal(channel.sync.encryption?.deviceVerified, false, 'a wrong key changes nothing');

    const result = await channel.sync.deviceTrust.recover(recoveryKey);
    assert.equal(result.deviceVerified, true);
    assert.ok((result.restoredKeys ?? 0) >= 1, `keys restored: ${result.restoredKeys}`);
    assert.deepEqual(
      (await channel.sync.recentMessages(roomId, 10)).map((m) => [m.body, m.encrypted]),
      [['written before this device', false]],
      'the older message, read',
    );
    assert.deepEqual(channel.sync.encryption, { deviceVerified: true, keyBackup: true, recovery: true });
    // The other device sees this one vouched for by the account's identity.
    await waitFor('the other device trusts this one', async () => {
      const crypto = element.client.getCrypto()!;
      await crypto.getUserDeviceInfo([me.userId], true);
      return (await crypto.getDeviceVerificationStatus(me.userId, me.deviceId))?.crossSigningVerified;
    });
    // The passphrase unlocks it as well (again: nothing new to do, still verified).
    assert.equal((await channel.sync.deviceTrust.recover(passphrase)).deviceVerified, true);
    channel.log.assertFree([me.accessToken, recoveryKey, recoveryKey.replace(/ /g, ''), passphrase]);

    // After a restart (a resumed sync, which carries no account data that did not change) it all holds.
    await channel.sync.stop();
    const again = await liveChannel(me, config, store, { crypto });
    // The crypto reads its trust and checks the backup shortly after it starts.
    await waitFor('verified, with backup and recovery', () => {
      const status = again.sync.encryption;
      return status?.deviceVerified && status.keyBackup && status.recovery;
    });
  });

  it('a damaged store: the account connects, encryption stays off and says why, nothing goes out in clear', async () => {
    const { me, mine } = await twoUsers(synapse);
    const crypto: CryptoPlace = { directory, secrets: new MemorySecrets() };
    const store = new MemorySyncStateStore();
    const config = configOn(synapse);
    const first = await liveChannel(me, config, store, { crypto });
    await waitFor("the device's keys at the server", () => serverDeviceKey(me, me.deviceId));
    await first.sync.stop();
    const file = join(directory, `${encodeURIComponent(config.id)}.crypto`);
    truncateSync(file, Math.floor(statSync(file).size / 2));

    // The server holds this device's keys: a crypto with new ones would clash with them (the server refuses
    // them), so it does not start, rather than upload in a loop.
    const again = await liveChannel(me, config, store, { crypto });
    assert.equal(again.sync.state.state, 'connected', 'the session survives');
    const status = await waitFor('the encryption status', () => again.sync.encryption);
    assert.match(status.off ?? '', /could not be read.*Sign out and sign in again/);
    const roomId = await mine.createRoom({ name: 'Secret', encrypted: true });
    // Sent at once after its creation: the SDK may know the room's first events only, not its encryption.
    await assert.rejects(again.sync.sendText(roomId, 'in clear?'), (error: unknown) =>
      isMatrixChannelError(error, 'encrypted_room'),
    );
  });

  it("a session made by another app: this editor leaves that device's encryption alone", async () => {
    const { me } = await twoUsers(synapse);
    // Element signed in (its device has keys); the person pasted Element's access token here.
    const element = await startPeer(await anotherDevice(me));
    peers.push(element);
    const borrowed = { ...me, accessToken: element.client.getAccessToken()!, deviceId: element.client.getDeviceId()! };
    const key = await waitFor("Element's device keys at the server", () => serverDeviceKey(me, borrowed.deviceId));
    const crypto: CryptoPlace = { directory, secrets: new MemorySecrets() };
    const channel = await liveChannel(borrowed, configOn(synapse), undefined, { crypto });
    const status = await waitFor('the encryption status', () => channel.sync.encryption);
    assert.match(status.off ?? '', /another app holds/);
    assert.equal(await serverDeviceKey(me, borrowed.deviceId), key, "the device's keys are still Element's");
  });
});
