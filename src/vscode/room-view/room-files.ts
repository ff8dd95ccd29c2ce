/**
 * A room's files in the editor: opened from a private temporary folder (images in VS Code's image preview,
 * text as text), removed when the window closes; or saved where the person says (the sender's file name made
 * safe first).
 */
import { rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { safeFileName } from '../../core/text/file-name.ts';

export class RoomFiles implements vscode.Disposable {
  private readonly folders: string[] = [];

  async open(name: string, bytes: Uint8Array): Promise<void> {
    const folder = await mkdtemp(join(tmpdir(), 'matrix-channels-'));
    this.folders.push(folder);
    const file = join(folder, safeFileName(name));
    await writeFile(file, bytes, { mode: 0o600 });
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file));
  }

  async save(name: string, bytes: Uint8Array): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Save the File'),
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, safeFileName(name)) } : {}),
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(
      vscode.l10n.t({
        message: 'Saved {0}.',
        args: [vscode.workspace.asRelativePath(target)],
        comment: ['{0} is where the file was saved'],
      }),
    );
  }

  dispose(): void {
    for (const folder of this.folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  }
}
