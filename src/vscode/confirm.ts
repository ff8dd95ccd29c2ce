/** Asks before an action the person cannot undo from here. */
import * as vscode from 'vscode';

/**
 * A modal with `action` and Cancel; where modals are refused (the browser-driven extension tests), the same
 * question as a notification. True only when `action` was picked.
 */
export async function confirm(question: string, action: string): Promise<boolean> {
  const answer = await Promise.resolve(vscode.window.showWarningMessage(question, { modal: true }, action)).catch(() =>
    vscode.window.showWarningMessage(question, action),
  );
  return answer === action;
}

/** Scripts and tests that already asked pass `{ confirmed: true }` after the command's target. */
export function isConfirmed(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { confirmed?: unknown }).confirmed === true;
}
