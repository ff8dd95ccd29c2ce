import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { accountContextValue, saysUnverified } from '../../../src/core/account/menu-context.ts';
import type { AccountStatus } from '../../../src/core/account/state.ts';

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  contributes: { menus: { 'view/item/context': MenuEntry[] } };
};

/** The account rows' menu entries, evaluated for a contextValue as VS Code would (its `=~` and `!=` clauses). */
function menuFor(contextValue: string, inline: boolean): string[] {
  return manifest.contributes.menus['view/item/context']
    .filter((entry) => (entry.group?.startsWith('inline') ?? false) === inline)
    .filter((entry) => {
      const when = entry.when ?? '';
      const match = /viewItem =~ \/(.+?)\/(?: |$)/.exec(when);
      const not = /viewItem != ([\w.]+)/.exec(when);
      return (!match || new RegExp(match[1]!).test(contextValue)) && (!not || not[1] !== contextValue);
    })
    .map((entry) => entry.command.replace('matrixChannels.', ''));
}

const verified = { deviceVerified: true, keyBackup: true, recovery: true };
const unverified = { deviceVerified: false, keyBackup: false, recovery: true };

describe('account row menus', () => {
  // status → contextValue → what the row offers inline, and in its context menu.
  const table: Array<[AccountStatus, string, string[], string[]]> = [
    [
      { state: 'connected', encryption: verified },
      'account.connected',
      ['reconnect'],
      ['signOut', 'reconnect', 'openAccountManagement', 'copyUserId', 'editChannel', 'removeChannel'],
    ],
    [
      { state: 'connected', encryption: unverified },
      'account.connected.unverified',
      ['reconnect', 'verifyWithRecoveryKey'],
      [
        'signOut',
        'reconnect',
        'openAccountManagement',
        'copyUserId',
        'verifyWithRecoveryKey',
        'verifyWithDevice',
        'editChannel',
        'removeChannel',
      ],
    ],
    [
      { state: 'connected', renewal: { summary: 'down', reason: 'down', retryAt: 1 }, encryption: unverified },
      'account.connected.renewal.unverified',
      ['retryNow', 'verifyWithRecoveryKey'],
      [
        'retryNow',
        'signOut',
        'openAccountManagement',
        'copyUserId',
        'verifyWithRecoveryKey',
        'verifyWithDevice',
        'editChannel',
        'removeChannel',
      ],
    ],
    // Encryption that does not run here has nothing to verify.
    [
      { state: 'connected', encryption: { ...unverified, off: 'Its keys are elsewhere.' } },
      'account.connected',
      ['reconnect'],
      ['signOut', 'reconnect', 'openAccountManagement', 'copyUserId', 'editChannel', 'removeChannel'],
    ],
    // Only a connected device can be verified: a reconnecting one keeps its usual menu.
    [
      { state: 'reconnecting', encryption: unverified },
      'account.reconnecting',
      ['reconnect'],
      ['signOut', 'reconnect', 'openAccountManagement', 'copyUserId', 'editChannel', 'removeChannel'],
    ],
    [
      { state: 'needs_sign_in' },
      'account.needs_sign_in',
      ['signIn'],
      ['signIn', 'signOut', 'copyUserId', 'editChannel', 'removeChannel'],
    ],
    [{ state: 'signed_out' }, 'account.signed_out', ['signIn'], ['signIn', 'editChannel', 'removeChannel']],
  ];
  for (const [status, contextValue, inline, context] of table) {
    it(`${contextValue}: ${inline.join(', ')}`, () => {
      assert.equal(accountContextValue(status), contextValue);
      assert.deepEqual(menuFor(contextValue, true), inline);
      assert.deepEqual(menuFor(contextValue, false), context);
    });
  }
});

describe('the account row says "not verified" in words', () => {
  const device = { deviceVerified: false, keyBackup: false, recovery: true };
  const table: Array<[string, AccountStatus, boolean]> = [
    ['connected, recovery set up, not verified', { state: 'connected', encryption: device }, true],
    [
      'no recovery anywhere: every new device is unverified, so no words',
      { state: 'connected', encryption: { ...device, recovery: false } },
      false,
    ],
    ['verified', { state: 'connected', encryption: { ...device, deviceVerified: true } }, false],
    ['encryption off here', { state: 'connected', encryption: { ...device, off: 'Its keys are elsewhere.' } }, false],
    ['not connected', { state: 'reconnecting', encryption: device }, false],
    ['no encryption status yet', { state: 'connected' }, false],
  ];
  for (const [name, status, says] of table) it(name, () => assert.equal(saysUnverified(status), says));
});
