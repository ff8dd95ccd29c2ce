/**
 * Verifying this device with another of the person's devices by comparing emoji, against the bed's Synapse,
 * with a peer device that has the account's cross-signing keys (as Element after setting up recovery): asked
 * from here, the emoji match on both sides and this device becomes verified; asked from the other device, a
 * mismatch leaves it unverified.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CryptoPlace } from '../../../src/core/crypto/channel-crypto.ts';
import type { IncomingVerification } from '../../../src/core/crypto/status-types.ts';
import { anotherDevice } from '../../bed/matrix.ts';
import { startPeer, type Peer } from './e2ee-peer.ts';
import { configOn, HOMESERVERS, liveChannel, twoUsers, waitFor } from './live-support.ts';
import { MemorySecrets } from './support.ts';

const synapse = HOMESERVERS[0]!;
const directory = mkdtempSync(join(tmpdir(), 'e2ee-verify-'));
const peers: Peer[] = [];
after(() => {
  for (const peer of peers) peer.stop();
  rmSync(directory, { recursive: true, force: true });
});

/** A channel of a new user, and that user's other device with cross-signing set up. */
async function personWithTwoDevices() {
  const { me } = await twoUsers(synapse);
  const element = await startPeer(await anotherDevice(me));
  peers.push(element);
  await element.setUpRecovery('a passphrase for the test');
  const crypto: CryptoPlace = { directory, secrets: new MemorySecrets() };
  const channel = await liveChannel(me, configOn(synapse), undefined, { crypto });
  await element.knowsDevice(me.userId, me.deviceId);
  await waitFor('the encryption status', () => channel.sync.encryption);
  return { me, element, channel };
}

describe('core: verifying this device by emoji (Synapse)', () => {
  it('asked from here: the same emoji on both devices, and this device is verified', async () => {
    const { element, channel } = await personWithTwoDevices();
    assert.equal(channel.sync.encryption?.deviceVerified, false);
    const asked = element.nextVerificationRequest();
    let shownHere: string[] = [];
    const outcome = channel.sync.deviceTrust.verifyWithDevice((emoji) => {
      shownHere = emoji.map((one) => one.name);
      return Promise.resolve(true);
    });
    const shownThere = await element.compareEmoji(await asked, { match: true });
    assert.equal(await outcome, 'verified');
    assert.equal(shownHere.length, 7);
    assert.deepEqual(shownHere, shownThere, 'the same emoji on both devices');
    await waitFor('this device verified', () => channel.sync.encryption?.deviceVerified);
  });

  it('asked from the other device: the request names it, and emoji that do not match leave this device unverified', async () => {
    const { me, element, channel } = await personWithTwoDevices();
    const requests: IncomingVerification[] = [];
    channel.sync.onVerificationRequest((request) => requests.push(request));
    // This device learns of the person's other devices with its first key query, a moment after it connects;
    // a request from a device it does not know yet is ignored (as in any app), so the other device asks again.
    const theirs = await waitFor('the request reaches this device', async () => {
      const sent = await element.client.getCrypto()!.requestDeviceVerification(me.userId, me.deviceId);
      const arrived = await waitFor('the request', () => requests.length > 0, 2_000).catch(() => false);
      if (!arrived) await sent.cancel();
      return arrived ? sent : undefined;
    });
    const request = requests[0]!;
    assert.equal(request.deviceId, element.client.getDeviceId());
    const otherSide = element.compareEmoji(theirs, { match: true, start: true }).catch(() => []);
    const outcome = await request.accept(() => Promise.resolve(false));
    assert.equal(outcome, 'mismatch');
    await otherSide;
    assert.equal(channel.sync.encryption?.deviceVerified, false, 'still not verified');
  });
});
