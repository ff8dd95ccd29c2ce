/**
 * SessionStore over an in-memory SecretStore: one key per account, round trips, and a stored value that
 * does not parse is treated as absent and reported without leaking what it held.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, type LogLevel, type Logger } from '../../../src/core/log.ts';
import type { Session } from '../../../src/core/session/session.ts';
import { SessionStore, accountIdOfKey, parseSession, sessionKey } from '../../../src/core/session/session-store.ts';
import { MemorySecrets } from './memory-secrets.ts';

function setup(): { secrets: MemorySecrets; store: SessionStore; log: Logger; lines: Array<[LogLevel, string]> } {
  const lines: Array<[LogLevel, string]> = [];
  const log = createLogger({ log: (level, message) => lines.push([level, message]) });
  const secrets = new MemorySecrets();
  return { secrets, store: new SessionStore(secrets, log), log, lines };
}

const oidc: Session = {
  homeserver: 'https://matrix.example.org',
  userId: '@alice:example.org',
  deviceId: 'ABCDEFGHIJKL',
  authMode: 'oidc',
  accessToken: 'mat_access_aaaaaaaaaaaa',
  refreshToken: 'mar_refresh_bbbbbbbbbbbb',
  expiresAt: 1_900_000_000_000,
  clientId: '01JCLIENTID',
  issuer: 'https://auth.example.org/',
  generation: '5f0c2d3e-9a8b-4c7d-8e6f-0a1b2c3d4e5f.7',
};

const password: Session = {
  homeserver: 'https://classic.example.org',
  userId: '@bob:classic.example.org',
  deviceId: 'BOBDEVICE',
  authMode: 'password',
  accessToken: 'syt_bob_cccccccccccc',
};

describe('sessionKey / accountIdOfKey', () => {
  it('are inverse, one key per account', () => {
    assert.equal(sessionKey('work'), 'matrix-channels.session.work');
    for (const id of ['work', 'home', 'a.b-c_d', '']) assert.equal(accountIdOfKey(sessionKey(id)), id);
    assert.notEqual(sessionKey('work'), sessionKey('home'));
  });

  it('accountIdOfKey ignores keys that are not sessions', () => {
    assert.equal(accountIdOfKey('matrix-channels.channel.work'), undefined);
    assert.equal(accountIdOfKey('other.matrix-channels.session.work'), undefined);
    assert.equal(accountIdOfKey(''), undefined);
  });
});

describe('SessionStore', () => {
  it("round-trips a session through the account's key", async () => {
    const { secrets, store, lines } = setup();
    await store.save('work', oidc);
    assert.deepEqual([...secrets.values.keys()], ['matrix-channels.session.work']);
    assert.deepEqual(JSON.parse(secrets.values.get('matrix-channels.session.work') ?? 'null'), oidc);
    assert.deepEqual(await store.load('work'), oidc);
    assert.deepEqual(lines, []);
  });

  it('keeps accounts apart', async () => {
    const { secrets, store } = setup();
    await store.save('work', oidc);
    await store.save('home', password);
    assert.equal(secrets.values.size, 2);
    assert.deepEqual(await store.load('work'), oidc);
    assert.deepEqual(await store.load('home'), password);
    assert.equal(await store.load('other'), undefined);
  });

  it("overwrites an account's session on save", async () => {
    const { store } = setup();
    await store.save('work', oidc);
    const rotated = { ...oidc, accessToken: 'mat_access_rotated_1', refreshToken: 'mar_refresh_rotated_1' };
    await store.save('work', rotated);
    assert.deepEqual(await store.load('work'), rotated);
  });

  it('deletes only the given account', async () => {
    const { secrets, store } = setup();
    await store.save('work', oidc);
    await store.save('home', password);
    await store.delete('work');
    assert.equal(await store.load('work'), undefined);
    assert.deepEqual(await store.load('home'), password);
    assert.deepEqual([...secrets.values.keys()], ['matrix-channels.session.home']);
    await store.delete('work'); // deleting again is harmless
  });

  it('returns undefined without a warning when nothing is stored', async () => {
    const { store, lines } = setup();
    assert.equal(await store.load('work'), undefined);
    assert.deepEqual(lines, []);
  });

  const SECRET = 'syt_corrupt_secret_value_0123';
  const corrupt: Array<[string, string]> = [
    ['truncated JSON', `{"homeserver":"https://m.example.org","accessToken":"${SECRET}`],
    ['not JSON at all', `access_token=${SECRET}`],
    ['JSON null', 'null'],
    ['a JSON string', JSON.stringify(SECRET)],
    ['a JSON array', JSON.stringify([SECRET])],
    ['no access token', JSON.stringify({ ...password, accessToken: undefined, refreshToken: SECRET })],
    ['an empty access token', JSON.stringify({ ...password, accessToken: '', refreshToken: SECRET })],
    ['no user id', JSON.stringify({ ...password, userId: undefined, accessToken: SECRET })],
    ['no device id', JSON.stringify({ ...password, deviceId: undefined, accessToken: SECRET })],
    ['no homeserver', JSON.stringify({ ...password, homeserver: undefined, accessToken: SECRET })],
    ['a numeric access token', JSON.stringify({ ...password, accessToken: 12345678901234, refreshToken: SECRET })],
    ['an unknown auth mode', JSON.stringify({ ...password, authMode: 'sso', accessToken: SECRET })],
    ['no auth mode', JSON.stringify({ ...password, authMode: undefined, accessToken: SECRET })],
  ];
  for (const [what, raw] of corrupt) {
    it(`treats a stored value with ${what} as absent, warning without the secret`, async () => {
      const { secrets, store, lines } = setup();
      secrets.values.set(sessionKey('work'), raw);
      assert.equal(await store.load('work'), undefined);
      assert.deepEqual(lines, [['warn', 'stored session of account work is unreadable; ignoring it']]);
      assert.equal(
        lines.some(([, line]) => line.includes(SECRET) || line.includes('corrupt_secret')),
        false,
      );
    });
  }

  it('conceals the loaded tokens in every later log line', async () => {
    const { secrets, store, log, lines } = setup();
    secrets.values.set(sessionKey('work'), JSON.stringify(oidc));
    log.info(`before: ${oidc.accessToken}`);
    await store.load('work');
    log.info(`after: access ${oidc.accessToken}, refresh ${oidc.refreshToken}`);
    assert.deepEqual(lines, [
      ['info', `before: ${oidc.accessToken}`],
      ['info', 'after: access [redacted], refresh [redacted]'],
    ]);
  });

  it('conceals the tokens of a session it saves', async () => {
    const { store, log, lines } = setup();
    await store.save('home', password);
    log.debug(`whoami with ${password.accessToken}`);
    assert.deepEqual(lines, [['debug', 'whoami with [redacted]']]);
  });
});

describe('parseSession', () => {
  it('keeps exactly the known fields and drops empty or mistyped optional ones', () => {
    const raw = JSON.stringify({
      ...password,
      refreshToken: '',
      expiresAt: '1900000000000',
      clientId: 7,
      issuer: 'https://auth.example.org/',
      extra: 'dropped',
    });
    assert.deepEqual(parseSession(raw), { ...password, issuer: 'https://auth.example.org/' });
  });

  it('accepts each auth mode', () => {
    for (const authMode of ['password', 'access_token', 'oidc'] as const) {
      assert.equal(parseSession(JSON.stringify({ ...password, authMode }))?.authMode, authMode);
    }
  });
});
