/**
 * One crypto owner across windows, against the bed's Synapse: two windows (each its own AccountService) share
 * settings, global storage (the encryption store's directory) and, as on desktop, SecretStorage. Only the window
 * that owns the account runs its channel, so only it opens the encryption store; when it closes, the other takes
 * the account over with the same device and its keys, and decrypts on.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ChannelMessage } from '../../../src/core/sync/channel-sync.ts';
import { startPeer, type Peer } from './e2ee-peer.ts';
import { configOn, HOMESERVERS, twoUsers, waitFor } from './live-support.ts';
import { MemoryConfigs, MemorySecrets } from './support.ts';
import { openWindow } from './windows.ts';

const synapse = HOMESERVERS[0]!;
const storage = mkdtempSync(join(tmpdir(), 'e2ee-windows-'));
const peers: Peer[] = [];
after(() => {
  for (const peer of peers) peer.stop();
  rmSync(storage, { recursive: true, force: true });
});

describe('core: one crypto owner across two windows (Synapse)', () => {
  it('only the owner opens the store; the window that takes over has the same device and decrypts on', async () => {
    const { me, other, mine, theirs } = await twoUsers(synapse);
    const shared = { configs: new MemoryConfigs(), storage };
    const secrets = new MemorySecrets();
    const crypto = { directory: join(storage, 'crypto'), secrets };
    const first = openWindow(shared, secrets, { crypto });
    const config = configOn(synapse, { authMode: 'password', userId: me.userId, dmPolicy: 'open' });
    const signedIn = await first.service.signIn(config, { password: me.password });
    const deviceId = signedIn.deviceId!;
    const second = openWindow(shared, secrets, { crypto });
    const heard: Array<{ window: string; message: ChannelMessage }> = [];
    first.service.onMessage((message) => heard.push({ window: 'first', message }));
    second.service.onMessage((message) => heard.push({ window: 'second', message }));
    try {
      await second.service.restoreAll();
      assert.equal(second.service.account(config.id)?.status.follows, 'live', 'the second window follows');

      const peer = await startPeer(other);
      peers.push(peer);
      const roomId = await theirs.createRoom({ invite: [me.userId], isDirect: true, encrypted: true });
      await mine.join(roomId);
      await peer.knowsDevice(me.userId, deviceId);
      const myKey = await peer.deviceKey(me.userId, deviceId);
      await peer.sendText(roomId, 'to the owner');
      await waitFor('the owner reads it', () => heard.some(({ message }) => message.body === 'to the owner'));
      assert.deepEqual(
        heard.map(({ window, message }) => [window, message.body, message.encrypted]),
        [['first', 'to the owner', false]],
        'read by the owner, decrypted; nothing in the other window',
      );
      assert.equal(second.channels.length, 0, 'the follower runs no channel, so no crypto');

      await first.close();
      await waitFor(
        'the second window to own the account and connect',
        () => {
          const status = second.service.account(config.id)?.status;
          return status?.state === 'connected' && status.follows === undefined;
        },
        20_000,
      );
      assert.equal(second.channels.length, 1);
      const encryption = await waitFor('its encryption', () => second.service.account(config.id)?.status.encryption);
      assert.equal(encryption.off, undefined, 'the store opened');
      assert.equal(encryption.reset, undefined, 'with the keys the first window kept');

      await peer.sendText(roomId, 'to the new owner');
      const read = await waitFor('the new owner reads it', () =>
        heard.find(({ message }) => message.body === 'to the new owner'),
      );
      assert.equal(read.window, 'second');
      assert.equal(read.message.encrypted, false, 'decrypted, not a placeholder');
      assert.equal(second.service.account(config.id)?.deviceId, deviceId, 'the same device');
      assert.equal(await peer.deviceKey(me.userId, deviceId), myKey, 'with the same keys');
      const devices = await mine.request<{ devices: unknown[] }>('GET', '/_matrix/client/v3/devices');
      assert.equal(devices.devices.length, 2, "the user's own test login and this one device, no third");
    } finally {
      await first.close();
      await second.close();
    }
  });
});
