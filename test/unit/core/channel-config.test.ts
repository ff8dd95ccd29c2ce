/** parseChannelConfig: what it keeps of valid settings, and what it reports of invalid ones. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CHANNEL_DEFAULTS,
  parseChannelConfig,
  type ChannelConfig,
  type FieldError,
} from '../../../src/core/channel/config.ts';
import { FULL } from './channel-config-fixture.ts';

function config(input: unknown): ChannelConfig {
  const result = parseChannelConfig(input);
  if (!result.ok) assert.fail(`expected a valid config, got ${JSON.stringify(result.errors)}`);
  return result.config;
}

function errors(input: unknown): FieldError[] {
  const result = parseChannelConfig(input);
  if (result.ok) assert.fail(`expected errors, got ${JSON.stringify(result.config)}`);
  return result.errors;
}

describe('parseChannelConfig: valid input', () => {
  it('applies the defaults to a minimal config', () => {
    assert.deepEqual(config({ id: 'work', homeserver: 'matrix.org' }), {
      id: 'work',
      homeserver: 'matrix.org',
      dmPolicy: 'allowlist',
      roomPolicy: 'allowlist',
      mentionMode: 'mention',
      roomAllowlist: [],
      userAllowlist: [],
      autoJoin: 'always',
      notifications: true,
    });
  });

  it('keeps every valid field as given', () => assert.deepEqual(config(FULL), FULL));

  it('treats null and blank optional fields as absent, and ignores unknown keys', () => {
    const blank = {
      id: ' work ',
      homeserver: ' matrix.org ',
      label: '  ',
      authMode: '',
      userId: null,
      deviceId: '',
      deviceDisplayName: null,
      dmPolicy: null,
      roomPolicy: '',
      mentionMode: undefined,
      roomAllowlist: null,
      notifications: null,
      theme: 'dark',
    };
    assert.deepEqual(config(blank), config({ id: 'work', homeserver: 'matrix.org' }));
  });

  it('does not share the default lists between configs', () => {
    const first = config({ id: 'a', homeserver: 'matrix.org' });
    first.roomAllowlist.push('!x:example.org');
    assert.deepEqual(config({ id: 'b', homeserver: 'matrix.org' }).roomAllowlist, []);
    assert.deepEqual(CHANNEL_DEFAULTS.roomAllowlist, []);
    assert.ok(Object.isFrozen(CHANNEL_DEFAULTS));
  });

  const homeservers = [
    'https://matrix.example.org',
    'https://matrix.example.org/prefix/',
    'http://127.0.0.1:8008',
    'https://[::1]:8448',
    'matrix.org',
    'matrix.org:8448',
    'localhost',
    '192.168.1.10',
    '[2001:db8::1]:8448',
    '@alice:matrix.org',
    'HTTPS://Matrix.Org',
  ];
  for (const homeserver of homeservers) {
    it(`accepts the homeserver ${homeserver}`, () =>
      assert.equal(config({ id: 'w', homeserver }).homeserver, homeserver));
  }

  it('trims allowlist entries, drops blanks and duplicates (case-insensitive only for users)', () => {
    const result = config({
      id: 'w',
      homeserver: 'matrix.org',
      roomAllowlist: [' !abc:example.org ', '', '!abc:example.org', '!ABC:example.org', '  '],
      userAllowlist: ['@Bob:example.org', '@bob:example.org ', '@BOB:EXAMPLE.ORG', '@carol:example.org'],
    });
    assert.deepEqual(result.roomAllowlist, ['!abc:example.org', '!ABC:example.org']);
    assert.deepEqual(result.userAllowlist, ['@Bob:example.org', '@carol:example.org']);
  });

  it('accepts an OAuth device ID of exactly 10 allowed characters, and short ones for other modes', () => {
    assert.equal(config({ ...FULL, deviceId: "a.b_~!$&'(" }).deviceId, "a.b_~!$&'(");
    assert.equal(config({ ...FULL, authMode: 'password', deviceId: 'ABC' }).deviceId, 'ABC');
    assert.equal(config({ ...FULL, authMode: undefined, deviceId: 'with space' }).deviceId, 'with space');
  });

  it('counts display-name length in characters, so emoji sequences are allowed', () => {
    const name = '👩‍💻'.repeat(25); // 25 × 3 code points (with zero-width joiners) = 75 characters
    assert.equal(config({ ...FULL, deviceDisplayName: name }).deviceDisplayName, name);
  });
});

describe('parseChannelConfig: invalid input', () => {
  it('refuses anything but an object', () => {
    for (const input of [undefined, null, 'matrix.org', 42, ['matrix.org']]) {
      assert.deepEqual(errors(input), [
        { field: '', message: 'The channel settings must be an object with named fields.' },
      ]);
    }
  });

  const long = (n: number) => 'a'.repeat(n);
  const bad: Array<[name: string, patch: Record<string, unknown>, field: string, message: string]> = [
    ['missing id', { id: undefined }, 'id', 'Channel ID is required.'],
    ['numeric id', { id: 7 }, 'id', 'Channel ID must be text, not a number.'],
    ['label with a newline', { label: 'Work\nPersonal' }, 'label', 'Label contains control characters.'],
    ['label too long', { label: long(101) }, 'label', 'Label is longer than 100 characters.'],
    ['missing homeserver', { homeserver: '' }, 'homeserver', 'Homeserver is required.'],
    [
      'homeserver too long',
      { homeserver: `https://${long(2041)}` },
      'homeserver',
      'Homeserver is longer than 2048 characters.',
    ],
    [
      'homeserver with another scheme',
      { homeserver: 'ftp://matrix.org' },
      'homeserver',
      'The homeserver URL must start with https:// (or http:// for a local server).',
    ],
    [
      'homeserver URL with credentials',
      { homeserver: 'https://alice:hunter2@matrix.org' },
      'homeserver',
      'The homeserver URL must not contain a user name or password; secrets belong in secret storage.',
    ],
    [
      'homeserver URL with a query',
      { homeserver: 'https://matrix.org/?access_token=abc' },
      'homeserver',
      'The homeserver URL must not have a query (?…) or fragment (#…).',
    ],
    ['homeserver URL without host', { homeserver: 'https://' }, 'homeserver', 'The homeserver is not a valid URL.'],
    [
      'homeserver that is no address',
      { homeserver: 'my server' },
      'homeserver',
      'Homeserver "my server" is not a URL (https://matrix.example.org), a server name (example.org) or a user ID (@you:example.org).',
    ],
    [
      'homeserver with a bad port',
      { homeserver: 'matrix.org:99999' },
      'homeserver',
      'Homeserver "matrix.org:99999" is not a URL (https://matrix.example.org), a server name (example.org) or a user ID (@you:example.org).',
    ],
    [
      'homeserver MXID without server',
      { homeserver: '@alice' },
      'homeserver',
      'Homeserver "@alice" is not a valid user ID (@you:example.org).',
    ],
    [
      'unknown auth mode',
      { authMode: 'sso' },
      'authMode',
      'Sign-in method must be one of "password", "access_token", "oidc", not "sso".',
    ],
    [
      'user ID without sigil',
      { userId: 'alice:example.org' },
      'userId',
      'User ID "alice:example.org" is not a Matrix user ID (@user:server).',
    ],
    [
      'user ID with a space',
      { userId: '@al ice:example.org' },
      'userId',
      'User ID "@al ice:example.org" is not a Matrix user ID (@user:server).',
    ],
    ['user ID too long', { userId: `@${long(250)}:example.org` }, 'userId', 'User ID is longer than 255 characters.'],
    [
      'device ID too long',
      { authMode: 'password', deviceId: long(256) },
      'deviceId',
      'Device ID is longer than 255 characters.',
    ],
    [
      'OAuth device ID too short',
      { deviceId: 'ABCDEFGHI' },
      'deviceId',
      'Device ID "ABCDEFGHI" cannot be used with OAuth 2.0 sign-in: it needs at least 10 characters, ' +
        "each a letter, digit or one of . _ ~ ! $ & ' ( ) * + , ; = : @ / -",
    ],
    [
      'OAuth device ID with a space',
      { deviceId: 'ABCDE FGHIJ' },
      'deviceId',
      'Device ID "ABCDE FGHIJ" cannot be used with OAuth 2.0 sign-in: it needs at least 10 characters, ' +
        "each a letter, digit or one of . _ ~ ! $ & ' ( ) * + , ; = : @ / -",
    ],
    [
      'display name with markup',
      { deviceDisplayName: '<b>VS Code</b>' },
      'deviceDisplayName',
      'Device display name must not contain < or >.',
    ],
    [
      'display name with a tab',
      { deviceDisplayName: 'VS\tCode' },
      'deviceDisplayName',
      'Device display name contains control characters.',
    ],
    [
      'display name with a bidi override',
      { deviceDisplayName: 'VS \u202Eedoc' },
      'deviceDisplayName',
      'Device display name contains control characters.',
    ],
    [
      'display name with NUL',
      { deviceDisplayName: 'VS\u0000Code' },
      'deviceDisplayName',
      'Device display name contains control characters.',
    ],
    [
      'display name too long',
      { deviceDisplayName: long(101) },
      'deviceDisplayName',
      'Device display name is longer than 100 characters.',
    ],
    [
      'dm policy',
      { dmPolicy: 'everyone' },
      'dmPolicy',
      'Direct-message policy must be one of "open", "allowlist", "disabled", not "everyone".',
    ],
    [
      'room policy of the wrong case',
      { roomPolicy: 'Open' },
      'roomPolicy',
      'Room policy must be one of "open", "allowlist", "disabled", not "Open".',
    ],
    [
      'mention mode',
      { mentionMode: true },
      'mentionMode',
      'Mention mode must be one of "mention", "always", "none", not a boolean.',
    ],
    [
      'auto-join',
      { autoJoin: 'never' },
      'autoJoin',
      'Auto-join must be one of "always", "allowlist", "ask", "off", not "never".',
    ],
    [
      'notifications as text',
      { notifications: 'yes' },
      'notifications',
      'Notifications must be true or false, not "yes".',
    ],
    [
      'room allowlist not a list',
      { roomAllowlist: '!abc:example.org' },
      'roomAllowlist',
      'Room allowlist must be a list, not "!abc:example.org".',
    ],
    [
      'room allowlist entry',
      { roomAllowlist: ['!abc:example.org', 'foo'] },
      'roomAllowlist[1]',
      'Room allowlist entry 2 ("foo") is not a room ID (!id:server), alias (#alias:server) or * pattern.',
    ],
    [
      'room glob that cannot match a room',
      { roomAllowlist: ['general*'] },
      'roomAllowlist[0]',
      'Room allowlist entry 1 ("general*") is not a room ID (!id:server), alias (#alias:server) or * pattern.',
    ],
    [
      'room alias without server',
      { roomAllowlist: ['#general'] },
      'roomAllowlist[0]',
      'Room allowlist entry 1 ("#general") is not a room ID (!id:server), alias (#alias:server) or * pattern.',
    ],
    [
      'room allowlist entry not text',
      { roomAllowlist: [{}] },
      'roomAllowlist[0]',
      'Room allowlist entry 1 must be text, not an object.',
    ],
    [
      'room allowlist entry too long',
      { roomAllowlist: [`#${long(255)}:x`] },
      'roomAllowlist[0]',
      'Room allowlist entry 1 is longer than 255 characters.',
    ],
    [
      'user allowlist entry',
      { userAllowlist: ['@bob:example.org', '@carol:example.org', 'dave'] },
      'userAllowlist[2]',
      'User allowlist entry 3 ("dave") is not a user ID (@user:server) or * pattern.',
    ],
    [
      'user allowlist room entry',
      { userAllowlist: ['!abc:example.org'] },
      'userAllowlist[0]',
      'User allowlist entry 1 ("!abc:example.org") is not a user ID (@user:server) or * pattern.',
    ],
    [
      'user allowlist long entry is shortened in the message',
      { userAllowlist: [`bob${long(50)}`] },
      'userAllowlist[0]',
      `User allowlist entry 1 ("bob${long(36)}…") is not a user ID (@user:server) or * pattern.`,
    ],
  ];
  for (const [name, patch, field, message] of bad) {
    it(`reports only the bad field: ${name}`, () =>
      assert.deepEqual(errors({ ...FULL, ...patch }), [{ field, message }]));
  }

  it('reports every bad field at once, in field order, one message each', () => {
    const found = errors({
      ...FULL,
      homeserver: 'not a server',
      userId: 'alice',
      dmPolicy: 'x',
      roomAllowlist: ['a', '!ok:example.org', 'b'],
    });
    assert.deepEqual(
      found.map((e) => e.field),
      ['homeserver', 'userId', 'dmPolicy', 'roomAllowlist[0]', 'roomAllowlist[2]'],
    );
  });

  for (const key of ['password', 'accessToken', 'access_token', 'refreshToken', 'refresh_token']) {
    it(`refuses the secret "${key}" in the settings without echoing it`, () => {
      const found = errors({ ...FULL, [key]: 'hunter2-secret' });
      assert.deepEqual(found, [
        {
          field: key,
          message: `"${key}" must not be stored in the channel settings: secrets belong in secret storage (enter them when signing in).`,
        },
      ]);
    });
  }

  it('never echoes a secret carried inside the homeserver URL', () => {
    for (const homeserver of [
      'https://alice:hunter2@matrix.org',
      'https://matrix.org/?access_token=hunter2',
      'https://hunter2 @x',
    ]) {
      for (const error of errors({ ...FULL, homeserver })) assert.ok(!error.message.includes('hunter2'), error.message);
    }
  });
});
