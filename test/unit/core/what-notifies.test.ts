import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHANNEL_DEFAULTS, NEW_CHANNEL_DEFAULTS } from '../../../src/core/channel/config.ts';
import { whatNotifies, type NotifyingConfig } from '../../../src/core/policy/what-notifies.ts';

const base: NotifyingConfig = { ...NEW_CHANNEL_DEFAULTS, roomAllowlist: [], userAllowlist: [] };

describe('what a channel notifies about, in words', () => {
  const table: Array<[string, Partial<NotifyingConfig>, string]> = [
    [
      'a channel added in the editor',
      {},
      'Notifies you of direct messages and mentions of you in joined rooms. Invites: you are asked.',
    ],
    [
      "the gateway's defaults (empty allowlists)",
      { ...CHANNEL_DEFAULTS, roomAllowlist: [], userAllowlist: [] },
      'Nothing notifies you: no direct messages, no rooms. Invites: joined when the settings allow them.',
    ],
    [
      'every message in two allowed rooms, DMs off',
      { dmPolicy: 'disabled', roomPolicy: 'allowlist', roomAllowlist: ['!a:hs', '#b:hs'], mentionMode: 'always' },
      'Notifies you of every message in 2 allowed rooms. Invites: you are asked.',
    ],
    [
      'allowed people only',
      { dmPolicy: 'allowlist', userAllowlist: ['@boss:hs'], autoJoin: 'allowlist' },
      'Notifies you of direct messages from allowed people and mentions of you in joined rooms from allowed people. ' +
        'Invites: joined only for allowed rooms or people.',
    ],
    [
      'mention mode none',
      { mentionMode: 'none', autoJoin: 'off' },
      'Notifies you of direct messages. Invites: never joined here.',
    ],
    ['notifications off', { notifications: false }, 'Notifications are off for this account.'],
  ];
  for (const [name, change, words] of table) {
    it(name, () => assert.equal(whatNotifies({ ...base, ...change }), words));
  }
});
