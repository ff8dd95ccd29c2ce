import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectAuthCapabilities, resolveHomeserver, type HomeserverInfo } from '../../../src/core/discovery/index.ts';
import { isMatrixChannelError, type ErrorKind } from '../../../src/core/errors.ts';
import { currentBed } from '../../bed/current.ts';
import { freePort } from '../../bed/ports.ts';

const bed = currentBed();

async function rejectsWith(promise: Promise<unknown>, kind: ErrorKind) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isMatrixChannelError(error, kind), `expected ${kind}, got ${String(error)}`);
    return true;
  });
}

async function assertDelegatedOAuth(homeserver: HomeserverInfo) {
  const capabilities = await detectAuthCapabilities(homeserver);
  assert.ok(capabilities.oauth, 'OAuth is offered');
  assert.equal(capabilities.oauth.source, 'stable');
  assert.equal(capabilities.oauth.scopeForm, 'stable');
  assert.equal(capabilities.oauth.metadata.issuer, bed.oauth.issuer);
  assert.ok(capabilities.oauth.metadata.device_authorization_endpoint);
  assert.ok(capabilities.oauth.metadata.prompt_values_supported?.includes('create'));
  assert.equal(capabilities.password, false);
  assert.equal(capabilities.sso, false);
}

describe('core: discovery against the bed', () => {
  it('the delegated homeserver from its base URL offers OAuth and no password', async () => {
    const homeserver = await resolveHomeserver(`${bed.delegated.baseUrl}/`);
    assert.equal(homeserver.baseUrl, bed.delegated.baseUrl);
    assert.equal(homeserver.serverName, undefined);
    assert.ok(homeserver.versions.includes('v1.11'));
    await assertDelegatedOAuth(homeserver);
  });

  it('the delegated homeserver from its server name, through .well-known', async () => {
    const homeserver = await resolveHomeserver(bed.delegated.serverName);
    assert.equal(homeserver.baseUrl, bed.delegated.baseUrl);
    assert.equal(homeserver.serverName, bed.delegated.serverName);
    await assertDelegatedOAuth(homeserver);
  });

  it('the delegated homeserver from a Matrix user ID', async () => {
    const homeserver = await resolveHomeserver(`@someone:${bed.delegated.serverName}`);
    assert.equal(homeserver.baseUrl, bed.delegated.baseUrl);
    assert.equal(homeserver.serverName, bed.delegated.serverName);
    await assertDelegatedOAuth(homeserver);
  });

  it('the classic homeserver offers password login and no OAuth', async () => {
    const homeserver = await resolveHomeserver(bed.classic.serverName);
    assert.equal(homeserver.baseUrl, bed.classic.baseUrl);
    const capabilities = await detectAuthCapabilities(homeserver);
    assert.equal(capabilities.oauth, undefined);
    assert.equal(capabilities.password, true);
    assert.equal(capabilities.oauthAwarePreferred, false);
  });

  it('a port nobody listens on is unreachable', async () => {
    const port = await freePort();
    await rejectsWith(resolveHomeserver(`http://127.0.0.1:${port}`), 'unreachable');
    await rejectsWith(resolveHomeserver(`localhost:${port}`), 'unreachable');
  });

  it('an HTTP server that is not Matrix (the OAuth server) is not_matrix, by URL and by server name', async () => {
    await rejectsWith(resolveHomeserver(bed.oauth.issuer), 'not_matrix');
    await rejectsWith(resolveHomeserver(new URL(bed.oauth.issuer).host), 'not_matrix');
  });
});
