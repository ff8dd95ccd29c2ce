/**
 * What an edit changes in a channel, and whether it needs a new sign-in. Both sides use it: the webview to
 * say "saving signs in again" before the user saves, the host to decide for itself (it never trusts the
 * webview's view of it) and to write only the changed fields over the configuration as stored now.
 */
import type { ChannelConfig } from '../core/channel/config.ts';

export type ChannelField = Exclude<keyof ChannelConfig, 'id'>;

const FIELDS: readonly ChannelField[] = [
  'label',
  'homeserver',
  'authMode',
  'userId',
  'deviceId',
  'deviceDisplayName',
  'dmPolicy',
  'roomPolicy',
  'mentionMode',
  'roomAllowlist',
  'userAllowlist',
  'autoJoin',
  'notifications',
];

/**
 * Fields a session is bound to: a session signed in with the old value does not fit the new one, so saving
 * them means signing in again (and saving nothing if that fails).
 */
export const SIGN_IN_FIELDS: Readonly<Partial<Record<ChannelField, string>>> = Object.freeze({
  homeserver: 'the homeserver changed',
  authMode: 'the sign-in method changed',
  userId: 'the user ID changed',
  deviceId: 'the device ID changed',
});

export interface ChannelDiff {
  /** Changed fields, in form order. */
  changed: ChannelField[];
  /** Why saving needs a new sign-in (empty: it does not). */
  signInReasons: string[];
}

export function diffChannel(before: ChannelConfig, after: ChannelConfig): ChannelDiff {
  const changed = FIELDS.filter((field) => !same(before[field], after[field]));
  const signInReasons = changed.flatMap((field) => SIGN_IN_FIELDS[field] ?? []);
  return { changed, signInReasons };
}

/**
 * `current` (the stored configuration now, which may have moved on since the panel opened) with only the
 * given fields taken from `after`; a field emptied in the form is removed.
 */
export function applyChanges(
  current: ChannelConfig,
  after: ChannelConfig,
  fields: readonly ChannelField[],
): ChannelConfig {
  const result: Record<string, unknown> = { ...current };
  for (const field of fields) {
    const value = after[field];
    if (value === undefined) delete result[field];
    else result[field] = Array.isArray(value) ? [...value] : value;
  }
  return result as unknown as ChannelConfig;
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((value, index) => value === b[index]);
  return a === b;
}
