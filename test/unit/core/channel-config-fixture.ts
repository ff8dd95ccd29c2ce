/** Channel settings shared by the channel configuration tests (channel-config*.test.ts). */

/** A room version 12 room ID: `!` and the 43-character create-event hash, no server part. */
export const V12_ROOM = '!31hneApxJ_1o-63DmFrpeqnkFfWppnzWso1JvH3ogLM';

/** Every field set and valid, so a test that spoils one field can check that only that one is reported. */
export const FULL = {
  id: 'work',
  label: 'Work account',
  homeserver: 'https://matrix.example.org',
  authMode: 'oidc',
  userId: '@alice:example.org',
  deviceId: 'VSCODEDEV01',
  deviceDisplayName: 'VS Code on laptop 💻',
  dmPolicy: 'open',
  roomPolicy: 'disabled',
  mentionMode: 'always',
  roomAllowlist: ['!abc:example.org', '#general:example.org', '*:example.org', V12_ROOM],
  userAllowlist: ['@bob:example.org', '@*:example.org'],
  autoJoin: 'off',
  notifications: false,
};
