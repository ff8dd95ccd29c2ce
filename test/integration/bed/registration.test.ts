import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { currentBed } from '../../bed/current.ts';
import { BedOAuthClient, CLIENT_URI, nativeClientMetadata } from '../../bed/oauth-client.ts';

const bed = currentBed();

describe('bed: dynamic client registration follows MAS policy', () => {
  let client: BedOAuthClient;
  before(async () => {
    client = await BedOAuthClient.fromHomeserver(bed.delegated.baseUrl);
  });

  it('registers a public native client with a port-less loopback redirect', async () => {
    const { status, body } = await client.register(
      nativeClientMetadata(['http://127.0.0.1/callback'], {
        logo_uri: `${CLIENT_URI}logo.png`,
        tos_uri: `${CLIENT_URI}tos`,
        policy_uri: `${CLIENT_URI}privacy`,
      }),
    );
    assert.equal(status, 201);
    assert.ok(body.client_id);
    assert.equal((body as Record<string, unknown>).client_secret, undefined, 'a public client gets no secret');
    assert.equal((body as Record<string, unknown>).client_name, 'Bed test client');
  });

  it('gives a public client that registers again with identical metadata the same client_id, as MAS does', async () => {
    const metadata = nativeClientMetadata(['http://127.0.0.1/callback'], { client_name: `Twice ${Date.now()}` });
    const first = await client.register(metadata);
    const again = await client.register({ ...metadata });
    const other = await client.register({ ...metadata, client_name: `${String(metadata.client_name)} (other)` });
    assert.deepEqual([first.status, again.status, other.status], [201, 201, 201]);
    assert.ok(first.body.client_id);
    assert.equal(again.body.client_id, first.body.client_id, 'identical metadata: the same client');
    assert.notEqual(other.body.client_id, first.body.client_id, 'other metadata: another client');
  });

  it("accepts an https redirect on client_uri's host for a native client, as MAS does", async () => {
    const { status } = await client.register(nativeClientMetadata([`${CLIENT_URI}oauth/callback`]));
    assert.equal(status, 201);
  });

  it('accepts a reverse-DNS private-use scheme without authority', async () => {
    const { status } = await client.register(nativeClientMetadata(['org.example.matrix-channels:/callback']));
    assert.equal(status, 201);
  });

  it('makes a client that omits token_endpoint_auth_method confidential, as MAS does', async () => {
    const metadata = nativeClientMetadata(['http://127.0.0.1/callback']);
    delete metadata.token_endpoint_auth_method;
    const { status, body } = await client.register(metadata);
    assert.equal(status, 201);
    assert.ok((body as Record<string, unknown>).client_secret);
  });

  const refused: Array<[string, Record<string, unknown>, string]> = [
    ['vscode://pub.ext/cb', nativeClientMetadata(['vscode://pub.ext/cb']), 'invalid_redirect_uri'],
    [
      'a private-use scheme with an authority',
      nativeClientMetadata(['org.example.matrix-channels://cb']),
      'invalid_redirect_uri',
    ],
    [
      'a native client with an https redirect on another host',
      nativeClientMetadata(['https://evil.example.com/cb']),
      'invalid_redirect_uri',
    ],
    [
      'a web client with an http loopback redirect',
      nativeClientMetadata(['http://127.0.0.1/cb'], { application_type: 'web' }),
      'invalid_redirect_uri',
    ],
    [
      'a missing client_uri',
      nativeClientMetadata(['http://127.0.0.1/cb'], { client_uri: undefined }),
      'invalid_client_metadata',
    ],
    [
      'a localhost client_uri',
      nativeClientMetadata(['http://127.0.0.1/cb'], { client_uri: 'https://localhost/' }),
      'invalid_client_metadata',
    ],
    [
      'a logo on another host',
      nativeClientMetadata(['http://127.0.0.1/cb'], { logo_uri: 'https://cdn.example.net/x.png' }),
      'invalid_client_metadata',
    ],
  ];
  for (const [name, metadata, error] of refused) {
    it(`refuses ${name} with ${error}`, async () => {
      const { status, body } = await client.register(metadata);
      assert.equal(status, 400);
      assert.equal(body.error, error);
      assert.ok(body.error_description, 'the refusal says why');
    });
  }
});
