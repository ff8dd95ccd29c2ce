/**
 * The editor's selection as a code block to post in a room: its language, and where it comes from (file and
 * lines) as a caption. Send Selection posts it; the room view's Insert Selection puts it in the composer.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { codeBlock } from '../core/notify/notification-text.ts';

/** The Markdown text and its HTML twin, or undefined when the editor has no selection. */
export function selectionBlock(editor: vscode.TextEditor | undefined): { text: string; html: string } | undefined {
  const selection = editor?.selection;
  if (!editor || !selection || selection.isEmpty) return undefined;
  const lines =
    selection.start.line === selection.end.line
      ? vscode.l10n.t({
          message: 'line {0}',
          args: [selection.start.line + 1],
          comment: ['Where code sent to a room comes from, after the file name: {0} is a line number'],
        })
      : vscode.l10n.t({
          message: 'lines {0}–{1}',
          args: [selection.start.line + 1, selection.end.line + 1],
          comment: [
            'Where code sent to a room comes from, after the file name: {0} is the first line number, {1} the last',
          ],
        });
  return codeBlock(
    editor.document.getText(selection),
    editor.document.languageId,
    `${basename(editor.document.fileName)}, ${lines}:`,
  );
}

/**
 * The text editor the person used last. While a webview (a room view) has the focus there is no active text
 * editor, and the editor may be a tab behind the view: the last one is remembered (while its document is open),
 * else a visible editor with a selection stands in.
 */
export class LastTextEditor implements vscode.Disposable {
  private last = vscode.window.activeTextEditor;
  private readonly subscription = vscode.window.onDidChangeActiveTextEditor((editor) => {
    if (editor) this.last = editor;
  });

  get editor(): vscode.TextEditor | undefined {
    if (this.last && !this.last.document.isClosed) return this.last;
    return vscode.window.visibleTextEditors.find((editor) => !editor.selection.isEmpty);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
