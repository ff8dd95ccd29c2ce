import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currentBed } from '../../bed/current.ts';
import { MatrixApi, MatrixError } from '../../bed/matrix.ts';
import { BedOAuthClient } from '../../bed/oauth-client.ts';

const bed = currentBed();

describe('bed: discovery', () => {
  it('the delegated homeserver serves MAS-like auth_metadata (stable and unstable paths)', async () => {
    const { metadata } = await BedOAuthClient.fromHomeserver(bed.delegated.baseUrl);
    assert.equal(metadata.issuer, bed.oauth.issuer);
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
    assert.ok(metadata.grant_types_supported?.includes('urn:ietf:params:oauth:grant-type:device_code'));
    assert.ok(metadata.device_authorization_endpoint);
    assert.deepEqual(metadata.prompt_values_supported, ['login', 'create'], 'as MAS with sign-up on');
    assert.ok(metadata.account_management_uri?.startsWith(bed.oauth.issuer));
    assert.ok(metadata.account_management_actions_supported?.includes('org.matrix.device_delete'));
    const unstable = await fetch(`${bed.delegated.baseUrl}/_matrix/client/unstable/org.matrix.msc2965/auth_metadata`);
    assert.equal(unstable.status, 200);
    assert.equal(((await unstable.json()) as { issuer: string }).issuer, bed.oauth.issuer);
  });

  it('the delegated homeserver has no legacy password login', async () => {
    await assert.rejects(
      new MatrixApi(bed.delegated.baseUrl).request('GET', '/_matrix/client/v3/login'),
      (e: MatrixError) => e.errcode === 'M_UNRECOGNIZED',
    );
  });

  it('the classic homeserver offers password login and no OAuth', async () => {
    const api = new MatrixApi(bed.classic.baseUrl);
    const { flows } = await api.request<{ flows: Array<{ type: string }> }>('GET', '/_matrix/client/v3/login');
    assert.ok(flows.some((f) => f.type === 'm.login.password'));
    await assert.rejects(
      api.request('GET', '/_matrix/client/v1/auth_metadata'),
      (e: MatrixError) => e.status === 404 && e.errcode === 'M_UNRECOGNIZED',
    );
  });

  it('both homeservers answer /versions and serve .well-known/matrix/client', async () => {
    for (const hs of [bed.delegated, bed.classic]) {
      const api = new MatrixApi(hs.baseUrl);
      const { versions } = await api.request<{ versions: string[] }>('GET', '/_matrix/client/versions');
      assert.ok(versions.includes('v1.11'));
      const wellKnown = await api.request<{ 'm.homeserver': { base_url: string } }>(
        'GET',
        '/.well-known/matrix/client',
      );
      assert.equal(wellKnown['m.homeserver'].base_url, `${hs.baseUrl}/`);
    }
  });
});
