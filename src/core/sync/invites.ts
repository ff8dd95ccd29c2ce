/**
 * A live channel's invites through the invite policy: joined or left alone, each room once (again after a
 * failed join), and reported either way.
 */
import type { ChannelConfig } from '../channel/config.ts';
import { describeError, type Logger } from '../log.ts';
import { decideInvite } from '../policy/index.ts';
import { inviteOf } from './sdk-rooms.ts';
import type { ChannelInvite } from './types.ts';

type Room = import('matrix-js-sdk').Room;

export interface InviteHandlerOptions {
  accountId: string;
  userId: string;
  /** Read on every invite, so edited policies apply at once. */
  config: () => ChannelConfig;
  log: Logger;
  join(roomId: string): Promise<unknown>;
  report(invite: ChannelInvite): void;
}

export class InviteHandler {
  private readonly handled = new Set<string>();

  constructor(private readonly options: InviteHandlerOptions) {}

  async handle(room: Room): Promise<void> {
    const { accountId, log } = this.options;
    if (this.handled.has(room.roomId)) return;
    this.handled.add(room.roomId);
    const invite = inviteOf(room, this.options.userId);
    const decision = decideInvite({ config: this.options.config(), invite });
    log.info(
      `account ${accountId}: invite to ${room.roomId} from ${invite.inviter}: ${decision.join ? 'join' : 'ignore'} (${decision.reason})`,
    );
    let joined = false;
    if (decision.join) {
      try {
        await this.options.join(room.roomId);
        joined = true;
      } catch (error) {
        log.warn(`account ${accountId}: joining ${room.roomId} failed: ${describeError(error)}`);
        this.handled.delete(room.roomId);
      }
    }
    this.options.report({
      accountId,
      roomId: room.roomId,
      roomName: room.name || room.roomId,
      inviter: invite.inviter,
      isDirect: invite.isDirect,
      joined,
      ask: decision.ask === true,
      reason: decision.reason,
    });
  }
}
