/** The channel configuration's validators besides parseChannelConfig: Matrix identifiers, and the secrets. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateSecrets, type FieldError } from '../../../src/core/channel/config.ts';
import { isRoomAlias, isRoomId, isServerName, isUserId } from '../../../src/core/channel/identifiers.ts';
import { V12_ROOM } from './channel-config-fixture.ts';

describe('identifier validators', () => {
  const table: Array<[(value: string) => boolean, string, boolean]> = [
    [isServerName, 'example.org', true],
    [isServerName, 'example.org:8448', true],
    [isServerName, '1.2.3.4:80', true],
    [isServerName, '[::1]', true],
    [isServerName, '[2001:db8::1]:8448', true],
    [isServerName, '999.1.1.1', false],
    [isServerName, 'example.org:0', false],
    [isServerName, 'example..org', false],
    [isServerName, 'exa_mple.org', false],
    [isServerName, '::1', false],
    [isServerName, '', false],
    [isUserId, '@alice:example.org', true],
    [isUserId, '@Alice.Bob=1/x+y:example.org:8448', true],
    [isUserId, '@alice:[::1]:8448', true],
    [isUserId, '@:example.org', false],
    [isUserId, '@alice', false],
    [isUserId, '@alice:', false],
    [isUserId, '@alicé:example.org', false],
    [isUserId, `@${'a'.repeat(242)}:example.org`, true], // 255 bytes
    [isUserId, `@${'a'.repeat(243)}:example.org`, false],
    [isRoomId, '!abc:example.org', true],
    [isRoomId, V12_ROOM, true],
    [isRoomId, V12_ROOM.slice(0, -1), false],
    [isRoomId, '!abc', false],
    [isRoomId, '#abc:example.org', false],
    [isRoomAlias, '#general:example.org', true],
    [isRoomAlias, '#café:example.org', true],
    [isRoomAlias, '#gen eral:example.org', false],
    [isRoomAlias, '#:example.org', false],
    [isRoomAlias, '!abc:example.org', false],
  ];
  for (const [validate, value, expected] of table) {
    it(`${validate.name}(${JSON.stringify(value.length > 40 ? `${value.slice(0, 12)}…(${value.length})` : value)}) is ${expected}`, () =>
      assert.equal(validate(value), expected));
  }
});

describe('validateSecrets', () => {
  const alice = { userId: '@alice:example.org' };
  const cases: Array<[name: string, ...Parameters<typeof validateSecrets>, expected: FieldError[]]> = [
    ['password mode, complete', 'password', { password: 'correct horse battery' }, alice, []],
    [
      'password mode, nothing',
      'password',
      {},
      {},
      [
        { field: 'password', message: 'A password is required to sign in with a password.' },
        { field: 'userId', message: 'A user ID is required to sign in with a password.' },
      ],
    ],
    [
      'password with a line break',
      'password',
      { password: 'hunter2\n' },
      alice,
      [{ field: 'password', message: 'The password contains a line break or another control character.' }],
    ],
    [
      'password too long',
      'password',
      { password: 'a'.repeat(4097) },
      alice,
      [{ field: 'password', message: 'The password is longer than 4096 characters.' }],
    ],
    ['token mode, complete', 'access_token', { accessToken: 'syt_abc_123' }, {}, []],
    [
      'token mode, blank token',
      'access_token',
      { accessToken: '  ' },
      {},
      [{ field: 'accessToken', message: 'An access token is required to sign in with an access token.' }],
    ],
    [
      'token with a trailing newline',
      'access_token',
      { accessToken: 'syt_abc\n' },
      {},
      [
        {
          field: 'accessToken',
          message: 'The access token contains spaces or line breaks; paste only the token itself.',
        },
      ],
    ],
    [
      'token too long',
      undefined,
      { accessToken: 'a'.repeat(4097) },
      {},
      [{ field: 'accessToken', message: 'The access token is longer than 4096 characters.' }],
    ],
    ['oidc needs nothing', 'oidc', {}, {}, []],
    [
      'no mode, password without user ID',
      undefined,
      { password: 'pw' },
      { userId: ' ' },
      [{ field: 'userId', message: 'A user ID is required to sign in with a password.' }],
    ],
    ['no mode, a token makes the user ID optional', undefined, { password: 'pw', accessToken: 'syt' }, {}, []],
    ['no mode, nothing (discovery decides)', undefined, {}, {}, []],
  ];
  for (const [name, mode, secrets, cfg, expected] of cases) {
    it(name, () => assert.deepEqual(validateSecrets(mode, secrets, cfg), expected));
  }
});
