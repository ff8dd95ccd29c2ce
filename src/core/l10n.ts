/**
 * The words the core shows to a person (error reasons, next steps, notification texts) go through l10n.t, which
 * the host points at its translator (VS Code's `l10n.t` in the extension); in plain Node (tests, benchmarks) they
 * stay as written. Messages use `{0}`, `{1}` for their arguments, and scripts/l10n.mjs collects them for
 * translators.
 *
 * The translator lives on globalThis under a registered symbol: the engine bundle holds a second copy of this
 * module, and must use the translator the extension set.
 */
export type L10nArg = string | number | boolean;
/** `comment`: a note for translators (what a placeholder stands for, where the words show). */
export type Translate = (message: string, args: L10nArg[], comment?: string[]) => string;

/** A message with a note for translators, as VS Code's l10n.t takes it. */
export interface L10nMessage {
  message: string;
  args?: L10nArg[];
  comment: string[];
}

const TRANSLATOR = Symbol.for('matrix-channels.translate');

type WithTranslator = typeof globalThis & { [TRANSLATOR]?: Translate };

/** `{0}`, `{1}`… replaced by the arguments; a placeholder without one stays as it is. */
export function formatMessage(message: string, args: readonly L10nArg[]): string {
  return message.replace(/\{(\d+)\}/g, (whole, index: string) =>
    Number(index) < args.length ? String(args[Number(index)]) : whole,
  );
}

/** Sets (or, with undefined, removes) the translator every copy of the core uses. */
export function setTranslator(translate: Translate | undefined): void {
  (globalThis as WithTranslator)[TRANSLATOR] = translate;
}

/** The key a translation is stored under: the message, or the message and its comment (as VS Code keys it). */
export function bundleKey(message: string, comment?: readonly string[]): string {
  return comment?.length ? `${message}/${comment.join('')}` : message;
}

export const l10n = {
  t(message: string | L10nMessage, ...rest: L10nArg[]): string {
    const { text, args, comment } =
      typeof message === 'string'
        ? { text: message, args: rest, comment: undefined }
        : { text: message.message, args: message.args ?? [], comment: message.comment };
    const translate = (globalThis as WithTranslator)[TRANSLATOR];
    return translate ? translate(text, args, comment) : formatMessage(text, args);
  },
};
