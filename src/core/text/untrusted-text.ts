/**
 * Text from the server (room and display names, message bodies, user IDs, server error descriptions) is data,
 * never markup or commands. Each kind of place the editor shows text parses something different, so each has
 * ONE function here, applied where the text is handed to the editor:
 *   forPlain        tree labels, string tooltips, input-box titles and placeholders: nothing parsed
 *   forNotification showInformationMessage & co.: `[label](https:|command:|file:…)` becomes a clickable link
 *   forIconLabel    quick-pick label/description/detail, status bar text: `$(name)` draws an icon
 *   forPrompt       input-box prompt and validation message: links and icons both
 *   forMarkdown     MarkdownString tooltips, with appendMarkdown: links, autolinks, emphasis, HTML
 *   forLogLine      one log line: a newline in the text would start a line the text chose
 * All of them first make the text plain (forPlain): no bidi controls or invisible characters that disguise what
 * is shown, one line, shortened by grapheme (never inside an emoji or an accented letter).
 */

/** Room names, display names, user IDs. */
export const NAME_MAX = 64;
/** A message body in a notification. */
export const BODY_MAX = 200;
/** Where there is room for the whole of a long name or reason (tooltips, error messages). */
export const LONG_MAX = 400;
/** Combining marks kept on one letter: enough for any script, too few to pile ("Zalgo") over nearby lines. */
const MAX_MARKS = 8;

/**
 * Bidi overrides, embeddings, isolates and marks (they reorder what is shown), and characters that show nothing:
 * zero-width space, word joiner and invisible operators, BOM, soft hyphen, Mongolian vowel separator, interlinear
 * annotation and musical formatting controls.
 */
const INVISIBLE_CLASS =
  '\\p{Bidi_Control}\\u00AD\\u180E\\u200B\\u2060-\\u2064\\uFEFF\\uFFF9-\\uFFFB\\u{1D173}-\\u{1D17A}';
const INVISIBLE = new RegExp(`[${INVISIBLE_CLASS}]`, 'gu');
/** Zero-width (non-)joiners: kept where they join (see joins), else invisible too. */
const JOINERS = /[\u200C\u200D]/g;
/** Tag characters are invisible except inside a subdivision flag (🏴 tags… cancel-tag), which they spell. */
const TAGS = /(\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F})|[\u{E0000}-\u{E007F}]/gu;
const EMOJI_BEFORE_JOINER = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F]$/u;
const EMOJI_AFTER_JOINER = /^\p{Extended_Pictographic}/u;
/** Letters of scripts whose spelling needs ZWJ/ZWNJ (Arabic, Persian, the Indic scripts, …); not Latin look-alikes. */
const JOINING_LETTER = /^(?![\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Common}])[\p{L}\p{M}]/u;
const MARK_RUN = new RegExp(`(\\p{M}{${MAX_MARKS}})\\p{M}+`, 'gu');
/** What a log line writes as an escape: controls, line separators, tags and the invisible characters. */
const LOG_ESCAPED = new RegExp(`[\\p{Cc}\\u2028\\u2029\\u{E0000}-\\u{E007F}${INVISIBLE_CLASS}]`, 'gu');
const LOG_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Made on first use: most lines (the log's) never need one. */
let graphemes: Intl.Segmenter | undefined;

/** Plain, visible, one-line text of at most `max` graphemes; nothing in it is parsed anywhere. */
export function forPlain(text: string, max = NAME_MAX): string {
  return truncate(
    makeVisible(text)
      .replace(/\p{Cc}/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
    max,
  );
}

/** `name` made plain, or `fallback` (a room or user ID) when nothing visible is left of it. */
export function displayName(name: string | undefined, fallback: string, max = NAME_MAX): string {
  return forPlain(name ?? '', max) || forPlain(fallback, max);
}

/**
 * For notification messages. VS Code shows them as text, except `[label](target)` where the target starts
 * with http://, https://, command: or file: (any case), which becomes a link that opens or runs on click.
 * Every such link contains "](", so a space between the two leaves none; bare URLs and <…> are not linked.
 * Backslashes would not help: the notification renderer does not read them as escapes.
 */
export function forNotification(text: string, max = NAME_MAX): string {
  return breakLinks(forPlain(text, max));
}

/** For labels that draw `$(name)` icons: quick picks and the status bar. */
export function forIconLabel(text: string, max = NAME_MAX): string {
  return escapeIcons(forPlain(text, max));
}

/** For an input box's prompt or validation message, which render both links and icons. */
export function forPrompt(text: string, max = BODY_MAX): string {
  return breakLinks(escapeIcons(forPlain(text, max)));
}

/**
 * For Markdown (tooltips): every ASCII punctuation character backslash-escaped, which CommonMark allows for all
 * of them. That leaves no link, emphasis or HTML, and also no autolink: MarkdownString.appendText leaves `<` and
 * `:` as they are, and `<command:x#\>` is still an autolink (backslashes are literal inside one), as are bare
 * `https://…` and `www.…` (GFM). Each call gives one line; join lines with "\n\n".
 */
export function forMarkdown(text: string, max = LONG_MAX): string {
  return forPlain(text, max).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/**
 * For one log line: control, line-separating and invisible characters are written as \n, \u{202E}, … so the
 * line stays one line and shows exactly what arrived (joiners stay: they are part of emoji). Not shortened: the
 * log is for diagnosis.
 */
export function forLogLine(text: string): string {
  return text.replace(
    LOG_ESCAPED,
    (char) => LOG_ESCAPES[char] ?? `\\u{${char.codePointAt(0)!.toString(16).toUpperCase()}}`,
  );
}

/**
 * `$(name)` and `$(name~modifier)` as VS Code's label renderer reads them, escaped to `\$(name)` (shown as
 * `$(name)`). An escape the text already had gets its own backslash, so `\$(x)` is shown as typed.
 */
export function escapeIcons(text: string): string {
  return text.replace(/\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/g, '\\$&');
}

/** See forNotification: no "](" is left, so no link can be parsed, whatever the scheme. */
export function breakLinks(text: string): string {
  return text.replace(/\]\(/g, '] (');
}

/** At most `max` graphemes, the last of them "…" when shortened. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text; // a grapheme is at least one UTF-16 unit
  const kept: string[] = [];
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length === max) {
      const head = kept.slice(0, max - 1).join('');
      return `${head.trimEnd()}…`;
    }
    kept.push(segment);
  }
  return text;
}

function makeVisible(text: string): string {
  return text
    .replace(TAGS, (_, flag: string | undefined) => flag ?? '')
    .replace(INVISIBLE, '')
    .replace(JOINERS, (joiner, offset: number, whole: string) =>
      joins(joiner, whole.slice(Math.max(0, offset - 2), offset), whole.slice(offset + 1, offset + 3)) ? joiner : '',
    )
    .replace(MARK_RUN, '$1');
}

/** ZWJ inside an emoji sequence (👩‍💻), ZWJ and ZWNJ between letters of scripts that spell with them. */
function joins(joiner: string, before: string, after: string): boolean {
  if (joiner === '\u200D' && EMOJI_BEFORE_JOINER.test(before) && EMOJI_AFTER_JOINER.test(after)) return true;
  const previous = Array.from(before).pop() ?? ''; // `before` is two UTF-16 units: its last code point
  return JOINING_LETTER.test(previous) && JOINING_LETTER.test(after);
}
