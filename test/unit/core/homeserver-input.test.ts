/**
 * Homeserver input parsing, and the homeserver discovery behaviours that need server answers the bed's Synapse
 * never gives (broken .well-known, non-JSON /versions, 5xx), against small real HTTP servers (discovery-fixture.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseHomeserverInput, resolveHomeserver, type HomeserverInput } from '../../../src/core/discovery/index.ts';
import { isMatrixChannelError, type ErrorKind } from '../../../src/core/errors.ts';
import { freePort } from '../../bed/ports.ts';
import { capturingLogger, rejectsWith, withServer, type Reply } from './discovery-fixture.ts';

describe('parseHomeserverInput', () => {
  const valid: Array<[string, HomeserverInput]> = [
    ['https://matrix.example.org', { kind: 'url', url: 'https://matrix.example.org' }],
    ['https://matrix.example.org/', { kind: 'url', url: 'https://matrix.example.org' }],
    ['  https://Matrix.Example.org/base/path//  ', { kind: 'url', url: 'https://matrix.example.org/base/path' }],
    ['https://example.org:8448/', { kind: 'url', url: 'https://example.org:8448' }],
    ['https://example.org:443', { kind: 'url', url: 'https://example.org' }],
    ['http://localhost:8008/', { kind: 'url', url: 'http://localhost:8008' }],
    ['http://127.0.0.1:8008', { kind: 'url', url: 'http://127.0.0.1:8008' }],
    ['http://[::1]:8008', { kind: 'url', url: 'http://[::1]:8008' }],
    ['example.org', { kind: 'server_name', serverName: 'example.org' }],
    ['example.org:8448', { kind: 'server_name', serverName: 'example.org:8448' }],
    ['matrix-1.example.org', { kind: 'server_name', serverName: 'matrix-1.example.org' }],
    ['localhost:1234', { kind: 'server_name', serverName: 'localhost:1234' }],
    ['192.168.1.10:8448', { kind: 'server_name', serverName: '192.168.1.10:8448' }],
    ['[2001:db8::1]:8448', { kind: 'server_name', serverName: '[2001:db8::1]:8448' }],
    ['[::1]', { kind: 'server_name', serverName: '[::1]' }],
    ['@alice:example.org', { kind: 'mxid', userId: '@alice:example.org', serverName: 'example.org' }],
    ['@alice:example.org:8448', { kind: 'mxid', userId: '@alice:example.org:8448', serverName: 'example.org:8448' }],
    ['@alice:[::1]:1234', { kind: 'mxid', userId: '@alice:[::1]:1234', serverName: '[::1]:1234' }],
    [
      '@a.b_c=d-e/f+g:localhost:1234',
      { kind: 'mxid', userId: '@a.b_c=d-e/f+g:localhost:1234', serverName: 'localhost:1234' },
    ],
    ['@Alice:example.org', { kind: 'mxid', userId: '@Alice:example.org', serverName: 'example.org' }],
  ];
  for (const [input, expected] of valid) {
    it(`accepts ${JSON.stringify(input)} as ${expected.kind}`, () =>
      assert.deepEqual(parseHomeserverInput(input), expected));
  }

  const invalid: Array<[string, RegExp]> = [
    ['', /is empty/],
    ['   ', /is empty/],
    ['exa mple.org', /contains spaces/],
    ['http://example.org', /must use https/],
    ['ftp://example.org', /uses ftp, not https/],
    ['https://', /not a valid URL/],
    ['https://user:pw@example.org', /user name or password/],
    ['https://example.org/?access_token=syt_secret', /query/],
    ['https://example.org/#frag', /fragment/],
    ['example.org/_matrix', /has a path but no https:\/\//],
    ['example.org:0', /invalid port 0/],
    ['example.org:65536', /invalid port 65536/],
    ['example.org:http', /not valid/],
    ['::1', /IPv6 address must be in brackets/],
    ['[::g]:80', /invalid IPv6 address/],
    ['256.1.1.1', /not a valid IPv4 address/],
    ['1.2.3', /not a valid IPv4 address/],
    ['example..org', /letters, digits/],
    ['under_score.example.org', /letters, digits/],
    ['bücher.example', /letters, digits/],
    ['@alice', /has no server name/],
    ['@:example.org', /empty or invalid name/],
    ['@alice:', /server name in the Matrix user ID is not valid/],
    ['@alice:exa_mple.org', /server name in the Matrix user ID may only contain/],
  ];
  for (const [input, message] of invalid) {
    it(`rejects ${JSON.stringify(input)} as invalid_config`, () => {
      assert.throws(
        () => parseHomeserverInput(input),
        (error: unknown) => {
          assert.ok(isMatrixChannelError(error, 'invalid_config'), String(error));
          assert.match(error.message, message);
          assert.doesNotMatch(error.message, /syt_secret/);
          return true;
        },
      );
    });
  }
});

const VERSIONS = { '/_matrix/client/versions': { json: { versions: ['v1.11', 'v1.12'] } } };

describe('resolveHomeserver against odd servers', () => {
  it('follows .well-known from a loopback server name over http, keeping the base URL path', () =>
    withServer(
      (origin) => ({
        '/.well-known/matrix/client': { json: { 'm.homeserver': { base_url: `${origin}/matrix/` } } },
        '/matrix/_matrix/client/versions': { json: { versions: ['v1.12'] } },
      }),
      async (origin) => {
        const serverName = origin.slice('http://'.length);
        assert.deepEqual(await resolveHomeserver(serverName), {
          baseUrl: `${origin}/matrix`,
          serverName,
          versions: ['v1.12'],
        });
        assert.deepEqual(await resolveHomeserver(`@alice:${serverName}`), {
          baseUrl: `${origin}/matrix`,
          serverName,
          versions: ['v1.12'],
        });
      },
    ));

  it('a URL is used as it is, without asking .well-known', () =>
    withServer(
      () => VERSIONS,
      async (origin, seen) => {
        assert.deepEqual(await resolveHomeserver(`${origin}/`), { baseUrl: origin, versions: ['v1.11', 'v1.12'] });
        assert.deepEqual(seen, ['/_matrix/client/versions']);
      },
    ));

  it('a .well-known 404 (plain text) falls back to the server name itself, and says so', () =>
    withServer(
      () => VERSIONS,
      async (origin) => {
        const { log, lines } = capturingLogger();
        const info = await resolveHomeserver(origin.slice('http://'.length), { log });
        assert.equal(info.baseUrl, origin);
        assert.ok(
          lines.some((l) => l.startsWith('debug') && l.includes(`answered 404; trying ${origin}`)),
          lines.join('\n'),
        );
      },
    ));

  const brokenWellKnown: Array<[string, Reply, ErrorKind, RegExp]> = [
    ['malformed JSON', { text: '{"m.homeserver": {' }, 'not_matrix', /is not valid JSON/],
    ['no base_url', { json: { 'm.homeserver': {} } }, 'not_matrix', /has no m\.homeserver\.base_url/],
    [
      'a base_url that is not a string',
      { json: { 'm.homeserver': { base_url: 42 } } },
      'not_matrix',
      /has no m\.homeserver\.base_url/,
    ],
    [
      'a base_url that is not a URL',
      { json: { 'm.homeserver': { base_url: 'matrix.example.org' } } },
      'not_matrix',
      /not a URL/,
    ],
    [
      'an http base_url off loopback',
      { json: { 'm.homeserver': { base_url: 'http://matrix.example.org' } } },
      'not_matrix',
      /does not use https/,
    ],
    ['HTTP 403', { status: 403, json: { errcode: 'M_FORBIDDEN' } }, 'not_matrix', /answered HTTP 403/],
    [
      'HTTP 503',
      { status: 503, text: 'Service Unavailable' },
      'server_error',
      /answered \/\.well-known\/matrix\/client with HTTP 503/,
    ],
    [
      'HTTP 429',
      { status: 429, json: { errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 0 } },
      'server_error',
      /is limiting requests \(HTTP 429\); try again in a moment/,
    ],
  ];
  for (const [what, reply, kind, message] of brokenWellKnown) {
    it(`a .well-known with ${what} fails as ${kind}`, () =>
      withServer(
        () => ({ '/.well-known/matrix/client': reply, ...VERSIONS }),
        async (origin) => {
          await rejectsWith(resolveHomeserver(origin.slice('http://'.length)), kind, message);
        },
      ));
  }

  const brokenVersions: Array<[string, Reply, ErrorKind, RegExp]> = [
    [
      'HTML',
      { text: '<html>Welcome to nginx</html>' },
      'not_matrix',
      /is not a Matrix homeserver \(.*something that is not JSON\)/,
    ],
    [
      'JSON without versions',
      { json: { hello: 'world' } },
      'not_matrix',
      /is not a Matrix homeserver \(.*without a versions list\)/,
    ],
    ['versions that are not strings', { json: { versions: [1, 2] } }, 'not_matrix', /is not a Matrix homeserver/],
    ['a 502 page', { status: 502, text: '<html>Bad Gateway</html>' }, 'server_error', /HTTP 502/],
    ['a JSON 500', { status: 500, json: { errcode: 'M_UNKNOWN' } }, 'server_error', /HTTP 500/],
    ['a 503 HTML page', { status: 503, text: '<html>Service Unavailable</html>' }, 'server_error', /HTTP 503/],
    [
      '429, rate limited',
      { status: 429, json: { errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 0 } },
      'server_error',
      /is limiting requests/,
    ],
  ];
  for (const [what, reply, kind, message] of brokenVersions) {
    it(`/versions answering ${what} fails as ${kind}`, () =>
      withServer(
        () => ({ '/_matrix/client/versions': reply }),
        async (origin) => {
          await rejectsWith(resolveHomeserver(origin), kind, message);
        },
      ));
  }

  it('an unreachable URL or server name is unreachable', async () => {
    const port = await freePort();
    await rejectsWith(resolveHomeserver(`http://127.0.0.1:${port}`), 'unreachable', /Cannot reach 127\.0\.0\.1/);
    await rejectsWith(resolveHomeserver(`127.0.0.1:${port}`), 'unreachable', /Cannot reach 127\.0\.0\.1/);
  });
});
