/**
 * Two windows on one account, against the bed with 5-second tokens. Each window has its own AccountService and
 * engine; they share settings and the extension's global storage (session ownership and what the owner
 * publishes). In VS Code for the Web each window's SecretStorage is a copy loaded with the window, so the second
 * window's secrets here are a snapshot: the owner renews and publishes, the follower shows what it publishes,
 * and nobody spends a refresh token another already rotated. Where windows share SecretStorage (desktop), the
 * follower takes over when the owner closes and goes on by itself.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { currentBed } from '../../bed/current.ts';
import { createOAuthAccount, MatrixApi } from '../../bed/matrix.ts';
import { introspectToken } from '../../bed/oauth-client.ts';
import { CHANNEL_DEFAULTS, type ChannelConfig } from '../../../src/core/channel/config.ts';
import { waitFor } from './live-support.ts';
import { MemoryConfigs, MemorySecrets, personAtBrowser } from './support.ts';
import { openWindow } from './windows.ts';

const bed = currentBed();
/** How long both windows are watched with 5-second tokens. */
const WATCH_MS = 120_000;
const storage = mkdtempSync(join(tmpdir(), 'two-windows-'));
after(() => rmSync(storage, { recursive: true, force: true }));

async function signedInWithRoom(shared: { configs: MemoryConfigs; storage: string }, secrets: MemorySecrets) {
  const account = await createOAuthAccount(bed, { accessTokenTtl: 5 });
  const first = openWindow(shared, secrets, { openBrowser: personAtBrowser(account).openBrowser });
  const config: ChannelConfig = {
    ...CHANNEL_DEFAULTS,
    roomAllowlist: [],
    userAllowlist: [],
    id: `two-${Math.random().toString(36).slice(2, 8)}`,
    homeserver: bed.delegated.baseUrl,
  };
  await first.service.signIn(config, {});
  const token = first.service.session(config.id)!.session.accessToken;
  await new MatrixApi(bed.delegated.baseUrl, token).createRoom({ name: 'Two windows' });
  await waitFor('the room', () => first.service.rooms(config.id).some((room) => room.name === 'Two windows'));
  return { first, config };
}

describe('core: two windows on one account', () => {
  it('secrets not shared (VS Code for the Web): the owner renews, the follower shows it, nobody is signed out', async () => {
    const shared = { configs: new MemoryConfigs(), storage: join(storage, 'web') };
    const firstSecrets = new MemorySecrets();
    const { first, config } = await signedInWithRoom(shared, firstSecrets);
    // The second window loads its own copy of the secrets, and never sees the first one's writes.
    const secondSecrets = new MemorySecrets();
    for (const [key, value] of firstSecrets.values) secondSecrets.values.set(key, value);
    const second = openWindow(shared, secondSecrets);
    await second.service.restoreAll();
    try {
      const renewedFrom = first.service.session(config.id)!.session.accessToken;
      // Several renewals (5-second tokens), long enough for a follower that spent its stale token to be refused.
      await waitFor(
        'a renewal by the owner',
        async () => {
          await sleep(1_000);
          return first.service.session(config.id)!.session.accessToken !== renewedFrom && Date.now();
        },
        20_000,
      );
      // Two minutes of 5-second tokens (two dozen renewals), looked at every 2 s.
      for (const until = Date.now() + WATCH_MS; Date.now() < until; await sleep(2_000)) {
        const owner = first.service.account(config.id)!.status;
        const follower = second.service.account(config.id)!.status;
        assert.equal(owner.state, 'connected');
        assert.equal(owner.follows, undefined, 'the first window owns the session');
        assert.deepEqual([follower.state, follower.follows], ['connected', 'live'], JSON.stringify(follower));
        assert.deepEqual(
          second.service.rooms(config.id).map((room) => room.name),
          first.service.rooms(config.id).map((room) => room.name),
          'the follower shows the owner’s rooms',
        );
        assert.deepEqual(
          [...first.events, ...second.events].filter((e) => e.type === 'session_expired'),
          [],
        );
      }

      // The owner closes. The follower's refresh token is an old one: it must not spend it (that would end the
      // session at the server); it says a reload picks up the current one.
      const latest = first.service.session(config.id)!.session;
      await first.close();
      await waitFor(
        'the follower to see it cannot continue',
        () => (second.service.account(config.id)?.status.follows === 'stale' ? true : undefined),
        15_000,
      );
      assert.equal(second.service.account(config.id)?.status.state !== 'needs_sign_in', true);
      const introspection = await introspectToken(bed, latest.refreshToken!, { hint: 'refresh_token' });
      assert.equal(introspection.active, true, 'the current refresh token is still good: nobody replayed an old one');
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('secrets shared (desktop): the follower takes over when the owner closes and goes on renewing', async () => {
    const shared = { configs: new MemoryConfigs(), storage: join(storage, 'desktop') };
    const secrets = new MemorySecrets();
    const { first, config } = await signedInWithRoom(shared, secrets);
    const second = openWindow(shared, secrets);
    await second.service.restoreAll();
    try {
      assert.equal(second.service.account(config.id)?.status.follows, 'live');
      await first.close();
      await waitFor(
        'the second window to own the session and connect',
        () => {
          const status = second.service.account(config.id)?.status;
          return status?.state === 'connected' && status.follows === undefined;
        },
        20_000,
      );
      const taken = second.service.session(config.id)!.session.accessToken;
      await waitFor(
        'a renewal by the new owner',
        () => second.service.session(config.id)!.session.accessToken !== taken,
        15_000,
      );
      const whoami = await new MatrixApi(
        bed.delegated.baseUrl,
        second.service.session(config.id)!.session.accessToken,
      ).whoami();
      assert.ok(whoami.user_id);
      assert.deepEqual(
        [...first.events, ...second.events].filter((e) => e.type === 'session_expired'),
        [],
      );
    } finally {
      await first.close();
      await second.close();
    }
  });
});
