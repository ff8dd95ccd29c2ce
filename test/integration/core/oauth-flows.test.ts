import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { currentBed } from '../../bed/current.ts';
import { createOAuthAccount, MatrixApi } from '../../bed/matrix.ts';
import { LoopbackFlow } from '../../../src/core/auth/oauth/flows/loopback.ts';
import { signInWithOAuth } from '../../../src/core/auth/oauth/oauth-sign-in.ts';
import { isMatrixChannelError } from '../../../src/core/errors.ts';
import type { OAuthCapability } from '../../../src/core/discovery/types.ts';
import { CapturedLog, identity, oauthCapability, personAtBrowser } from './support.ts';

const bed = currentBed();
const homeserver = { baseUrl: bed.delegated.baseUrl, versions: [] as string[] };

describe('core: OAuth sign-in, loopback flow', () => {
  let oauth: OAuthCapability;
  before(async () => {
    oauth = await oauthCapability(bed);
  });

  it('signs in through the real pages with the code arriving on a random loopback port', async () => {
    const account = await createOAuthAccount(bed);
    const person = personAtBrowser(account);
    const log = new CapturedLog();
    const session = await signInWithOAuth({
      homeserver,
      oauth,
      identity,
      flows: [new LoopbackFlow()],
      host: 'local',
      openBrowser: person.openBrowser,
      log: log.logger,
      userId: account.userId,
    });
    const [finalPage] = await person.finished();
    assert.match(finalPage ?? '', /Signed in to Matrix/);
    assert.equal(session.userId, account.userId);
    assert.equal(session.authMode, 'oidc');
    assert.equal(session.issuer, bed.oauth.issuer);
    assert.ok(session.refreshToken && session.clientId && session.expiresAt);
    assert.match(session.deviceId, /^[A-Z0-9]{12}$/);
    assert.equal(
      (await new MatrixApi(bed.delegated.baseUrl, session.accessToken).whoami()).device_id,
      session.deviceId,
    );
    log.assertFree([session.accessToken, session.refreshToken]);
  });

  it('reports a denied consent as denied, within a second of the click', async () => {
    const account = await createOAuthAccount(bed);
    const person = personAtBrowser(account, 'deny');
    const started = Date.now();
    await assert.rejects(
      signInWithOAuth({
        homeserver,
        oauth,
        identity,
        flows: [new LoopbackFlow()],
        host: 'local',
        openBrowser: person.openBrowser,
        log: new CapturedLog().logger,
      }),
      (error) => isMatrixChannelError(error, 'consent_denied'),
    );
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    const [page] = await person.finished();
    assert.match(page ?? '', /Access was denied/);
  });
});
