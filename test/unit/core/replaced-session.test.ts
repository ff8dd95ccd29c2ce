/**
 * Which earlier session a sign-in replaces, to be ended at its server: another server, user or device always;
 * on the same device, another OAuth grant (by its refresh token, or its access token where the server issues no
 * refresh token); never a password or token sign-in on the same device (ending it would delete the device).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isReplaced } from '../../../src/core/account/replaced-session.ts';
import type { Session } from '../../../src/core/session/session.ts';

const before: Session = {
  homeserver: 'https://matrix.example.org',
  userId: '@me:example.org',
  deviceId: 'DEV',
  authMode: 'oidc',
  accessToken: 'access-1',
  refreshToken: 'refresh-1',
};

const CASES: Array<[string, Partial<Session>, Partial<Session>, boolean]> = [
  ['another homeserver', {}, { homeserver: 'https://other.example.org' }, true],
  ['another user', {}, { userId: '@you:example.org' }, true],
  ['another device', {}, { deviceId: 'NEW' }, true],
  ['OAuth again on the same device: a grant of its own', {}, { accessToken: 'a2', refreshToken: 'r2' }, true],
  [
    'OAuth without refresh tokens, again on the same device',
    { refreshToken: undefined },
    { accessToken: 'a2', refreshToken: undefined },
    true,
  ],
  ['the same OAuth grant', {}, {}, false],
  [
    'a password sign-in on the same device',
    { authMode: 'password' },
    { authMode: 'password', accessToken: 'a2' },
    false,
  ],
  [
    'an access token on the same device',
    { authMode: 'access_token' },
    { authMode: 'access_token', accessToken: 'a2' },
    false,
  ],
];

describe('the session a sign-in replaces', () => {
  for (const [what, earlier, later, replaced] of CASES) {
    it(`${what}: ${replaced ? 'ended' : 'kept'}`, () => {
      assert.equal(isReplaced({ ...before, ...earlier }, { ...before, ...earlier, ...later }), replaced);
    });
  }
});
