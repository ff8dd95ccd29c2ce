import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Browser } from '../../bed/browser.ts';
import { currentBed } from '../../bed/current.ts';
import { createOAuthAccount } from '../../bed/matrix.ts';
import { LoopbackFlow } from '../../../src/core/auth/oauth/flows/loopback.ts';
import { UriHandlerFlow } from '../../../src/core/auth/oauth/flows/uri-handler.ts';
import { signInWithOAuth } from '../../../src/core/auth/oauth/oauth-sign-in.ts';
import type { OAuthCapability } from '../../../src/core/discovery/types.ts';
import { isMatrixChannelError } from '../../../src/core/errors.ts';
import { CapturedLog, identity, oauthCapability, personAtBrowser, redirectUriOf } from './support.ts';

const bed = currentBed();
const homeserver = { baseUrl: bed.delegated.baseUrl, versions: [] as string[] };

/** Starts a loopback sign-in whose browser leg waits; returns the pieces an attacker or a test would see. */
async function pendingLoopbackSignIn(oauth: OAuthCapability) {
  const account = await createOAuthAccount(bed);
  const person = personAtBrowser(account, 'ignore');
  const result = signInWithOAuth({
    homeserver,
    oauth,
    identity,
    flows: [new LoopbackFlow()],
    host: 'local',
    openBrowser: person.openBrowser,
    log: new CapturedLog().logger,
  });
  result.catch(() => {});
  while (person.opened.length === 0) await sleep(20);
  const authorizationUrl = person.opened[0]!;
  const callback = redirectUriOf(authorizationUrl);
  const state = new URL(authorizationUrl).searchParams.get('state')!;
  /** The person finishing the browser leg for real. */
  const finish = async () => {
    const browser = new Browser();
    const login = await browser.navigate(authorizationUrl);
    const consent = await browser.submit(login, account, { formId: 'login' });
    return browser.submit(consent, {}, { formId: 'consent' });
  };
  const hit = async (params: Record<string, string>) => {
    const url = new URL(callback);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    const response = await fetch(url);
    return { status: response.status, body: await response.text() };
  };
  return { result, state, finish, hit, callback };
}

describe('core: callback hardening', () => {
  let oauth: OAuthCapability;
  before(async () => {
    oauth = await oauthCapability(bed);
  });

  it('a callback with the wrong state is refused with a clear page and does not disturb the sign-in', async () => {
    const flow = await pendingLoopbackSignIn(oauth);
    const forged = await flow.hit({ state: 'forged-state', code: 'forged-code' });
    assert.equal(forged.status, 400);
    assert.match(forged.body, /not valid or was already used/);
    const page = await flow.finish();
    assert.match(page.body, /Signed in to Matrix/);
    assert.ok((await flow.result).accessToken);
  });

  it('a callback without a code ends the sign-in with a clear error', async () => {
    const flow = await pendingLoopbackSignIn(oauth);
    const answer = await flow.hit({ state: flow.state });
    assert.equal(answer.status, 400);
    assert.match(answer.body, /sent no authorization code/);
    await assert.rejects(
      flow.result,
      (error) => isMatrixChannelError(error, 'authorization_failed') && /no authorization code/.test(error.message),
    );
  });

  it("an error callback ends the sign-in with the server's reason", async () => {
    const flow = await pendingLoopbackSignIn(oauth);
    const answer = await flow.hit({
      state: flow.state,
      error: 'temporarily_unavailable',
      error_description: 'Try later',
    });
    assert.equal(answer.status, 400);
    assert.match(answer.body, /temporarily_unavailable: Try later/);
    await assert.rejects(
      flow.result,
      (error) => isMatrixChannelError(error, 'authorization_failed') && error.code === 'temporarily_unavailable',
    );
  });

  it('a forged code with the right state fails the exchange and signs nobody in', async () => {
    const flow = await pendingLoopbackSignIn(oauth);
    await flow.hit({ state: flow.state, code: 'not-a-code', iss: bed.oauth.issuer });
    await assert.rejects(
      flow.result,
      (error) => isMatrixChannelError(error, 'authorization_failed') && error.code === 'invalid_grant',
    );
  });

  it('a callback claiming another issuer (mix-up, RFC 9207) is refused before any exchange', async () => {
    const flow = await pendingLoopbackSignIn(oauth);
    await flow.hit({ state: flow.state, code: 'not-a-code', iss: 'https://evil.example.com' });
    await assert.rejects(
      flow.result,
      (error) => isMatrixChannelError(error, 'authorization_failed') && /not valid/.test(error.message),
    );
  });

  it('after completion the loopback listener is gone: a replayed or second callback reaches nothing', async () => {
    const flow = await pendingLoopbackSignIn(oauth);
    await flow.finish();
    await flow.result;
    await assert.rejects(flow.hit({ state: flow.state, code: 'again' }), /fetch failed/);
  });

  it('the URI handler refuses a replayed state and a second callback after completion', async () => {
    const account = await createOAuthAccount(bed);
    const uriFlow = new UriHandlerFlow({ redirectUri: async () => 'org.example.matrix-channels:/callback' });
    let delivered: URL | undefined;
    const person = personAtBrowser(account, 'allow', (url) => {
      delivered = url;
      assert.deepEqual(uriFlow.deliver(url), { status: 'accepted' });
    });
    const session = await signInWithOAuth({
      homeserver,
      oauth,
      identity,
      flows: [uriFlow],
      host: 'web',
      openBrowser: person.openBrowser,
      log: new CapturedLog().logger,
    });
    assert.ok(session.accessToken);
    const replay = uriFlow.deliver(delivered!);
    assert.equal(replay.status, 'rejected');
    assert.match(replay.status === 'rejected' ? replay.message : '', /already used/);
    const second = new URL(delivered!);
    second.searchParams.set('code', 'another-code');
    assert.equal(uriFlow.deliver(second).status, 'rejected');
    assert.equal(
      uriFlow.deliver(new URL('org.example.matrix-channels:/callback?code=x')).status,
      'rejected',
      'no state at all',
    );
  });
});
