import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matrixScopeFor, parseMatrixScope } from '../../bed/oauth/matrix-scopes.ts';

describe('Matrix scope grammar (bed)', () => {
  it('parses a stable api + device scope with openid', () => {
    const scope = parseMatrixScope('openid urn:matrix:client:api:* urn:matrix:client:device:ABCDEFGHIJ');
    assert.deepEqual(scope, {
      matrixScopes: ['urn:matrix:client:api:*', 'urn:matrix:client:device:ABCDEFGHIJ'],
      otherScopes: ['openid'],
      hasApi: true,
      form: 'stable',
      deviceId: 'ABCDEFGHIJ',
    });
  });

  it('parses the unstable form', () => {
    const scope = parseMatrixScope(matrixScopeFor('unstable', 'device-1234'));
    assert.equal(scope.form, 'unstable');
    assert.equal(scope.deviceId, 'device-1234');
  });

  const rejected: Array<[string, string, RegExp]> = [
    ['mixed forms', 'urn:matrix:client:api:* urn:matrix:org.matrix.msc2967.client:device:ABCDEFGHIJ', /mixed/],
    ['two device scopes', 'urn:matrix:client:device:ABCDEFGHIJ urn:matrix:client:device:KLMNOPQRST', /one device/],
    ['a device id shorter than 10', 'urn:matrix:client:api:* urn:matrix:client:device:SHORT', /at least 10/],
    ['a device id with a space-like character', 'urn:matrix:client:device:ABCDEFGHI%J', /at least 10/],
    ['an unknown Matrix scope', 'urn:matrix:client:whatever', /unknown Matrix scope/],
  ];
  for (const [name, scope, message] of rejected) {
    it(`rejects ${name}`, () => assert.throws(() => parseMatrixScope(scope), message));
  }
});
