/** Matrix OAuth scopes (MSC2967) and the device ids MAS accepts in them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateDeviceId, isValidOAuthDeviceId, matrixScope } from '../../../src/core/auth/oauth/scopes.ts';

describe('generateDeviceId', () => {
  it('gives 12 uppercase letters and digits, valid for MAS', () => {
    for (let i = 0; i < 50; i++) {
      const id = generateDeviceId();
      assert.match(id, /^[A-Z0-9]{12}$/);
      assert.equal(isValidOAuthDeviceId(id), true, id);
    }
  });

  it('gives a different id every time (1000 draws)', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => generateDeviceId()));
    assert.equal(ids.size, 1000);
  });

  it('uses the whole alphabet, not just a few characters', () => {
    const seen = new Set(Array.from({ length: 300 }, () => generateDeviceId()).join(''));
    // 3600 draws from 36 symbols: missing any one of them has probability ≈ 36·(35/36)^3600 ≈ 1e-42.
    assert.equal(seen.size, 36);
  });
});

describe("isValidOAuthDeviceId (MAS: at least 10 of [A-Za-z0-9._~!$&'()*+,;=:@/-])", () => {
  const valid = [
    'ABCDEFGHIJ',
    'abcdefghij',
    '0123456789',
    'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
    "._~!$&'()*",
    '+,;=:@/-Aa',
    'device.id-with_all~sorts',
  ];
  for (const id of valid) {
    it(`accepts ${JSON.stringify(id)}`, () => assert.equal(isValidOAuthDeviceId(id), true));
  }

  const invalid = [
    '',
    'ABCDEFGHI', // 9 characters
    'ABCDE FGHIJ', // space
    'ABCDEFGHIJ\n',
    '\nABCDEFGHIJ',
    'ABCDEFGHIJ#', // # would start a fragment
    'ABCDEFGHIJ?',
    'ABCDEFGHIJ%20',
    'ABCDEFGHIJ"',
    'ABCDEFGHIJ[]',
    'ABCDEFGHIJ\\',
    'ÄBCDEFGHIJK', // non-ASCII
  ];
  for (const id of invalid) {
    it(`rejects ${JSON.stringify(id)}`, () => assert.equal(isValidOAuthDeviceId(id), false));
  }
});

describe('matrixScope', () => {
  it('builds the stable API and device scopes', () => {
    assert.equal(
      matrixScope('stable', 'ABCDEFGHIJKL'),
      'urn:matrix:client:api:* urn:matrix:client:device:ABCDEFGHIJKL',
    );
  });

  it('builds the unstable (MSC2967) API and device scopes, never mixing forms', () => {
    assert.equal(
      matrixScope('unstable', 'ABCDEFGHIJKL'),
      'urn:matrix:org.matrix.msc2967.client:api:* urn:matrix:org.matrix.msc2967.client:device:ABCDEFGHIJKL',
    );
  });
});
