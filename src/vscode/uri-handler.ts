/**
 * The extension's URI handler (`<scheme>://matrix-channels.matrix-channels/...`): OAuth callbacks go to the
 * waiting sign-in by `state` (unknown states are ignored with a log line), `/focus` only brings the window
 * forward, and `/signin?homeserver=…` starts a sign-in once the user confirms.
 */
import * as vscode from 'vscode';
import type { CallbackOutcome } from '../core/auth/oauth/pending.ts';
import type { Logger } from '../core/log.ts';
import { forNotification, LONG_MAX } from '../core/text/untrusted-text.ts';

export interface CallbackReceiver {
  deliver(callback: URL): CallbackOutcome;
}

export class UriCallbacks implements vscode.UriHandler {
  private receiver?: CallbackReceiver;

  constructor(private readonly log: Logger) {}

  setReceiver(receiver: CallbackReceiver): void {
    this.receiver = receiver;
  }

  async handleUri(uri: vscode.Uri): Promise<void> {
    switch (uri.path) {
      case '/callback': {
        const outcome = this.receiver?.deliver(new URL(uri.toString(true)));
        if (!outcome || outcome.status === 'rejected') {
          this.log.info(`ignored a sign-in callback: ${outcome ? outcome.message : 'no sign-in is waiting'}`);
        }
        return;
      }
      case '/focus':
        return;
      case '/signin': {
        const homeserver = new URLSearchParams(uri.query).get('homeserver') ?? '';
        const signIn = vscode.l10n.t('Sign In');
        const answer = await vscode.window.showInformationMessage(
          // Anyone can write such a link: its text is shown plain, without links.
          vscode.l10n.t({
            message: 'A link asks to sign in to the Matrix homeserver {0}. Continue?',
            args: [forNotification(homeserver, LONG_MAX) || '?'],
            comment: ['{0} is the homeserver the link names, as written in it'],
          }),
          { modal: true },
          signIn,
        );
        if (answer === signIn) await vscode.commands.executeCommand('matrixChannels.signIn', homeserver);
        return;
      }
      default:
        this.log.info(`ignored an unknown link path ${uri.path}`);
    }
  }
}
