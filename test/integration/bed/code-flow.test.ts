import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Browser } from '../../bed/browser.ts';
import { currentBed } from '../../bed/current.ts';
import { createOAuthAccount, MatrixApi, uniqueName } from '../../bed/matrix.ts';
import {
  BedOAuthClient,
  LoopbackListener,
  matrixScope,
  newDeviceId,
  pkcePair,
  signInWithBrowser,
} from '../../bed/oauth-client.ts';

const bed = currentBed();

describe('bed: authorization-code flow through the real pages', () => {
  let client: BedOAuthClient;
  before(async () => {
    client = await BedOAuthClient.fromHomeserver(bed.delegated.baseUrl);
  });

  it('signs in (login page, consent page, code on an ephemeral loopback port) and Synapse answers /whoami', async () => {
    const account = await createOAuthAccount(bed);
    const { tokens, deviceId } = await signInWithBrowser(client, account);
    assert.ok(tokens.access_token && tokens.refresh_token, 'access and refresh token');
    assert.equal(tokens.expires_in, 300, 'MAS default lifetime');
    assert.match(tokens.scope ?? '', /urn:matrix:client:api:\*/);
    const whoami = await new MatrixApi(bed.delegated.baseUrl, tokens.access_token).whoami();
    assert.equal(whoami.user_id, account.userId);
    assert.equal(whoami.device_id, deviceId);
  });

  it('reports a denied consent to the redirect URI as access_denied', async () => {
    const account = await createOAuthAccount(bed);
    const { callback } = await signInWithBrowser(client, account, { consent: 'deny' });
    assert.equal(callback.get('error'), 'access_denied');
    assert.equal(callback.get('code'), null);
  });

  it('shows the login page again with an error for a wrong password', async () => {
    const account = await createOAuthAccount(bed);
    const clientId = await client.registerNative(['http://127.0.0.1/callback']);
    const browser = new Browser();
    const page = await browser.navigate(
      client.authorizationUrl({
        client_id: clientId,
        redirect_uri: 'http://127.0.0.1:9/callback',
        scope: matrixScope(newDeviceId()),
        state: 's',
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
        login_hint: `mxid:${account.userId}`,
      }),
    );
    assert.match(page.body, new RegExp(`value="${account.username}"`), 'login_hint pre-fills the username');
    const retry = await browser.submit(page, { username: account.username, password: 'wrong' }, { formId: 'login' });
    assert.equal(retry.status, 400);
    assert.match(retry.body, /Wrong username or password/);
  });

  it('creates an account on prompt=create and signs it in', async () => {
    const listener = await LoopbackListener.open();
    try {
      const clientId = await client.registerNative(['http://127.0.0.1/callback']);
      const { verifier, challenge } = pkcePair();
      const deviceId = newDeviceId();
      const browser = new Browser();
      const signup = await browser.navigate(
        client.authorizationUrl({
          client_id: clientId,
          redirect_uri: listener.redirectUri,
          scope: matrixScope(deviceId),
          state: 'st',
          code_challenge: challenge,
          code_challenge_method: 'S256',
          prompt: 'create',
        }),
      );
      assert.match(signup.body, /id="signup"/);
      const username = uniqueName('new');
      const consent = await browser.submit(signup, { username, password: 'a-long-password' }, { formId: 'signup' });
      await browser.submit(consent, {}, { formId: 'consent' });
      const code = listener.callbacks[0]?.get('code');
      assert.ok(code, 'a code arrived');
      const { body } = await client.exchangeCode(clientId, code, listener.redirectUri, verifier);
      const whoami = await new MatrixApi(bed.delegated.baseUrl, body.access_token).whoami();
      assert.equal(whoami.user_id, `@${username}:${bed.delegated.serverName}`);
    } finally {
      await listener.close();
    }
  });

  const badRequests: Array<[string, Record<string, string>, string]> = [
    ['no PKCE', { code_challenge: '', code_challenge_method: '' }, 'invalid_request'],
    ['PKCE plain', { code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' }, 'invalid_request'],
    [
      'mixed scope forms',
      { scope: 'urn:matrix:client:api:* urn:matrix:org.matrix.msc2967.client:device:ABCDEFGHIJ' },
      'invalid_scope',
    ],
    [
      'a device id under 10 characters',
      { scope: 'urn:matrix:client:api:* urn:matrix:client:device:SHORT' },
      'invalid_scope',
    ],
    [
      'two device scopes',
      { scope: `${matrixScope(newDeviceId())} urn:matrix:client:device:${newDeviceId()}` },
      'invalid_scope',
    ],
  ];
  for (const [name, override, error] of badRequests) {
    it(`refuses an authorization request with ${name} (${error})`, async () => {
      const clientId = await client.registerNative(['http://127.0.0.1/callback']);
      const params: Record<string, string> = {
        client_id: clientId,
        redirect_uri: 'http://127.0.0.1:9/callback',
        scope: matrixScope(newDeviceId()),
        state: 'st',
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
        ...override,
      };
      for (const key of Object.keys(params)) if (params[key] === '') delete params[key];
      const result = await new Browser().navigate(client.authorizationUrl(params), {}, (t) => t.port === '9');
      assert.ok(result.location, `redirected back to the client (status ${result.status})`);
      assert.equal(new URL(result.location).searchParams.get('error'), error);
    });
  }

  it('refuses a code exchange without the right PKCE verifier', async () => {
    const account = await createOAuthAccount(bed);
    const listener = await LoopbackListener.open();
    try {
      const clientId = await client.registerNative(['http://127.0.0.1/callback']);
      const browser = new Browser();
      let page = await browser.navigate(
        client.authorizationUrl({
          client_id: clientId,
          redirect_uri: listener.redirectUri,
          scope: matrixScope(newDeviceId()),
          state: 'st',
          code_challenge: pkcePair().challenge,
          code_challenge_method: 'S256',
        }),
      );
      page = await browser.submit(page, account, { formId: 'login' });
      await browser.submit(page, {}, { formId: 'consent' });
      const code = listener.callbacks[0]?.get('code') ?? '';
      const { status, body } = await client.exchangeCode(clientId, code, listener.redirectUri, pkcePair().verifier);
      assert.equal(status, 400);
      assert.equal(body.error, 'invalid_grant');
    } finally {
      await listener.close();
    }
  });
});
