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
export type Translate = (message: string, args: L10nArg[]) => string;

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

export const l10n = {
  t(message: string, ...args: L10nArg[]): string {
    const translate = (globalThis as WithTranslator)[TRANSLATOR];
    return translate ? translate(message, args) : formatMessage(message, args);
  },
};
