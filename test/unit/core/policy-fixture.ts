/** The message policy tests' world (policy.test.ts, policy-events.test.ts): who, where, and a message. */
import assert from 'node:assert/strict';
import { decideMessage, type MessagePolicyInput, type PolicyRoom } from '../../../src/core/policy/index.ts';

export const ME = '@me:example.org';
export const FRIEND = '@friend:example.org';
const ROOM = '!room:example.org';
export const START = 1_700_000_000_000;

export const DM: PolicyRoom = { roomId: ROOM, aliases: [], isDirect: true, memberCount: 2 };
export const GROUP: PolicyRoom = {
  roomId: ROOM,
  aliases: ['#dev-team:example.org', '#alt:example.org'],
  isDirect: false,
  memberCount: 12,
  hasName: true,
};

export const MENTIONED = { msgtype: 'm.text', body: 'look', 'm.mentions': { user_ids: [ME] } };
export const UNMENTIONED = { msgtype: 'm.text', body: 'hello all', 'm.mentions': {} };

export interface Overrides {
  config?: Partial<MessagePolicyInput['config']>;
  event?: Partial<MessagePolicyInput['event']>;
  room?: Partial<PolicyRoom>;
  senderMayNotifyRoom?: boolean;
}

/** A message from FRIEND in a group room, with every gate open unless overridden. */
function input(overrides: Overrides = {}): MessagePolicyInput {
  const result: MessagePolicyInput = {
    config: {
      dmPolicy: 'open',
      roomPolicy: 'open',
      mentionMode: 'always',
      roomAllowlist: [],
      userAllowlist: [],
      ...overrides.config,
    },
    ownUserId: ME,
    event: {
      sender: FRIEND,
      roomId: ROOM,
      type: 'm.room.message',
      content: UNMENTIONED,
      originServerTs: START + 1000,
      ...overrides.event,
    },
    room: { ...GROUP, ...overrides.room },
    startedAt: START,
  };
  if (overrides.senderMayNotifyRoom !== undefined) result.senderMayNotifyRoom = overrides.senderMayNotifyRoom;
  return result;
}

export function expectDecision(overrides: Overrides, deliver: boolean, reason: string, context = ''): void {
  assert.deepEqual(decideMessage(input(overrides)), { deliver, reason }, context);
}
