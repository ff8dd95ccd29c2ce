import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { currentBed } from '../../bed/current.ts';
import { createOAuthAccount, MatrixApi, MatrixError } from '../../bed/matrix.ts';
import { BedOAuthClient, signInWithBrowser } from '../../bed/oauth-client.ts';

const bed = currentBed();

/** Polls /whoami until Synapse answers 401 M_UNKNOWN_TOKEN; returns the seconds it took and the statuses seen. */
async function waitUntilRefused(token: string, limitSeconds: number): Promise<{ seconds: number; seen: number[] }> {
  const api = new MatrixApi(bed.delegated.baseUrl, token);
  const started = Date.now();
  const seen: number[] = [];
  while (Date.now() - started < limitSeconds * 1000) {
    try {
      await api.whoami();
      seen.push(200);
    } catch (error) {
      const e = error as MatrixError;
      if (e.status === 401 && e.errcode === 'M_UNKNOWN_TOKEN') return { seconds: (Date.now() - started) / 1000, seen };
      seen.push(e.status);
    }
    await sleep(1000);
  }
  throw new Error(
    `Synapse still did not refuse the token after ${limitSeconds}s (saw ${[...new Set(seen)].join(', ')})`,
  );
}

describe('bed: refresh, expiry and revocation', () => {
  let client: BedOAuthClient;
  before(async () => {
    client = await BedOAuthClient.fromHomeserver(bed.delegated.baseUrl);
  });

  it('rotates refresh tokens: a new pair works; once it is in use the old refresh token is refused', async () => {
    const account = await createOAuthAccount(bed);
    const { tokens, clientId } = await signInWithBrowser(client, account);
    const refreshed = await client.refresh(clientId, tokens.refresh_token!);
    assert.equal(refreshed.status, 200);
    assert.ok(
      refreshed.body.refresh_token && refreshed.body.refresh_token !== tokens.refresh_token,
      'a new refresh token',
    );
    assert.notEqual(refreshed.body.access_token, tokens.access_token);
    const whoami = await new MatrixApi(bed.delegated.baseUrl, refreshed.body.access_token).whoami();
    assert.equal(whoami.user_id, account.userId);
    const replay = await client.refresh(clientId, tokens.refresh_token!);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
  });

  it('revokes the previous access token on refresh (a token never seen by Synapse is refused at once)', async () => {
    const account = await createOAuthAccount(bed);
    const { tokens, clientId } = await signInWithBrowser(client, account);
    const refreshed = await client.refresh(clientId, tokens.refresh_token!);
    assert.equal(refreshed.status, 200);
    await assert.rejects(
      new MatrixApi(bed.delegated.baseUrl, tokens.access_token).whoami(),
      (e: MatrixError) => e.status === 401 && e.errcode === 'M_UNKNOWN_TOKEN',
    );
  });

  it('issues access tokens with a per-user lifetime; Synapse refuses them once expired (expires_in)', async () => {
    const account = await createOAuthAccount(bed, { accessTokenTtl: 3 });
    const { tokens, clientId } = await signInWithBrowser(client, account);
    assert.equal(tokens.expires_in, 3);
    const api = new MatrixApi(bed.delegated.baseUrl, tokens.access_token);
    assert.equal((await api.whoami()).user_id, account.userId, 'valid (and now cached by Synapse)');
    const { seconds } = await waitUntilRefused(tokens.access_token, 15);
    assert.ok(seconds < 6, `refused ${seconds}s after first use, despite the 2-minute introspection cache`);
    const refreshed = await client.refresh(clientId, tokens.refresh_token!);
    assert.equal(refreshed.status, 200, 'the refresh token outlives the access token');
    assert.equal(
      (await new MatrixApi(bed.delegated.baseUrl, refreshed.body.access_token).whoami()).user_id,
      account.userId,
    );
  });

  it('revocation ends the session: both tokens die at the OAuth server, and Synapse refuses the token', async () => {
    const account = await createOAuthAccount(bed);
    const { tokens, clientId } = await signInWithBrowser(client, account);
    const api = new MatrixApi(bed.delegated.baseUrl, tokens.access_token);
    assert.equal((await api.whoami()).user_id, account.userId, 'Synapse now caches this token as valid');
    assert.equal(await client.revoke(clientId, tokens.access_token, 'access_token'), 200);
    const refresh = await client.refresh(clientId, tokens.refresh_token!);
    assert.equal(refresh.body.error, 'invalid_grant', 'revoking the access token also ended the refresh token');
    // Synapse caches a positive introspection for 2 minutes and keeps honouring the token meanwhile (even
    // though the device is gone): wait for the definitive 401 deliberately.
    await waitUntilRefused(tokens.access_token, 150);
  });

  it('revoking the refresh token also ends the access token', async () => {
    const account = await createOAuthAccount(bed);
    const { tokens, clientId } = await signInWithBrowser(client, account);
    assert.equal(await client.revoke(clientId, tokens.refresh_token!, 'refresh_token'), 200);
    await assert.rejects(
      new MatrixApi(bed.delegated.baseUrl, tokens.access_token).whoami(),
      (e: MatrixError) => e.status === 401 && e.errcode === 'M_UNKNOWN_TOKEN',
    );
  });
});
