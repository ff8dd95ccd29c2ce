import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkClientRegistration } from '../../bed/oauth/registration-policy.ts';

const base = {
  client_uri: 'https://matrix-channels.example.org/',
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code', 'refresh_token'],
};

describe('MAS registration policy (bed)', () => {
  const accepted: Array<[string, Record<string, unknown>]> = [
    ['loopback 127.0.0.1 without port', { redirect_uris: ['http://127.0.0.1/callback'] }],
    ['loopback localhost with port', { redirect_uris: ['http://localhost:8080/cb'] }],
    ['loopback [::1]', { redirect_uris: ['http://[::1]/cb'] }],
    ['reverse-DNS private-use scheme without authority', { redirect_uris: ['org.example.matrix-channels:/callback'] }],
    [
      'web client on the client_uri host',
      { application_type: 'web', redirect_uris: ['https://matrix-channels.example.org/cb'] },
    ],
    [
      'web client on a subdomain',
      { application_type: 'web', redirect_uris: ['https://auth.matrix-channels.example.org/cb'] },
    ],
    ['native client with https on the client_uri host', { redirect_uris: ['https://matrix-channels.example.org/cb'] }],
    [
      'device flow only, no redirect URIs',
      { grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'] },
    ],
    [
      'logo, tos and policy on the client host',
      {
        redirect_uris: ['http://127.0.0.1/cb'],
        logo_uri: 'https://matrix-channels.example.org/logo.png',
        tos_uri: 'https://matrix-channels.example.org/tos',
        policy_uri: 'https://matrix-channels.example.org/privacy',
      },
    ],
  ];
  for (const [name, extra] of accepted) {
    it(`accepts ${name}`, () => assert.equal(checkClientRegistration({ ...base, ...extra }), undefined));
  }

  const rejected: Array<[string, Record<string, unknown>, RegExp]> = [
    ['vscode:// redirect URI', { redirect_uris: ['vscode://pub.ext/cb'] }, /^redirect_uris: .*authority/],
    [
      'private-use scheme with authority',
      { redirect_uris: ['org.example.matrix-channels://callback'] },
      /^redirect_uris/,
    ],
    [
      'private-use scheme not matching client_uri',
      { redirect_uris: ['com.other.app:/cb'] },
      /^redirect_uris: .*org\.example\.matrix-channels/,
    ],
    [
      'native client with https on another host',
      { redirect_uris: ['https://evil.example.com/cb'] },
      /^redirect_uris: .*host of client_uri/,
    ],
    ['http on a non-loopback host', { redirect_uris: ['http://example.org/cb'] }, /^redirect_uris/],
    ['a fragment', { redirect_uris: ['http://127.0.0.1/cb#x'] }, /^redirect_uris: .*fragment/],
    [
      'web client with loopback',
      { application_type: 'web', redirect_uris: ['http://127.0.0.1/cb'] },
      /^redirect_uris: .*https/,
    ],
    [
      'web client on another host',
      { application_type: 'web', redirect_uris: ['https://evil.example.com/cb'] },
      /^redirect_uris/,
    ],
    ['missing client_uri', { client_uri: undefined, redirect_uris: ['http://127.0.0.1/cb'] }, /client_uri is required/],
    [
      'http client_uri',
      { client_uri: 'http://matrix-channels.example.org/', redirect_uris: ['http://127.0.0.1/cb'] },
      /client_uri must be a valid https URL/,
    ],
    ['localhost client_uri', { client_uri: 'https://localhost/', redirect_uris: ['http://127.0.0.1/cb'] }, /localhost/],
    ['IP client_uri', { client_uri: 'https://10.1.2.3/', redirect_uris: ['http://127.0.0.1/cb'] }, /IP address/],
    [
      'public-suffix client_uri',
      { client_uri: 'https://github.io/', redirect_uris: ['http://127.0.0.1/cb'] },
      /public suffix/,
    ],
    [
      'logo on another host',
      { redirect_uris: ['http://127.0.0.1/cb'], logo_uri: 'https://cdn.example.net/logo.png' },
      /logo_uri/,
    ],
    ['authorization_code without redirect URIs', { redirect_uris: [] }, /redirect_uris are required/],
    ['client_credentials for a public client', { grant_types: ['client_credentials'] }, /confidential/],
  ];
  for (const [name, extra, message] of rejected) {
    it(`rejects ${name}`, () => assert.match(checkClientRegistration({ ...base, ...extra }) ?? '(accepted)', message));
  }
});
