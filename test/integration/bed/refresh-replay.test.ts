/**
 * A refresh token presented again after its rotation, answered as MAS answers it: forgiven while the pair issued
 * in its place is unused (a client that lost the answer), refused without ending the session once that pair is in
 * use; and, for a session that asks for oidc-provider's strict rule, the end of the whole session.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { currentBed } from '../../bed/current.ts';
import { createOAuthAccount, MatrixApi } from '../../bed/matrix.ts';
import {
  BedOAuthClient,
  forgivenRefreshReplays,
  introspectToken,
  signInWithBrowser,
  strictRefreshReplay,
} from '../../bed/oauth-client.ts';

const bed = currentBed();

describe('bed: refresh-token replays, as MAS answers them', () => {
  let client: BedOAuthClient;
  before(async () => {
    client = await BedOAuthClient.fromHomeserver(bed.delegated.baseUrl);
  });

  async function signedIn() {
    const account = await createOAuthAccount(bed);
    const { tokens, clientId } = await signInWithBrowser(client, account);
    return { account, clientId, first: tokens.refresh_token! };
  }

  it('forgives a replay whose successor was never used: that pair is revoked, a new one works', async () => {
    const { account, clientId, first } = await signedIn();
    const lost = await client.refresh(clientId, first);
    assert.equal(lost.status, 200);

    const replay = await client.refresh(clientId, first);
    assert.equal(replay.status, 200, `the replay is accepted (${replay.body.error ?? ''})`);
    assert.equal(await forgivenRefreshReplays(bed, first), 1);
    assert.notEqual(replay.body.refresh_token, lost.body.refresh_token);
    const whoami = await new MatrixApi(bed.delegated.baseUrl, replay.body.access_token).whoami();
    assert.equal(whoami.user_id, account.userId);
    assert.equal(
      (await introspectToken(bed, lost.body.access_token)).active,
      false,
      'the lost access token is revoked',
    );
    const lostRefresh = await client.refresh(clientId, lost.body.refresh_token!);
    assert.equal(lostRefresh.body.error, 'invalid_grant', 'and so is the lost refresh token');
    assert.equal((await client.refresh(clientId, replay.body.refresh_token!)).status, 200, 'the session goes on');
  });

  it('refuses a replay once the successor is in use, and the session lives on', async () => {
    const { clientId, first } = await signedIn();
    const next = await client.refresh(clientId, first);
    // The homeserver asks about the new access token on its first use: from then on it counts as used.
    await new MatrixApi(bed.delegated.baseUrl, next.body.access_token).whoami();

    const replay = await client.refresh(clientId, first);
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal((await introspectToken(bed, next.body.access_token)).active, true, 'the session is not ended');
    assert.equal((await client.refresh(clientId, next.body.refresh_token!)).status, 200);
  });

  it("on a session given oidc-provider's strict rule, any replay ends the whole session", async () => {
    const { clientId, first } = await signedIn();
    await strictRefreshReplay(bed, first);
    const next = await client.refresh(clientId, first);
    assert.equal(next.status, 200);

    const replay = await client.refresh(clientId, first);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal((await introspectToken(bed, next.body.access_token)).active, false, 'the session is over');
    assert.equal((await client.refresh(clientId, next.body.refresh_token!)).body.error, 'invalid_grant');
  });
});
