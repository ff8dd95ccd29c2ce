/**
 * What to do with an invite (auto_join): DM invites are gated by dm_policy, room invites by
 * room_policy, then the auto_join mode decides. Pure: the caller reads the invite state and logs the reason.
 *
 * Design choices:
 *  - A room invite passes room_policy `allowlist` when the room ID or an alias is in the room allowlist, OR
 *    the inviter is in the user allowlist: invites usually carry no alias (the stripped state often has no
 *    `m.room.canonical_alias`), so an allowed person inviting us is the practical signal. Note the message
 *    policy still requires the room itself on the room allowlist, so such a room stays quiet until added.
 *  - auto_join `allowlist` joins only on an explicit allowlist match (room, alias or inviter), never merely
 *    because a policy is `open`; `always` joins whatever the policy allows; `ask` asks the person about what the
 *    policy allows; `off` never joins.
 *  - `isDirect` comes from the inviter (`is_direct` on the invite): it picks the gate, nothing more.
 */
import type { ChannelConfig } from '../channel/config.ts';
import { allowlistMatcher } from './glob.ts';

export type InvitePolicyConfig = Pick<
  ChannelConfig,
  'dmPolicy' | 'roomPolicy' | 'autoJoin' | 'roomAllowlist' | 'userAllowlist'
>;

export interface PolicyInvite {
  roomId: string;
  inviter: string;
  /** `is_direct` on our invite membership event. */
  isDirect: boolean;
  /** Canonical and alt aliases, when the invite's stripped state has them. */
  roomAliases?: readonly string[];
}

export interface InvitePolicyInput {
  config: InvitePolicyConfig;
  invite: PolicyInvite;
}

export interface InviteDecision {
  join: boolean;
  /** Ask the person (Accept / Decline) instead of deciding. */
  ask?: boolean;
  /** Short and human, for the log. */
  reason: string;
}

interface Gate {
  allowed: boolean;
  /** Allowed because of an allowlist entry (what auto_join `allowlist` needs), not just an open policy. */
  explicit: boolean;
  reason: string;
}

function dmGate(config: InvitePolicyConfig, invite: PolicyInvite): Gate {
  const users = allowlistMatcher(config.userAllowlist);
  const listed = users.matches(invite.inviter);
  switch (config.dmPolicy) {
    case 'open':
      return {
        allowed: true,
        explicit: listed,
        reason: listed ? 'DM invite from an allowed user' : 'DM invite (policy open)',
      };
    case 'allowlist':
      if (users.size === 0)
        return { allowed: false, explicit: false, reason: 'DM invite: the user allowlist is empty' };
      return listed
        ? { allowed: true, explicit: true, reason: 'DM invite from an allowed user' }
        : { allowed: false, explicit: false, reason: 'DM inviter not in the user allowlist' };
    default:
      return { allowed: false, explicit: false, reason: 'DM invites disabled' };
  }
}

function roomGate(config: InvitePolicyConfig, invite: PolicyInvite): Gate {
  if (config.roomPolicy !== 'open' && config.roomPolicy !== 'allowlist')
    return { allowed: false, explicit: false, reason: 'room invites disabled' };
  const rooms = allowlistMatcher(config.roomAllowlist);
  const users = allowlistMatcher(config.userAllowlist);
  if (rooms.matchesAny([invite.roomId, ...(invite.roomAliases ?? [])]))
    return { allowed: true, explicit: true, reason: 'room in the allowlist' };
  if (users.matches(invite.inviter))
    return { allowed: true, explicit: true, reason: 'room invite from an allowed user' };
  if (config.roomPolicy === 'open') return { allowed: true, explicit: false, reason: 'room invite (policy open)' };
  if (rooms.size === 0 && users.size === 0)
    return { allowed: false, explicit: false, reason: 'room invite: both allowlists are empty' };
  return { allowed: false, explicit: false, reason: 'neither room nor inviter in the allowlists' };
}

export function decideInvite(input: InvitePolicyInput): InviteDecision {
  const { config, invite } = input;
  const gate = invite.isDirect ? dmGate(config, invite) : roomGate(config, invite);
  if (!gate.allowed) return { join: false, reason: gate.reason };
  switch (config.autoJoin) {
    case 'always':
      return { join: true, reason: gate.reason };
    case 'allowlist':
      return gate.explicit
        ? { join: true, reason: gate.reason }
        : { join: false, reason: `${gate.reason}, but auto-join needs an allowlist match` };
    case 'ask':
      return { join: false, ask: true, reason: `${gate.reason}: asking` };
    default:
      return { join: false, reason: `${gate.reason}, but auto-join is off` };
  }
}
