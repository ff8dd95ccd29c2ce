import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeAuthMode, resolveAuthMode } from '../../../src/core/auth/mode.ts';
import type { ChannelConfig, ChannelSecrets } from '../../../src/core/channel/config.ts';
import type { AuthCapabilities, OAuthCapability } from '../../../src/core/discovery/types.ts';
import { MatrixChannelError, type ErrorKind } from '../../../src/core/errors.ts';
import type { AuthMode } from '../../../src/core/session/session.ts';

const oauth: OAuthCapability = {
  metadata: {
    issuer: 'https://auth.example.org/',
    authorization_endpoint: 'https://auth.example.org/authorize',
    token_endpoint: 'https://auth.example.org/token',
  },
  source: 'stable',
  scopeForm: 'stable',
};

/** Server shapes discovery can report. */
const mas: AuthCapabilities = { oauth, password: false, sso: true, oauthAwarePreferred: true };
const masWithCompat: AuthCapabilities = { oauth, password: true, sso: true, oauthAwarePreferred: true };
const oauthWithoutHint: AuthCapabilities = { oauth, password: true, sso: false, oauthAwarePreferred: false };
const classic: AuthCapabilities = { password: true, sso: false, oauthAwarePreferred: false };
const ssoOnly: AuthCapabilities = { password: false, sso: true, oauthAwarePreferred: false };
const nothing: AuthCapabilities = { password: false, sso: false, oauthAwarePreferred: false };
/** Claims OAuth is preferred but its metadata could not be found: OAuth is not usable. */
const hintWithoutMetadata: AuthCapabilities = { password: true, sso: true, oauthAwarePreferred: true };

const alice = '@alice:example.org';
const token: ChannelSecrets = { accessToken: 'syt_abc' };
const pw: ChannelSecrets = { password: 'correct horse' };
const both: ChannelSecrets = { accessToken: 'syt_abc', password: 'correct horse' };
const none: ChannelSecrets = {};

type Config = Pick<ChannelConfig, 'authMode' | 'userId'>;
type Case = [
  name: string,
  config: Config,
  secrets: ChannelSecrets,
  capabilities: AuthCapabilities | undefined,
  expected: AuthMode,
];
type Failure = [
  name: string,
  config: Config,
  secrets: ChannelSecrets,
  capabilities: AuthCapabilities | undefined,
  kind: ErrorKind,
  reason: string,
];

describe('resolveAuthMode', () => {
  const resolved: Case[] = [
    // Explicit mode wins when it can work.
    ['explicit oidc, nothing else, no discovery', { authMode: 'oidc' }, none, undefined, 'oidc'],
    ['explicit oidc beats a token', { authMode: 'oidc' }, token, mas, 'oidc'],
    ['explicit oidc on a server offering OAuth and passwords', { authMode: 'oidc' }, none, masWithCompat, 'oidc'],
    ['explicit access_token', { authMode: 'access_token' }, token, undefined, 'access_token'],
    [
      'explicit access_token beats a password',
      { authMode: 'access_token', userId: alice },
      both,
      classic,
      'access_token',
    ],
    ['explicit access_token on an OAuth-only server', { authMode: 'access_token' }, token, mas, 'access_token'],
    ['explicit password', { authMode: 'password', userId: alice }, pw, undefined, 'password'],
    ['explicit password beats a token', { authMode: 'password', userId: alice }, both, classic, 'password'],
    [
      'explicit password on MAS with the compatibility layer',
      { authMode: 'password', userId: alice },
      pw,
      masWithCompat,
      'password',
    ],
    // Absent mode: the inherited rule.
    ['token only', {}, token, undefined, 'access_token'],
    ['token beats password', { userId: alice }, both, undefined, 'access_token'],
    ['token beats what the server offers', {}, token, mas, 'access_token'],
    ['password with user ID', { userId: alice }, pw, undefined, 'password'],
    ['password with user ID on a classic server', { userId: alice }, pw, classic, 'password'],
    [
      'blank token falls through to the password',
      { userId: alice },
      { accessToken: '  ', password: 'pw' },
      undefined,
      'password',
    ],
    // Absent mode, no credentials: ask the server (going further than the inherited rule).
    ['MAS server → OAuth', {}, none, mas, 'oidc'],
    ['OAuth preferred over offered passwords', { userId: alice }, none, masWithCompat, 'oidc'],
    ['OAuth offered without the hint is still preferred', {}, none, oauthWithoutHint, 'oidc'],
    ['classic server → password (the caller asks for credentials)', {}, none, classic, 'password'],
    ['hint without usable OAuth metadata → password', {}, none, hintWithoutMetadata, 'password'],
    ['blank secrets count as none', {}, { accessToken: '', password: ' ' }, mas, 'oidc'],
  ];
  for (const [name, config, secrets, capabilities, expected] of resolved) {
    it(`${name} → ${expected}`, () => assert.equal(resolveAuthMode(config, secrets, capabilities), expected));
  }

  const failures: Failure[] = [
    [
      'explicit oidc on a server without OAuth',
      { authMode: 'oidc' },
      none,
      classic,
      'oauth_not_offered',
      'OAuth 2.0 sign-in is selected, but this homeserver does not offer it.',
    ],
    [
      'explicit access_token without a token',
      { authMode: 'access_token' },
      pw,
      undefined,
      'invalid_config',
      'Access-token sign-in is selected, but no access token is set.',
    ],
    [
      'explicit access_token with a blank token',
      { authMode: 'access_token' },
      { accessToken: ' \n' },
      mas,
      'invalid_config',
      'Access-token sign-in is selected, but no access token is set.',
    ],
    [
      'explicit password without anything',
      { authMode: 'password' },
      none,
      undefined,
      'invalid_config',
      'Password sign-in is selected, but neither a user ID nor a password is set.',
    ],
    [
      'explicit password without user ID',
      { authMode: 'password' },
      pw,
      classic,
      'invalid_config',
      'A user ID is required to sign in with a password.',
    ],
    [
      'explicit password with a blank user ID',
      { authMode: 'password', userId: '  ' },
      pw,
      undefined,
      'invalid_config',
      'A user ID is required to sign in with a password.',
    ],
    [
      'explicit password without password',
      { authMode: 'password', userId: alice },
      token,
      undefined,
      'invalid_config',
      'Password sign-in is selected, but no password is set.',
    ],
    [
      'explicit password on an OAuth-only server',
      { authMode: 'password', userId: alice },
      pw,
      mas,
      'password_not_offered',
      'Password sign-in is selected, but this homeserver does not accept passwords; it signs in through OAuth 2.0.',
    ],
    [
      'explicit password on a server without passwords or OAuth',
      { authMode: 'password', userId: alice },
      pw,
      ssoOnly,
      'invalid_config',
      'Password sign-in is selected, but this homeserver accepts neither passwords nor OAuth 2.0 sign-in; use an access token instead.',
    ],
    [
      'unknown explicit mode',
      { authMode: 'sso' as AuthMode },
      token,
      undefined,
      'invalid_config',
      'The sign-in method "sso" is not one of oidc, password or access_token.',
    ],
    [
      'password without user ID',
      {},
      pw,
      undefined,
      'invalid_config',
      'A user ID is required to sign in with a password.',
    ],
    [
      'password on an OAuth-only server',
      { userId: alice },
      pw,
      mas,
      'password_not_offered',
      'A password is set, but this homeserver does not accept passwords; it signs in through OAuth 2.0.',
    ],
    [
      'password on a server without passwords or OAuth',
      { userId: alice },
      pw,
      nothing,
      'invalid_config',
      'A password is set, but this homeserver accepts neither passwords nor OAuth 2.0 sign-in; use an access token instead.',
    ],
    [
      'no credentials, no discovery',
      { userId: alice },
      none,
      undefined,
      'invalid_config',
      'Either an access token or a password is required, or let the extension ask the server how to sign in (discovery).',
    ],
    [
      'no credentials, server offers only SSO',
      {},
      none,
      ssoOnly,
      'oauth_not_offered',
      'This homeserver offers neither OAuth 2.0 nor password sign-in (only legacy single sign-on, which this extension does not support).',
    ],
    [
      'no credentials, server offers nothing',
      {},
      none,
      nothing,
      'oauth_not_offered',
      'This homeserver offers neither OAuth 2.0 nor password sign-in.',
    ],
  ];
  for (const [name, config, secrets, capabilities, kind, reason] of failures) {
    it(`${name} → ${kind}`, () => {
      assert.throws(
        () => resolveAuthMode(config, secrets, capabilities),
        (error: unknown) => {
          assert.ok(error instanceof MatrixChannelError);
          assert.equal(error.kind, kind);
          assert.equal(error.reason, reason);
          assert.equal(error.message, `${reason} ${error.nextStep}`);
          return true;
        },
      );
    });
  }

  it('never puts a secret into an error message', () => {
    const secrets = { accessToken: '', password: 'hunter2-secret' };
    for (const capabilities of [undefined, mas, nothing]) {
      try {
        resolveAuthMode({}, secrets, capabilities);
        assert.fail('expected an error');
      } catch (error) {
        assert.ok(error instanceof MatrixChannelError);
        assert.ok(!error.message.includes('hunter2-secret'), error.message);
      }
    }
  });
});

describe('describeAuthMode', () => {
  it('labels every mode', () => {
    assert.deepEqual((['oidc', 'password', 'access_token'] as const).map(describeAuthMode), [
      'OAuth 2.0 (browser)',
      'Password',
      'Access token',
    ]);
  });
});
