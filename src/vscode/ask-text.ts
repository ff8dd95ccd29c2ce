/**
 * An input box like `window.showInputBox`, that can open with a message already shown: the reason the last
 * answer was refused (a lookup that failed, a password the server did not accept), next to the text kept.
 * `showInputBox` validates only what is typed, so it cannot say why it came back.
 */
import * as vscode from 'vscode';

export interface AskTextOptions {
  title: string;
  prompt?: string;
  placeHolder?: string;
  value?: string;
  password?: boolean;
  /** Shown when the box opens, until the text changes. */
  problem?: vscode.InputBoxValidationMessage;
  /** Checks each change; an Error-severity message keeps Enter from taking the text. */
  validate?: (text: string) => string | vscode.InputBoxValidationMessage | undefined;
  /**
   * Runs on Enter while the box stays open, busy: a message it answers keeps the box open on the text, to correct
   * (no flicker, no second dialog); undefined takes the text. An error it throws closes the box and is thrown.
   */
  check?: (text: string) => Promise<vscode.InputBoxValidationMessage | undefined>;
}

/** Resolves with the text entered, or undefined when the person closes the box. */
export function askText(options: AskTextOptions): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const box = vscode.window.createInputBox();
    box.title = options.title;
    if (options.prompt) box.prompt = options.prompt;
    if (options.placeHolder) box.placeholder = options.placeHolder;
    if (options.value) box.value = options.value;
    box.password = options.password ?? false;
    box.ignoreFocusOut = true;
    box.validationMessage = options.problem;
    let answer: string | undefined;
    let failure: { error: unknown } | undefined;
    const subscriptions = [
      box.onDidChangeValue((text) => {
        box.validationMessage = options.validate?.(text);
      }),
      box.onDidAccept(() => {
        // Checked again on Enter: an untouched box (still empty, say) was never validated.
        const problem = options.validate?.(box.value);
        if (typeof problem === 'string' || problem?.severity === vscode.InputBoxValidationSeverity.Error) {
          box.validationMessage = problem;
          return;
        }
        if (!options.check) {
          answer = box.value;
          box.hide();
          return;
        }
        const text = box.value;
        box.busy = true;
        box.enabled = false;
        options.check(text).then(
          (refused) => {
            box.busy = false;
            box.enabled = true;
            if (refused) box.validationMessage = refused;
            else {
              answer = text;
              box.hide();
            }
          },
          (error: unknown) => {
            failure = { error };
            box.hide();
          },
        );
      }),
      box.onDidHide(() => {
        for (const subscription of subscriptions) subscription.dispose();
        box.dispose();
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the check's own error, unchanged
        if (failure) reject(failure.error);
        else resolve(answer);
      }),
    ];
    box.show();
  });
}
