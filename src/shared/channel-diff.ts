/**
 * What an edit changes in a channel, and whether it needs a new sign-in. Both sides use it: the webview to
 * say "saving signs in again" before the user saves, the host to decide for itself (it never trusts the
 * webview's view of it) and to write only the changed fields over the configuration as stored now.
 */
import type { ChannelConfig } from '../core/channel/config.ts';
import { l10n } from '../core/l10n.ts';

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
 * Fields a session is bound to, with why changing them signs in again: a session signed in with the old value
 * does not fit the new one, so saving them means signing in again (and saving nothing if that fails). A
 * function, so the reasons are translated when they are shown, not when the module loads.
 */
export function signInFields(): Readonly<Partial<Record<ChannelField, string>>> {
  return {
    homeserver: l10n.t({
      message: 'the homeserver changed',
      comment: ['Why saving signs the channel in again; shows in "Saving signs this channel in again: {0}."'],
    }),
    authMode: l10n.t({
      message: 'the sign-in method changed',
      comment: ['Why saving signs the channel in again; shows in "Saving signs this channel in again: {0}."'],
    }),
    userId: l10n.t({
      message: 'the user ID changed',
      comment: ['Why saving signs the channel in again; shows in "Saving signs this channel in again: {0}."'],
    }),
    deviceId: l10n.t({
      message: 'the device ID changed',
      comment: ['Why saving signs the channel in again; shows in "Saving signs this channel in again: {0}."'],
    }),
  };
}

export interface ChannelDiff {
  /** Changed fields, in form order. */
  changed: ChannelField[];
  /** Why saving needs a new sign-in (empty: it does not). */
  signInReasons: string[];
}

export function diffChannel(before: ChannelConfig, after: ChannelConfig): ChannelDiff {
  const changed = FIELDS.filter((field) => !same(before[field], after[field]));
  const reasons = signInFields();
  const signInReasons = changed.flatMap((field) => reasons[field] ?? []);
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
