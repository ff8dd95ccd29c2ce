/**
 * Says when a channel joined a room on its own (auto-join), and offers to let that room's messages through
 * when the channel's room policy would keep them silent (joined because the inviter is allowed, while the
 * room itself is not on the room allowlist). Ignored invites are only logged: they are the policy working.
 */
import * as vscode from 'vscode';
import type { AccountService, ChannelConfigStore } from '../core/account/account-service.ts';
import type { Logger } from '../core/log.ts';
import { allowlistMatcher } from '../core/policy/index.ts';
import type { ChannelInvite } from '../core/sync/channel-sync.ts';
import type { ChannelConfig } from '../core/channel/config.ts';
import { displayName, forIconLabel, forNotification } from '../core/text/untrusted-text.ts';

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
    if (!invite.joined || !config?.notifications) return;
    void announce(invite, config);
  });

  async function announce(invite: ChannelInvite, config: ChannelConfig): Promise<void> {
    const room = displayName(invite.roomName, invite.roomId);
    const inviter = forNotification(invite.inviter);
    const joined = invite.isDirect
      ? vscode.l10n.t('Joined a direct chat with {0}.', inviter)
      : vscode.l10n.t('Joined {0}, invited by {1}.', forNotification(room), inviter);
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
      vscode.l10n.t('$(check) Messages from {0} now reach you', forIconLabel(room)),
      4000,
    );
  }

  return subscription;
}
