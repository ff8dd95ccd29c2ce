/**
 * Which browser sign-in flows are tried, as a table (host × server grants × setting × another way → flows in
 * order), the way VS Code's own GitHub sign-in tests its getFlows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ANY_SERVER, getFlows, grantsOf, type FlowQuery } from '../../../src/core/auth/oauth/flows/choose-flows.ts';
import type { AuthMetadata } from '../../../src/core/discovery/types.ts';

const noDevice = { authorizationCode: true, deviceCode: false };
const deviceOnly = { authorizationCode: false, deviceCode: true };

const ROWS: Array<[string, FlowQuery, string[]]> = [
  [
    'local, auto: loopback first',
    { host: 'local', grants: ANY_SERVER, setting: 'auto' },
    ['loopback', 'uri_handler', 'device'],
  ],
  [
    'remote: no loopback (the browser is elsewhere)',
    { host: 'remote', grants: ANY_SERVER, setting: 'auto' },
    ['uri_handler', 'device'],
  ],
  ['web: no loopback', { host: 'web', grants: ANY_SERVER, setting: 'auto' }, ['uri_handler', 'device']],
  ['a server without the device grant', { host: 'remote', grants: noDevice, setting: 'auto' }, ['uri_handler']],
  ['a server with only the device grant', { host: 'local', grants: deviceOnly, setting: 'auto' }, ['device']],
  ['the setting picks one flow', { host: 'local', grants: ANY_SERVER, setting: 'device' }, ['device']],
  [
    'a setting that does not fit the host counts as auto',
    { host: 'web', grants: ANY_SERVER, setting: 'loopback' },
    ['uri_handler', 'device'],
  ],
  [
    'a setting the server does not offer counts as auto',
    { host: 'local', grants: noDevice, setting: 'device' },
    ['loopback', 'uri_handler'],
  ],
  [
    'another way: every flow that fits, whatever the setting',
    { host: 'local', grants: ANY_SERVER, setting: 'device', anotherWay: true },
    ['loopback', 'uri_handler', 'device'],
  ],
  ['no flow fits', { host: 'web', grants: { authorizationCode: false, deviceCode: false }, setting: 'auto' }, []],
];

describe('getFlows', () => {
  for (const [what, query, expected] of ROWS) {
    it(what, () => {
      assert.deepEqual(
        getFlows(query).map((flow) => flow.id),
        expected,
      );
    });
  }

  it("reads the grants from the server's metadata (RFC 8414 defaults when it lists none)", () => {
    const base = { issuer: 'https://auth.example.org/' } as AuthMetadata;
    assert.deepEqual(grantsOf(base), { authorizationCode: true, deviceCode: false });
    assert.deepEqual(
      grantsOf({
        ...base,
        device_authorization_endpoint: 'https://auth.example.org/device',
        grant_types_supported: ['authorization_code', 'urn:ietf:params:oauth:grant-type:device_code'],
      }),
      { authorizationCode: true, deviceCode: true },
    );
    assert.deepEqual(
      grantsOf({
        ...base,
        device_authorization_endpoint: 'https://auth.example.org/device',
        grant_types_supported: ['refresh_token'],
      }),
      { authorizationCode: false, deviceCode: false },
    );
  });
});
