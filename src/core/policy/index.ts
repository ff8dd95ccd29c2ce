/** The channel policy engine: pure decisions on incoming events and invites. */
export { allowlistMatcher, compileAllowlist, matchesPattern, type AllowlistMatcher } from './glob.ts';
export {
  decideMessage,
  isDirectRoom,
  mentionsUser,
  type MessageDecision,
  type MessagePolicyConfig,
  type MessagePolicyInput,
  type PolicyEvent,
  type PolicyRoom,
} from './message-policy.ts';
export {
  decideInvite,
  type InviteDecision,
  type InvitePolicyConfig,
  type InvitePolicyInput,
  type PolicyInvite,
} from './invite-policy.ts';
