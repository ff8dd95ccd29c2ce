import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { choiceWithoutAsking, signInChoices } from '../../../src/core/auth/sign-in-choices.ts';
import type { AuthCapabilities } from '../../../src/core/discovery/types.ts';

function server(options: { oauth?: string[] | 'none'; password?: boolean }): AuthCapabilities {
  const prompts = options.oauth ?? 'none';
  return {
    ...(prompts === 'none'
      ? {}
      : {
          oauth: {
            source: 'stable',
            scopeForm: 'stable',
            metadata: {
              issuer: 'https://auth.example.org/',
              authorization_endpoint: 'https://auth.example.org/authorize',
              token_endpoint: 'https://auth.example.org/oauth2/token',
              ...(prompts.length ? { prompt_values_supported: prompts } : {}),
            },
          },
        }),
    password: options.password ?? false,
    sso: false,
    oauthAwarePreferred: false,
  };
}

describe('sign-in choices', () => {
  const table: Array<[string, AuthCapabilities, string, string | undefined]> = [
    // name, server, choices offered (in order), the one taken without asking
    [
      'OAuth with sign-up (matrix.org)',
      server({ oauth: ['login', 'create'] }),
      'browser,sign_up,access_token',
      undefined,
    ],
    ['OAuth without sign-up (MAS default)', server({ oauth: ['login'] }), 'browser,access_token', 'browser'],
    ['OAuth without prompt values', server({ oauth: [] }), 'browser,access_token', 'browser'],
    [
      'OAuth and a password (compatibility layer)',
      server({ oauth: ['login'], password: true }),
      'browser,password,access_token',
      undefined,
    ],
    [
      'OAuth with sign-up and a password',
      server({ oauth: ['login', 'create'], password: true }),
      'browser,sign_up,password,access_token',
      undefined,
    ],
    ['a password only (classic Synapse)', server({ password: true }), 'password,access_token', undefined],
    ['neither (SSO only)', server({}), 'access_token', undefined],
  ];
  for (const [name, capabilities, offered, taken] of table) {
    it(name, () => {
      const choices = signInChoices(capabilities);
      assert.equal(choices.map((choice) => choice.id).join(','), offered);
      assert.equal(choiceWithoutAsking(choices)?.id, taken);
    });
  }

  it('creating an account is a browser sign-in that asks for the sign-up page', () => {
    const signUp = signInChoices(server({ oauth: ['create'] })).find((choice) => choice.id === 'sign_up');
    assert.deepEqual(signUp, { id: 'sign_up', mode: 'oidc', signUp: true });
  });
});
