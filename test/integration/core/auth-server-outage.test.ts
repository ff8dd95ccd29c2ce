/**
 * A sign-in server that is down, overloaded or answering garbage never ends a session: against the bed's token
 * endpoint switched to fail for this client only (5xx with an HTML or a JSON body, 429 with Retry-After, a
 * dropped connection), refreshes are retried, the secret stays, nothing reports the session as ended, and once
 * the server answers again the session renews by itself.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currentBed } from '../../bed/current.ts';
import { armTokenFault, disarmTokenFault, tokenFaultCount } from '../../bed/oauth-client.ts';
import { CHANNEL_DEFAULTS, type ChannelConfig } from '../../../src/core/channel/config.ts';
import type { MatrixChannelError } from '../../../src/core/errors.ts';
import { ChannelSync } from '../../../src/core/sync/channel-sync.ts';
import { MemorySyncStateStore } from '../../../src/core/sync/sync-state-store.ts';
import type { ChannelSyncState } from '../../../src/core/sync/types.ts';
import { assertRenewsByItself, oauthSession } from './engine.ts';
import { waitFor } from './live-support.ts';

const bed = currentBed();

const OUTAGES = [
  ['500 with an HTML page', { status: 500, body: 'html' }],
  ['502 with an HTML page', { status: 502, body: 'html' }],
  ['503 with an OAuth JSON error', { status: 503, body: 'json' }],
  ['429 with Retry-After', { status: 429, body: 'json', retryAfterSeconds: 1 }],
  ['a dropped connection', { drop: true }],
] as const;

describe('core: an authorization-server outage never ends a session', () => {
  for (const [label, outage] of OUTAGES) {
    it(`a token endpoint answering ${label}: retried, kept, renewed once it is back`, async () => {
      // Tokens short enough for renewals to start at once, long enough for the sign-in to use one on a busy machine.
      const { engine, session, store, log } = await oauthSession({ accessTokenTtl: 5 });
      const ended: MatrixChannelError[] = [];
      const fault = await armTokenFault(bed, { token: session.refreshToken!, ...outage });
      const managed = engine.manage('acct', session, {
        onEnded: (reason) => ended.push(reason),
        retry: { initialMs: 200, maxMs: 1_000 },
      });
      try {
        // The renewals meet the outage, again and again (the access token expires meanwhile).
        await waitFor('three failed renewals', async () => (await tokenFaultCount(bed, fault)) >= 3, 20_000);
        const failed = await disarmTokenFault(bed, fault);
        assert.ok(failed >= 3, `the refreshes met the outage (${failed} failed)`);
        assert.deepEqual(
          ended.map((e) => e.reason),
          [],
          'the session did not end',
        );
        assert.equal(managed.endedReason, undefined);
        assert.equal(managed.renewable, true);
        assert.equal((await store.load('acct'))?.refreshToken, session.refreshToken, 'the secret is kept as it was');

        await assertRenewsByItself({ managed, session, store, ended, log });
      } finally {
        managed.dispose();
        await disarmTokenFault(bed, fault);
      }
    });
  }

  it('signing out while the sign-in server is down: the secret goes, the person is told the server did not confirm', async () => {
    const { engine, session, store } = await oauthSession();
    const fault = await armTokenFault(bed, { token: session.refreshToken!, status: 503, body: 'html' });
    try {
      const result = await engine.signOut('acct', session);
      assert.equal(await tokenFaultCount(bed, fault), 1, 'the revocation met the outage');
      assert.equal(result.revoked, false);
      assert.equal(result.error?.kind, 'server_error');
      assert.equal(result.error?.reason, 'Revoking the session failed: the sign-in server had an error (HTTP 503).');
      assert.equal(await store.load('acct'), undefined, 'signed out on this computer all the same');
    } finally {
      await disarmTokenFault(bed, fault);
    }
  });

  it('a live channel whose token expires during the outage waits ("reconnecting"), never "needs sign-in"', async () => {
    const { engine, session, log } = await oauthSession({ accessTokenTtl: 5 });
    const fault = await armTokenFault(bed, { token: session.refreshToken!, status: 503, body: 'html' });
    const managed = engine.manage('acct', session, { retry: { initialMs: 300, maxMs: 1_000 } });
    const states: ChannelSyncState[] = [];
    const config: ChannelConfig = {
      ...CHANNEL_DEFAULTS,
      roomAllowlist: [],
      userAllowlist: [],
      id: 'acct',
      homeserver: bed.delegated.baseUrl,
    };
    const sync = new ChannelSync({
      accountId: 'acct',
      session: managed,
      config: () => config,
      store: new MemorySyncStateStore(),
      log: log.logger,
      pollTimeoutMs: 1_000,
      backoff: { initialMs: 500, maxMs: 1_000, healthyMs: 60_000 },
    });
    sync.onState((state) => states.push(state));
    try {
      await sync.start();
      await waitFor('the expired token refused', () => states.some((s) => s.state === 'reconnecting'), 20_000);
      await disarmTokenFault(bed, fault);
      const since = states.length;
      await waitFor('connected again', () => states.slice(since).some((s) => s.state === 'connected'), 15_000);
      assert.deepEqual(
        states.filter((s) => s.state === 'needs_sign_in'),
        [],
        'never "needs sign-in"',
      );
      assert.equal(managed.endedReason, undefined);
      const waiting = states.find((s) => s.state === 'reconnecting');
      assert.equal(
        waiting && 'reason' in waiting ? waiting.reason : '',
        'Waiting to renew the session: the sign-in server is not answering.',
      );
    } finally {
      await sync.stop();
      managed.dispose();
      await disarmTokenFault(bed, fault);
    }
  });
});
