/**
 * The channel panels as VS Code webview panels: one per channel (Edit on a channel whose panel is open
 * brings that panel forward), one for adding. Each is a ChannelPanelController wired to a WebviewPanel that
 * may load only dist/webview, keeps no page while hidden (the webview restores its state itself), and
 * disposes its controller — cancelling a running sign-in — when it closes; a panel closed on unsaved edits
 * offers them back ("Reopen").
 */
import * as vscode from 'vscode';
import { forNotification } from '../../core/text/untrusted-text.ts';
import type { HostToWebview } from '../../shared/webviewProtocol.ts';
import { showPage } from '../webview-page.ts';
import { ChannelPanelController, type PanelDeps, type PanelTarget } from './panel-controller.ts';
import { panelIcon } from '../panel-icon.ts';

const VIEW_TYPE = 'matrixChannels.channel';

interface OpenPanel {
  panel: vscode.WebviewPanel;
  controller: ChannelPanelController;
}

export class ChannelPanels implements vscode.Disposable {
  private readonly open = new Set<OpenPanel>();
  /** The extension is stopping: panels close without offering their edits back. */
  private closing = false;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly deps: PanelDeps,
  ) {}

  showAdd(): void {
    this.show({ mode: 'add' });
  }

  showEdit(accountId: string): void {
    this.show({ mode: 'edit', accountId });
  }

  dispose(): void {
    this.closing = true;
    for (const { panel } of [...this.open]) panel.dispose();
  }

  private async offerReopen(title: string, target: PanelTarget): Promise<void> {
    const reopen = vscode.l10n.t('Reopen');
    const picked = await vscode.window.showWarningMessage(
      vscode.l10n.t({
        message: 'Your changes in "{0}" were not saved.',
        args: [forNotification(title)],
        comment: ['{0} is the title of the channel panel that closed, such as "Matrix: Work"'],
      }),
      reopen,
    );
    if (picked === reopen) this.show(target);
  }

  private show(target: PanelTarget): void {
    const key = target.mode === 'add' ? 'add' : target.accountId;
    // The key moves from 'add' to the channel's id once a new channel is signed in, so look it up live.
    const existing = [...this.open].find(({ controller }) => controller.key === key);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const root = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      vscode.l10n.t('Matrix Channel'),
      vscode.ViewColumn.Active,
      {
        enableScripts: true,
        enableForms: false,
        // Hidden panels drop their page; the webview keeps its state with setState (never secrets).
        retainContextWhenHidden: false,
        localResourceRoots: [root],
      },
    );
    panel.iconPath = panelIcon(this.extensionUri);
    const { webview } = panel;
    showPage(webview, root, { script: 'main.js', style: 'main.css' });
    const controller = new ChannelPanelController(
      this.deps,
      {
        // A hidden panel has no page to receive this; it asks again (`ready`) when shown.
        post: (message: HostToWebview) => void webview.postMessage(message),
        setTitle: (title) => {
          panel.title = title;
        },
      },
      target,
    );
    const entry = { panel, controller };
    this.open.add(entry);
    const receiving = webview.onDidReceiveMessage((message: unknown) => {
      controller
        .receive(message)
        .catch((error: unknown) => this.deps.log.error('channel panel: handling a message failed', error));
    });
    panel.onDidDispose(() => {
      receiving.dispose();
      const unsaved = this.closing ? undefined : controller.unsaved;
      const title = controller.title();
      controller.dispose();
      this.open.delete(entry);
      // VS Code cannot ask before a panel closes; what was typed is offered back instead of lost.
      if (unsaved) void this.offerReopen(title, { ...unsaved.target, draft: unsaved.draft });
    });
  }
}
