/**
 * Asks about the invites a channel is set to ask about (Accept / Decline). Says when a channel joined a room on
 * its own (auto-join), and offers to let that room's messages through
 * when the channel's room policy would keep them silent (joined because the inviter is allowed, while the
 * room itself is not on the room allowlist). Ignored invites are only logged: they are the policy working.
 */
import * as vscode from 'vscode';
import type { AccountService, ChannelConfigStore } from '../core/account/account-service.ts';
import type { Logger } from '../core/log.ts';
import { allowlistMatcher } from '../core/policy/index.ts';
import type { ChannelInvite } from '../core/sync/channel-sync.ts';
import type { ChannelConfig } from '../core/channel/config.ts';
import { displayName, forIconLabel, forNotification, LONG_MAX } from '../core/text/untrusted-text.ts';

/** Whether messages of this (group) room would be dropped by the room policy. */
export function roomStaysSilent(config: ChannelConfig, invite: Pick<ChannelInvite, 'roomId' | 'isDirect'>): boolean {
  return (
    !invite.isDirect &&
    config.roomPolicy === 'allowlist' &&
    !allowlistMatcher(config.roomAllowlist).matches(invite.roomId)
  );
}

export function showInviteNotifications(
  accounts: AccountService,
  configs: ChannelConfigStore,
  log: Logger,
): vscode.Disposable {
  const subscription = accounts.onInvite((invite) => {
    log.info(
      `account ${invite.accountId}: invite to ${invite.roomId} from ${invite.inviter}: ${invite.joined ? 'joined' : 'not joined'} (${invite.reason})`,
    );
    const config = accounts.account(invite.accountId)?.config;
    if (!config?.notifications) return;
    if (invite.ask) void ask(invite);
    else if (invite.joined) void announce(invite, config);
  });

  /** An invite the policies let through, for the person to accept or decline. */
  async function ask(invite: ChannelInvite): Promise<void> {
    const inviter = forNotification(invite.inviter);
    const question = invite.isDirect
      ? vscode.l10n.t({
          message: '{0} invited you to a direct chat.',
          args: [inviter],
          comment: ["{0} is the inviter's Matrix ID"],
        })
      : vscode.l10n.t({
          message: '{0} invited you to {1}.',
          args: [inviter, forNotification(displayName(invite.roomName, invite.roomId))],
          comment: ["{0} is the inviter's Matrix ID; {1} is the room's name"],
        });
    const accept = vscode.l10n.t('Accept');
    const decline = vscode.l10n.t('Decline');
    const answer = await vscode.window.showInformationMessage(question, accept, decline);
    if (answer !== accept && answer !== decline) return;
    try {
      await accounts.answerInvite(invite.accountId, invite.roomId, answer === accept);
      void vscode.window.setStatusBarMessage(
        answer === accept ? vscode.l10n.t('$(check) Joined') : vscode.l10n.t('$(check) Invite declined'),
        4000,
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(forNotification(reason, LONG_MAX));
    }
  }

  async function announce(invite: ChannelInvite, config: ChannelConfig): Promise<void> {
    const room = displayName(invite.roomName, invite.roomId);
    const inviter = forNotification(invite.inviter);
    const joined = invite.isDirect
      ? vscode.l10n.t({
          message: 'Joined a direct chat with {0}.',
          args: [inviter],
          comment: ["{0} is the inviter's Matrix ID"],
        })
      : vscode.l10n.t({
          message: 'Joined {0}, invited by {1}.',
          args: [forNotification(room), inviter],
          comment: ["{0} is the room's name; {1} is the inviter's Matrix ID"],
        });
    if (!roomStaysSilent(config, invite)) {
      void vscode.window.showInformationMessage(joined);
      return;
    }
    const allow = vscode.l10n.t('Allow Messages from This Room');
    const answer = await vscode.window.showInformationMessage(
      `${joined} ${vscode.l10n.t("Its messages stay silent: the room is not on the channel's room allowlist.")}`,
      allow,
    );
    if (answer !== allow) return;
    // The configuration as it is now (it may have changed while the question was open).
    const current = configs.list().find((c) => c.id === invite.accountId);
    if (!current || current.roomAllowlist.includes(invite.roomId)) return;
    await configs.upsert({ ...current, roomAllowlist: [...current.roomAllowlist, invite.roomId] });
    void vscode.window.setStatusBarMessage(
      vscode.l10n.t({
        message: '$(check) Messages from {0} now reach you',
        args: [forIconLabel(room)],
        comment: ["{0} is a room's name; $(check) is an icon"],
      }),
      4000,
    );
  }

  return subscription;
}
