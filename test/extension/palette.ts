/** The command palette as a person reads it. */
import * as vscode from 'vscode';
import { answerQuickInput } from './harness.ts';

/** The Matrix commands the palette lists for "Matrix: ", by title. */
export async function paletteCommands(): Promise<string[]> {
  void vscode.commands.executeCommand('workbench.action.showCommands');
  const seen = await answerQuickInput({ value: '>Matrix: ', itemsAfterTyping: true, press: 'Escape' });
  return (seen.items ?? []).map((item) => item.split(' — ')[0]!).filter((item) => item.startsWith('Matrix: '));
}
