/**
 * Sign-in capability discovery against servers the bed's Synapse and MAS never are (old OAuth discovery
 * endpoints, unusable metadata, 5xx), small real HTTP servers (discovery-fixture.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectAuthCapabilities } from '../../../src/core/discovery/index.ts';
import { capturingLogger, rejectsWith, withServer } from './discovery-fixture.ts';

/** Metadata as MAS serves it, on this test server. */
function metadata(issuer: string, overrides: Record<string, unknown> = {}) {
  const base = issuer.replace(/\/$/, '');
  return {
    issuer,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/oauth2/token`,
    registration_endpoint: `${base}/oauth2/registration`,
    device_authorization_endpoint: `${base}/oauth2/device`,
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    prompt_values_supported: ['create'],
    ...overrides,
  };
}

const STABLE = '/_matrix/client/v1/auth_metadata';
const UNSTABLE = '/_matrix/client/unstable/org.matrix.msc2965/auth_metadata';
const AUTH_ISSUER = '/_matrix/client/unstable/org.matrix.msc2965/auth_issuer';
const LOGIN = '/_matrix/client/v3/login';
const UNRECOGNIZED = { status: 404, json: { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' } };

describe('detectAuthCapabilities against odd servers', () => {
  it('falls back to the unstable auth_metadata after a 400 M_UNRECOGNIZED; scopes follow /versions', () =>
    withServer(
      (origin) => ({
        [STABLE]: { status: 400, json: { errcode: 'M_UNRECOGNIZED' } },
        [UNSTABLE]: { json: metadata(origin) },
        [LOGIN]: { json: { flows: [{ type: 'm.login.password' }] } },
      }),
      async (origin) => {
        const old = await detectAuthCapabilities({ baseUrl: origin, versions: ['v1.12'] });
        assert.equal(old.oauth?.source, 'unstable');
        assert.equal(old.oauth?.scopeForm, 'unstable');
        assert.equal(old.oauth?.metadata.issuer, origin);
        assert.equal(old.password, true);
        const current = await detectAuthCapabilities({ baseUrl: origin, versions: ['v1.12', 'v1.15'] });
        assert.equal(current.oauth?.scopeForm, 'stable');
      },
    ));

  it("falls back to auth_issuer and the issuer's OpenID configuration", () =>
    withServer(
      (origin) => ({
        [AUTH_ISSUER]: { json: { issuer: `${origin}/issuer/` } },
        '/issuer/.well-known/openid-configuration': { json: metadata(`${origin}/issuer/`) },
      }),
      async (origin) => {
        const { log, lines } = capturingLogger();
        const capabilities = await detectAuthCapabilities({ baseUrl: origin, versions: ['v1.11'] }, { log });
        assert.equal(capabilities.oauth?.source, 'auth_issuer');
        assert.equal(capabilities.oauth?.scopeForm, 'unstable');
        assert.equal(capabilities.oauth?.metadata.token_endpoint, `${origin}/issuer/oauth2/token`);
        assert.deepEqual([capabilities.password, capabilities.sso], [false, false]);
        assert.ok(
          lines.every((l) => !l.includes('?')),
          'no query strings in logs',
        );
      },
    ));

  it('ignores an OpenID configuration for another issuer', () =>
    withServer(
      (origin) => ({
        [AUTH_ISSUER]: { json: { issuer: `${origin}/issuer` } },
        '/issuer/.well-known/openid-configuration': { json: metadata(`${origin}/elsewhere`) },
      }),
      async (origin) => {
        const { log, lines } = capturingLogger();
        assert.equal((await detectAuthCapabilities({ baseUrl: origin, versions: [] }, { log })).oauth, undefined);
        assert.ok(
          lines.some((l) => l.startsWith('warn') && l.includes('another issuer')),
          lines.join('\n'),
        );
      },
    ));

  const unusable: Array<[string, Record<string, unknown>, RegExp]> = [
    ['without PKCE S256', { code_challenge_methods_supported: ['plain'] }, /PKCE S256 is not supported/],
    ['without the code response type', { response_types_supported: ['token'] }, /response type "code"/],
    [
      'with an http token endpoint off loopback',
      { token_endpoint: 'http://auth.example.org/token' },
      /token_endpoint is not an https URL/,
    ],
    ['without an authorization endpoint', { authorization_endpoint: undefined }, /authorization_endpoint is missing/],
  ];
  for (const [what, overrides, warning] of unusable) {
    it(`metadata ${what} makes OAuth unusable, with a warning`, () =>
      withServer(
        (origin) => ({ [STABLE]: { json: metadata(origin, overrides) }, [LOGIN]: UNRECOGNIZED }),
        async (origin) => {
          const { log, lines } = capturingLogger();
          const capabilities = await detectAuthCapabilities({ baseUrl: origin, versions: [] }, { log });
          assert.equal(capabilities.oauth, undefined);
          assert.ok(
            lines.some((l) => l.startsWith('warn') && warning.test(l)),
            lines.join('\n'),
          );
        },
      ));
  }

  it('drops an unusable optional endpoint but keeps OAuth', () =>
    withServer(
      (origin) => ({
        [STABLE]: { json: metadata(origin, { device_authorization_endpoint: 'http://auth.example.org/device' }) },
      }),
      async (origin) => {
        const { log, lines } = capturingLogger();
        const capabilities = await detectAuthCapabilities({ baseUrl: origin, versions: [] }, { log });
        assert.equal(capabilities.oauth?.source, 'stable');
        assert.equal(capabilities.oauth?.metadata.device_authorization_endpoint, undefined);
        assert.ok(
          lines.some((l) => l.startsWith('warn') && l.includes('ignoring device_authorization_endpoint')),
          lines.join('\n'),
        );
      },
    ));

  it('reads password, SSO and the "prefer OAuth" hints from /login', async () => {
    for (const flag of ['oauth_aware_preferred', 'org.matrix.msc3824.delegated_oidc_compatibility']) {
      await withServer(
        () => ({
          [LOGIN]: {
            json: {
              flows: [{ type: 'm.login.password' }, { type: 'm.login.sso', [flag]: true }, { type: 'm.login.token' }],
            },
          },
        }),
        async (origin) => {
          assert.deepEqual(await detectAuthCapabilities({ baseUrl: origin, versions: [] }), {
            password: true,
            sso: true,
            oauthAwarePreferred: true,
          });
        },
      );
    }
    await withServer(
      () => ({ [LOGIN]: { json: { flows: [{ type: 'm.login.sso' }] } } }),
      async (origin) => {
        assert.deepEqual(await detectAuthCapabilities({ baseUrl: origin, versions: [] }), {
          password: false,
          sso: true,
          oauthAwarePreferred: false,
        });
      },
    );
  });

  for (const [path, reply] of [
    [STABLE, { status: 500, json: { errcode: 'M_UNKNOWN' } }],
    [LOGIN, { status: 502, text: 'Bad Gateway' }],
  ] as const) {
    it(`a ${reply.status} from ${path} is a server error`, () =>
      withServer(
        (origin) => ({ [STABLE]: { json: metadata(origin) }, [LOGIN]: UNRECOGNIZED, [path]: reply }),
        async (origin) => {
          await rejectsWith(
            detectAuthCapabilities({ baseUrl: origin, versions: [] }),
            'server_error',
            new RegExp(`HTTP ${reply.status}`),
          );
        },
      ));
  }
});
