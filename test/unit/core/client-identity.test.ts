/** Dynamic client registration metadata: everything MAS shows the user, and only grants the server has. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEVICE_CODE_GRANT,
  clientMetadataFor,
  privateUseScheme,
  supportsGrant,
  type ClientIdentity,
} from '../../../src/core/auth/oauth/client-identity.ts';
import type { AuthMetadata } from '../../../src/core/discovery/types.ts';

const identity: ClientIdentity = {
  clientName: 'Matrix Channels',
  clientUri: 'https://matrix-channels.github.io/vscode',
  logoUri: 'https://matrix-channels.github.io/vscode/logo.png',
  tosUri: 'https://matrix-channels.github.io/vscode/terms',
  policyUri: 'https://matrix-channels.github.io/vscode/privacy',
};

const base: AuthMetadata = {
  issuer: 'https://auth.example.org/',
  authorization_endpoint: 'https://auth.example.org/authorize',
  token_endpoint: 'https://auth.example.org/oauth2/token',
  registration_endpoint: 'https://auth.example.org/oauth2/registration',
};

const withDevice: AuthMetadata = {
  ...base,
  device_authorization_endpoint: 'https://auth.example.org/oauth2/device',
  grant_types_supported: ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT],
};

const LOOPBACK = ['http://127.0.0.1/callback'];

describe('clientMetadataFor', () => {
  it('sends the full identity, a native public client, and the code flow for redirect URIs', () => {
    assert.deepEqual(clientMetadataFor(identity, LOOPBACK, base), {
      client_name: 'Matrix Channels',
      client_uri: 'https://matrix-channels.github.io/vscode',
      logo_uri: 'https://matrix-channels.github.io/vscode/logo.png',
      tos_uri: 'https://matrix-channels.github.io/vscode/terms',
      policy_uri: 'https://matrix-channels.github.io/vscode/privacy',
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    });
  });

  it('leaves out logo, terms and policy when the identity has none', () => {
    const metadata = clientMetadataFor({ clientName: 'Bare', clientUri: 'https://bare.example.org/' }, LOOPBACK, base);
    assert.deepEqual(Object.keys(metadata).sort(), [
      'application_type',
      'client_name',
      'client_uri',
      'grant_types',
      'redirect_uris',
      'response_types',
      'token_endpoint_auth_method',
    ]);
    assert.equal(metadata.client_name, 'Bare');
    assert.equal(metadata.client_uri, 'https://bare.example.org/');
  });

  it('sends each optional URI on its own, and treats an empty one as absent', () => {
    const onlyTos = clientMetadataFor(
      { clientName: 'N', clientUri: 'https://n.example.org/', tosUri: 'https://n.example.org/tos', logoUri: '' },
      LOOPBACK,
      base,
    );
    assert.equal(onlyTos.tos_uri, 'https://n.example.org/tos');
    assert.equal('logo_uri' in onlyTos, false);
    assert.equal('policy_uri' in onlyTos, false);
  });

  it('adds the device grant when the server has the endpoint and lists the grant', () => {
    const metadata = clientMetadataFor(identity, LOOPBACK, withDevice);
    assert.deepEqual(metadata.grant_types, ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT]);
    assert.equal(DEVICE_CODE_GRANT, 'urn:ietf:params:oauth:grant-type:device_code');
  });

  it('leaves the device grant out when the endpoint is missing, even if the grant is listed', () => {
    const { device_authorization_endpoint: _omit, ...noEndpoint } = withDevice;
    assert.deepEqual(clientMetadataFor(identity, LOOPBACK, noEndpoint).grant_types, [
      'authorization_code',
      'refresh_token',
    ]);
  });

  it('leaves the device grant out when the endpoint exists but the grant is not listed', () => {
    const metadata = { ...withDevice, grant_types_supported: ['authorization_code', 'refresh_token'] };
    assert.deepEqual(clientMetadataFor(identity, LOOPBACK, metadata).grant_types, [
      'authorization_code',
      'refresh_token',
    ]);
  });

  it('leaves the device grant out when grant_types_supported is absent (RFC 8414 default has no device_code)', () => {
    const { grant_types_supported: _omit, ...noGrants } = withDevice;
    assert.deepEqual(clientMetadataFor(identity, LOOPBACK, noGrants).grant_types, [
      'authorization_code',
      'refresh_token',
    ]);
    assert.deepEqual(clientMetadataFor(identity, [], noGrants).grant_types, ['refresh_token']);
  });

  it('registers without redirect URIs for the device flow: no code flow, no response types', () => {
    const metadata = clientMetadataFor(identity, [], withDevice);
    assert.deepEqual(metadata.redirect_uris, []);
    assert.deepEqual(metadata.response_types, []);
    assert.deepEqual(metadata.grant_types, ['refresh_token', DEVICE_CODE_GRANT]);
    assert.equal(metadata.application_type, 'native');
    assert.equal(metadata.token_endpoint_auth_method, 'none');
  });

  it('passes several redirect URIs through in order', () => {
    const uris = ['io.github.matrix-channels:/callback', 'http://127.0.0.1/callback'];
    assert.deepEqual(clientMetadataFor(identity, uris, base).redirect_uris, uris);
  });
});

describe('supportsGrant', () => {
  it('reads grant_types_supported, defaulting to authorization_code and implicit', () => {
    assert.equal(supportsGrant(base, 'authorization_code'), true);
    assert.equal(supportsGrant(base, 'implicit'), true);
    assert.equal(supportsGrant(base, 'refresh_token'), false);
    assert.equal(supportsGrant(base, DEVICE_CODE_GRANT), false);
    assert.equal(supportsGrant(withDevice, DEVICE_CODE_GRANT), true);
    assert.equal(supportsGrant({ ...base, grant_types_supported: [] }, 'authorization_code'), false);
  });
});

describe('privateUseScheme', () => {
  const cases: Array<[string, string]> = [
    ['https://matrix-channels.github.io/vscode', 'io.github.matrix-channels'],
    ['https://example.org/', 'org.example'],
    ['https://App.Example.co.uk:8443/x?y=1', 'uk.co.example.app'],
    ['https://localhost/', 'localhost'],
  ];
  for (const [clientUri, scheme] of cases) {
    it(`${clientUri} → ${scheme}`, () => assert.equal(privateUseScheme({ clientName: 'N', clientUri }), scheme));
  }
});
