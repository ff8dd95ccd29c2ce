import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Browser } from '../../bed/browser.ts';
import { currentBed } from '../../bed/current.ts';
import { createOAuthAccount } from '../../bed/matrix.ts';
import {
  BedOAuthClient,
  introspectToken,
  LoopbackListener,
  matrixScope,
  newDeviceId,
  pkcePair,
  signInWithBrowser,
} from '../../bed/oauth-client.ts';
import { OAuthServer } from '../../bed/oauth/server.ts';
import { freePort } from '../../bed/ports.ts';

const bed = currentBed();

const introspect = (token: string, hint = 'access_token', client = bed.oauth.introspectionClient) =>
  introspectToken(bed, token, { hint, client });

describe('bed: introspection for the homeserver', () => {
  let client: BedOAuthClient;
  before(async () => {
    client = await BedOAuthClient.fromHomeserver(bed.delegated.baseUrl);
  });

  it('describes an access token with username, device_id, scope and expires_in', async () => {
    const account = await createOAuthAccount(bed);
    const { tokens, deviceId } = await signInWithBrowser(client, account);
    const result = await introspect(tokens.access_token);
    assert.equal(result.active, true);
    assert.equal(result.username, account.username);
    assert.equal(result.device_id, deviceId);
    assert.equal(result.scope, matrixScope(deviceId));
    assert.equal(typeof result.sub, 'string');
    assert.ok(typeof result.expires_in === 'number' && result.expires_in > 290 && result.expires_in <= 300);
  });

  it('answers inactive for an unknown token and refuses a caller without credentials', async () => {
    assert.deepEqual(await introspect('not-a-token'), { active: false });
    const wrong = { id: bed.oauth.introspectionClient.id, secret: 'wrong' };
    await assert.rejects(introspect('not-a-token', 'access_token', wrong));
  });
});

describe('bed: auto-approve mode (demos)', () => {
  it('finishes the authorization without any page, as the login_hint user', async () => {
    const port = await freePort();
    const server = new OAuthServer({
      port,
      autoApprove: true,
      homeserver: {
        baseUrl: bed.delegated.baseUrl,
        serverName: bed.delegated.serverName,
        adminToken: bed.oauth.controlToken,
      },
      introspectionClient: { id: 'synapse', secret: 'unused' },
      controlToken: 'unused',
      log: () => {},
    });
    await server.start();
    const listener = await LoopbackListener.open();
    try {
      const account = await server.createUser({ username: `auto-${port}`, password: 'pw' });
      const demoClient = await BedOAuthClient.fromIssuer(server.issuer);
      const clientId = await demoClient.registerNative(['http://127.0.0.1/callback']);
      const { challenge } = pkcePair();
      const result = await new Browser().navigate(
        demoClient.authorizationUrl({
          client_id: clientId,
          redirect_uri: listener.redirectUri,
          scope: matrixScope(newDeviceId()),
          state: 'st',
          code_challenge: challenge,
          code_challenge_method: 'S256',
          login_hint: `mxid:@${account.username}:${bed.delegated.serverName}`,
        }),
      );
      assert.equal(result.status, 200, 'ended on the loopback listener');
      assert.ok(listener.callbacks[0]?.get('code'), 'a code arrived without any page');
    } finally {
      await listener.close();
      await server.stop();
    }
  });
});
