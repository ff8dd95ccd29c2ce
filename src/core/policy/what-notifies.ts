/**
 * What a channel's settings let through, in a person's words: shown with the account (its tooltip), so a quiet
 * account says why it is quiet. Pure.
 */
import type { ChannelConfig } from '../channel/config.ts';

export type NotifyingConfig = Pick<
  ChannelConfig,
  'dmPolicy' | 'roomPolicy' | 'mentionMode' | 'roomAllowlist' | 'userAllowlist' | 'autoJoin' | 'notifications'
>;

/** E.g. "Notifies you of direct messages and mentions of you in joined rooms. Invites: you are asked." */
export function whatNotifies(config: NotifyingConfig): string {
  if (!config.notifications) return 'Notifications are off for this account.';
  const fromListed = config.userAllowlist.length > 0 ? ' from allowed people' : '';
  const kinds: string[] = [];
  if (config.dmPolicy === 'open') kinds.push(`direct messages${fromListed}`);
  else if (config.dmPolicy === 'allowlist' && config.userAllowlist.length > 0)
    kinds.push('direct messages from allowed people');
  const rooms = roomsPart(config);
  if (rooms)
    kinds.push(`${config.mentionMode === 'always' ? 'every message' : 'mentions of you'} ${rooms}${fromListed}`);
  const notifies = kinds.length
    ? `Notifies you of ${kinds.join(' and ')}.`
    : 'Nothing notifies you: no direct messages, no rooms.';
  return `${notifies} Invites: ${INVITES[config.autoJoin]}.`;
}

function roomsPart(config: NotifyingConfig): string | undefined {
  if (config.mentionMode === 'none') return undefined;
  if (config.roomPolicy === 'open') return 'in joined rooms';
  if (config.roomPolicy !== 'allowlist' || config.roomAllowlist.length === 0) return undefined;
  return config.roomAllowlist.length === 1 ? 'in 1 allowed room' : `in ${config.roomAllowlist.length} allowed rooms`;
}

const INVITES: Record<ChannelConfig['autoJoin'], string> = {
  ask: 'you are asked',
  always: 'joined when the settings allow them',
  allowlist: 'joined only for allowed rooms or people',
  off: 'never joined here',
};
