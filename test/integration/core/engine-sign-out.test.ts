import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currentBed } from '../../bed/current.ts';
import { createClassicUser, MatrixApi, MatrixError } from '../../bed/matrix.ts';
import { BedOAuthClient, introspectToken } from '../../bed/oauth-client.ts';
import { sessionKey } from '../../../src/core/session/session-store.ts';
import { oauthSession, testEngine } from './engine.ts';

const bed = currentBed();

describe('core engine: sign-out', () => {
  it('revokes an OAuth session at the server and deletes the secret', async () => {
    const { engine, session, secrets } = await oauthSession();
    assert.equal((await introspectToken(bed, session.accessToken)).active, true);
    const result = await engine.signOut('acct', session);
    assert.deepEqual(result, { revoked: true });
    assert.equal(secrets.values.has(sessionKey('acct')), false);
    const client = await BedOAuthClient.fromHomeserver(bed.delegated.baseUrl);
    assert.equal((await client.refresh(session.clientId!, session.refreshToken!)).body.error, 'invalid_grant');
    // The homeserver asks the OAuth server about a token; its answer now is what the homeserver acts on once its
    // cache of the earlier answer lapses (the bed's tokens suite waits for that refusal end to end).
    assert.equal((await introspectToken(bed, session.accessToken)).active, false, 'revoked where it is decided');
  });

  it('logs out a password session with /logout', async () => {
    const user = await createClassicUser(bed);
    const { engine, secrets } = testEngine();
    const { session } = await engine.signIn({
      accountId: 'p',
      config: { homeserver: bed.classic.baseUrl, userId: user.userId },
      secrets: { password: user.password },
    });
    assert.deepEqual(await engine.signOut('p', session), { revoked: true });
    await assert.rejects(
      new MatrixApi(bed.classic.baseUrl, session.accessToken).whoami(),
      (e: MatrixError) => e.status === 401,
    );
    assert.equal(secrets.values.size, 0);
  });

  it('deletes the local secret and reports the failure when the homeserver is down', async () => {
    for (const authMode of ['oidc', 'password'] as const) {
      const { engine, secrets, store } = testEngine();
      const session = {
        homeserver: 'http://127.0.0.1:9',
        userId: '@a:localhost:9',
        deviceId: 'DEVICE0001',
        authMode,
        accessToken: 'secret-token-123',
        refreshToken: 'secret-refresh-456',
        clientId: 'c1',
      };
      await store.save('down', session);
      const result = await engine.signOut('down', session);
      assert.equal(result.revoked, false);
      assert.equal(result.error?.kind, 'unreachable', authMode);
      assert.doesNotMatch(result.error?.message ?? '', /secret-/);
      assert.equal(secrets.values.size, 0, `${authMode}: secret deleted anyway`);
    }
  });
});
