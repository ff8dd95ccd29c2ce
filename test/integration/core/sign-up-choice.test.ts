/**
 * "Create an account" is offered only where the server's sign-in service takes new accounts (it advertises
 * `prompt=create`, as MAS does when sign-up is on): the bed's service does; one started with sign-up off
 * advertises only `login`, refuses the sign-up page, and the choices leave sign-up out.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { choiceWithoutAsking, signInChoices } from '../../../src/core/auth/sign-in-choices.ts';
import { OAUTH_HOST } from '../../bed/bed.ts';
import { Browser } from '../../bed/browser.ts';
import { currentBed } from '../../bed/current.ts';
import { BedOAuthClient, matrixScope, newDeviceId, pkcePair } from '../../bed/oauth-client.ts';
import { OAuthServer } from '../../bed/oauth/server.ts';
import { freePort } from '../../bed/ports.ts';
import { testEngine } from './engine.ts';

const bed = currentBed();

describe('core: creating an account is offered only where the server takes new accounts', () => {
  it("the bed's homeserver (sign-up on, as matrix.org): offered after the browser sign-in", async () => {
    const { engine } = testEngine();
    const { capabilities } = await engine.discover(bed.delegated.baseUrl);
    assert.deepEqual(capabilities.oauth?.metadata.prompt_values_supported, ['login', 'create']);
    const choices = signInChoices(capabilities);
    assert.deepEqual(
      choices.map((choice) => choice.id),
      ['browser', 'sign_up', 'access_token'],
    );
    assert.equal(choiceWithoutAsking(choices), undefined, 'the person is asked');
  });

  describe('a sign-in service with sign-up off (MAS by default)', () => {
    let closed: OAuthServer;
    let client: BedOAuthClient;
    before(async () => {
      closed = new OAuthServer({
        port: await freePort(OAUTH_HOST),
        host: OAUTH_HOST,
        registration: false,
        // It provisions no one here: only its metadata and pages are looked at.
        homeserver: { baseUrl: bed.delegated.baseUrl, serverName: bed.delegated.serverName, adminToken: 'unused' },
        introspectionClient: { id: 'unused', secret: randomBytes(16).toString('hex') },
        controlToken: randomBytes(16).toString('hex'),
        log: () => {},
      });
      await closed.start();
      client = await BedOAuthClient.fromIssuer(closed.issuer);
    });
    after(() => closed.stop());

    it('advertises only login, and the choices leave sign-up out', () => {
      assert.deepEqual(client.metadata.prompt_values_supported, ['login']);
      const capabilities = {
        oauth: { metadata: client.metadata, source: 'auth_issuer' as const, scopeForm: 'stable' as const },
        password: false,
        sso: false,
        oauthAwarePreferred: false,
      };
      const choices = signInChoices(capabilities);
      assert.deepEqual(
        choices.map((choice) => choice.id),
        ['browser', 'access_token'],
      );
      assert.equal(choiceWithoutAsking(choices)?.id, 'browser', 'straight to the browser, nothing to ask');
    });

    it('refuses a request for its sign-up page', async () => {
      const clientId = await client.registerNative(['http://127.0.0.1/callback']);
      const { challenge } = pkcePair();
      const page = await new Browser().navigate(
        client.authorizationUrl({
          client_id: clientId,
          redirect_uri: 'http://127.0.0.1:1/callback',
          scope: matrixScope(newDeviceId()),
          state: 'st',
          code_challenge: challenge,
          code_challenge_method: 'S256',
          prompt: 'create',
        }),
        {},
        (target) => target.hostname === '127.0.0.1',
      );
      assert.doesNotMatch(page.body, /id="signup"/);
      const error = page.location ? new URL(page.location).searchParams.get('error') : undefined;
      assert.equal(error, 'invalid_request', `answered ${page.status} ${page.location ?? page.body.slice(0, 200)}`);
    });
  });
});
