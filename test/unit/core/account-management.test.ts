import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountManagementUrl } from '../../../src/core/auth/account-management.ts';
import type { AuthMetadata } from '../../../src/core/discovery/types.ts';

const base: AuthMetadata = {
  issuer: 'https://auth.example.org/',
  authorization_endpoint: 'https://auth.example.org/authorize',
  token_endpoint: 'https://auth.example.org/oauth2/token',
  account_management_uri: 'https://auth.example.org/account/',
};

describe('account management links (MSC4191)', () => {
  it('uses the current action name with the device id', () => {
    const metadata = {
      ...base,
      account_management_actions_supported: ['org.matrix.device_view', 'org.matrix.profile'],
    };
    assert.equal(
      accountManagementUrl(metadata, 'device', 'ABC/DEF 1'),
      'https://auth.example.org/account/?action=org.matrix.device_view&device_id=ABC%2FDEF+1',
    );
    assert.equal(
      accountManagementUrl(metadata, 'profile'),
      'https://auth.example.org/account/?action=org.matrix.profile',
    );
  });

  it('falls back to the older name a server lists', () => {
    const metadata = { ...base, account_management_actions_supported: ['org.matrix.session_end'] };
    assert.equal(
      accountManagementUrl(metadata, 'delete_device', 'D1'),
      'https://auth.example.org/account/?action=org.matrix.session_end&device_id=D1',
    );
  });

  it('gives nothing for an action the server does not list, or without an account page', () => {
    assert.equal(
      accountManagementUrl({ ...base, account_management_actions_supported: ['org.matrix.profile'] }, 'devices'),
      undefined,
    );
    const { account_management_uri: _omit, ...noPage } = base;
    assert.equal(accountManagementUrl(noPage, 'profile'), undefined);
  });

  it('assumes current names when the server lists no actions, keeping its own query', () => {
    const metadata = { ...base, account_management_uri: 'https://auth.example.org/account?lang=en' };
    assert.equal(
      accountManagementUrl(metadata, 'devices'),
      'https://auth.example.org/account?lang=en&action=org.matrix.devices_list',
    );
  });

  it('refuses a device action without a device id', () => {
    assert.throws(() => accountManagementUrl(base, 'delete_device'), /needs a device id/);
  });
});
