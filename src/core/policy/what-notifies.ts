/**
 * What a channel's settings let through, in a person's words: shown with the account (its tooltip), so a quiet
 * account says why it is quiet. Pure.
 */
import type { ChannelConfig } from '../channel/config.ts';
import { l10n } from '../l10n.ts';

export type NotifyingConfig = Pick<
  ChannelConfig,
  'dmPolicy' | 'roomPolicy' | 'mentionMode' | 'roomAllowlist' | 'userAllowlist' | 'autoJoin' | 'notifications'
>;

/** E.g. "Notifies you of direct messages and mentions of you in joined rooms. Invites: you are asked." */
export function whatNotifies(config: NotifyingConfig): string {
  if (!config.notifications) return l10n.t('Notifications are off for this account.');
  return l10n.t({
    message: '{0} {1}',
    args: [notifies(config), invites(config.autoJoin)],
    comment: [
      'Two sentences, in an account\'s tooltip: {0} says which messages notify you; {1} says what happens to invites, such as "Invites: you are asked."',
    ],
  });
}

/** Direct messages: none, all, or those of allowed people; or none, with an allowlist of people for the rooms. */
type Direct = 'none' | 'none_listed' | 'all' | 'allowed';
type RoomScope = 'joined' | 'one' | 'many';

/**
 * Every combination of direct messages, room messages and where from is a sentence of its own: they read whole in
 * every language, and a translator sees each of them.
 */
const NOTIFIES: Record<`${Direct} ${'every' | 'mentions'} ${RoomScope}`, (rooms: number) => string> = {
  'none every joined': () => l10n.t('Notifies you of every message in joined rooms.'),
  'none every one': () => l10n.t('Notifies you of every message in 1 allowed room.'),
  'none every many': (n) =>
    l10n.t({
      message: 'Notifies you of every message in {0} allowed rooms.',
      args: [n],
      comment: ['{0} is a number of rooms, 2 or more'],
    }),
  'none mentions joined': () => l10n.t('Notifies you of mentions of you in joined rooms.'),
  'none mentions one': () => l10n.t('Notifies you of mentions of you in 1 allowed room.'),
  'none mentions many': (n) =>
    l10n.t({
      message: 'Notifies you of mentions of you in {0} allowed rooms.',
      args: [n],
      comment: ['{0} is a number of rooms, 2 or more'],
    }),
  'none_listed every joined': () => l10n.t('Notifies you of every message in joined rooms from allowed people.'),
  'none_listed every one': () => l10n.t('Notifies you of every message in 1 allowed room from allowed people.'),
  'none_listed every many': (n) =>
    l10n.t({
      message: 'Notifies you of every message in {0} allowed rooms from allowed people.',
      args: [n],
      comment: ['{0} is a number of rooms, 2 or more'],
    }),
  'none_listed mentions joined': () => l10n.t('Notifies you of mentions of you in joined rooms from allowed people.'),
  'none_listed mentions one': () => l10n.t('Notifies you of mentions of you in 1 allowed room from allowed people.'),
  'none_listed mentions many': (n) =>
    l10n.t({
      message: 'Notifies you of mentions of you in {0} allowed rooms from allowed people.',
      args: [n],
      comment: ['{0} is a number of rooms, 2 or more'],
    }),
  'all every joined': () => l10n.t('Notifies you of direct messages and every message in joined rooms.'),
  'all every one': () => l10n.t('Notifies you of direct messages and every message in 1 allowed room.'),
  'all every many': (n) =>
    l10n.t({
      message: 'Notifies you of direct messages and every message in {0} allowed rooms.',
      args: [n],
      comment: ['{0} is a number of rooms, 2 or more'],
    }),
  'all mentions joined': () => l10n.t('Notifies you of direct messages and mentions of you in joined rooms.'),
  'all mentions one': () => l10n.t('Notifies you of direct messages and mentions of you in 1 allowed room.'),
  'all mentions many': (n) =>
    l10n.t({
      message: 'Notifies you of direct messages and mentions of you in {0} allowed rooms.',
      args: [n],
      comment: ['{0} is a number of rooms, 2 or more'],
    }),
  'allowed every joined': () =>
    l10n.t(
      'Notifies you of direct messages from allowed people and every message in joined rooms from allowed people.',
    ),
  'allowed every one': () =>
    l10n.t(
      'Notifies you of direct messages from allowed people and every message in 1 allowed room from allowed people.',
    ),
  'allowed every many': (n) =>
    l10n.t({
      message:
        'Notifies you of direct messages from allowed people and every message in {0} allowed rooms from allowed people.',
      args: [n],
      comment: ['{0} is a number of rooms, 2 or more'],
    }),
  'allowed mentions joined': () =>
    l10n.t(
      'Notifies you of direct messages from allowed people and mentions of you in joined rooms from allowed people.',
    ),
  'allowed mentions one': () =>
    l10n.t(
      'Notifies you of direct messages from allowed people and mentions of you in 1 allowed room from allowed people.',
    ),
  'allowed mentions many': (n) =>
    l10n.t({
      message:
        'Notifies you of direct messages from allowed people and mentions of you in {0} allowed rooms from allowed people.',
      args: [n],
      comment: ['{0} is a number of rooms, 2 or more'],
    }),
};

/** Which messages notify, in one sentence. */
function notifies(config: NotifyingConfig): string {
  const listed = config.userAllowlist.length > 0;
  const dms = config.dmPolicy === 'open' || (config.dmPolicy === 'allowlist' && listed);
  const scope = roomScope(config);
  if (!scope) {
    if (!dms) return l10n.t('Nothing notifies you: no direct messages, no rooms.');
    return listed
      ? l10n.t('Notifies you of direct messages from allowed people.')
      : l10n.t('Notifies you of direct messages.');
  }
  const direct: Direct = dms ? (listed ? 'allowed' : 'all') : listed ? 'none_listed' : 'none';
  const kind = config.mentionMode === 'always' ? 'every' : 'mentions';
  return NOTIFIES[`${direct} ${kind} ${scope}`](config.roomAllowlist.length);
}

function roomScope(config: NotifyingConfig): RoomScope | undefined {
  if (config.mentionMode === 'none') return undefined;
  if (config.roomPolicy === 'open') return 'joined';
  if (config.roomPolicy !== 'allowlist' || config.roomAllowlist.length === 0) return undefined;
  return config.roomAllowlist.length === 1 ? 'one' : 'many';
}

function invites(autoJoin: ChannelConfig['autoJoin']): string {
  switch (autoJoin) {
    case 'ask':
      return l10n.t('Invites: you are asked.');
    case 'always':
      return l10n.t('Invites: joined when the settings allow them.');
    case 'allowlist':
      return l10n.t('Invites: joined only for allowed rooms or people.');
    case 'off':
      return l10n.t('Invites: never joined here.');
  }
}
