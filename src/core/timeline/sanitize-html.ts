/**
 * A `formatted_body` is HTML written by whoever sent the message, and the webview inserts it with innerHTML.
 * So nothing is passed through: the output is rebuilt from the Matrix spec's allow-list (as Element Web applies
 * it) and serialised here, well-formed and fully escaped, so the browser parses exactly what was checked.
 * The tree is built on htmlparser2's Tokenizer rather than its Parser, whose open-element stack (unshift/indexOf)
 * is quadratic on deep or hostile nesting; every element here is pushed and popped once.
 */
import { Tokenizer } from 'htmlparser2';

export interface SanitizeOptions {
  /** Longest output, in characters; longer input is cut at a tag boundary and closed properly (default 65_536). */
  maxLength?: number;
  /** Deepest element nesting kept; deeper elements are unwrapped to their text (default 50). */
  maxDepth?: number;
}

export interface SanitizedHtml {
  html: string;
  truncated: boolean;
}

const DEFAULT_MAX_LENGTH = 65_536;
const DEFAULT_MAX_DEPTH = 50;

const words = (list: string): ReadonlySet<string> => new Set(list.split(/\s+/));

const ALLOWED = words(`font del s h1 h2 h3 h4 h5 h6 blockquote p a ul ol sup sub li b i u strong em strike code hr br
  div table thead tbody tr th td caption pre span img details summary`);
/** Code, foreign markup and form widgets whose text means nothing read as prose; mx-reply is a quote of another event. */
const DROP_CONTENT = words(
  'script style iframe object embed noscript template svg math head title textarea select mx-reply',
);
/** The browser gives these no children, so they never go on the stack (an unclosed one must not swallow the rest). */
const VOID = words(
  'area base basefont br col command embed frame hr image img input keygen link meta param source track wbr',
);
/** The browser closes these implicitly; doing it here keeps `<li>a<li>b` from coming out nested. */
const IMPLIED_CLOSE = new Map<string, ReadonlySet<string>>([
  ...'p div ul ol table pre blockquote hr details h1 h2 h3 h4 h5 h6'
    .split(' ')
    .map((tag): [string, ReadonlySet<string>] => [tag, new Set(['p'])]),
  ['li', new Set(['li', 'p'])],
  ['td', new Set(['td', 'th'])],
  ['th', new Set(['td', 'th'])],
  ['tr', new Set(['tr', 'td', 'th'])],
  ['thead', new Set(['thead', 'tbody', 'tr', 'td', 'th'])],
  ['tbody', new Set(['thead', 'tbody', 'tr', 'td', 'th'])],
]);

// Checked after the browser's own URL clean-up (controls dropped, ends trimmed), so `java\tscript:` can't slip by.
const SAFE_HREF = /^(?:https?|mailto|matrix):/i;
const MXC = /^mxc:\/\/[A-Za-z0-9.:-]+\/[A-Za-z0-9_-]+$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;
const DIGITS = /^[0-9]+$/;
const LANGUAGE = /^language-[a-z0-9+#-]+$/;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\0': '' };
const escapeText = (s: string): string => s.replace(/[&<>\0]/g, (c) => ESCAPES[c] ?? '');
const escapeAttr = (s: string): string => s.replace(/[&<>"\0]/g, (c) => ESCAPES[c] ?? '');

function safeHref(raw: string | undefined): string | undefined {
  // eslint-disable-next-line no-control-regex -- browsers ignore these inside a URL, so the check must too
  const url = raw?.replace(/[\u0000-\u001F\u007F-\u009F]/g, '').trim();
  return url !== undefined && SAFE_HREF.test(url) ? url : undefined;
}

const valid = (value: string | undefined, pattern: RegExp): string | undefined =>
  value !== undefined && pattern.test(value) ? value : undefined;

/** The attributes kept on an allowed tag, serialised; undefined when the element itself must go (img without mxc). */
function attributes(tag: string, attrs: ReadonlyMap<string, string>): string | undefined {
  let out = '';
  const add = (name: string, value: string | undefined): void => {
    if (value !== undefined) out += ` ${name}="${escapeAttr(value)}"`;
  };
  const digits = (name: string): void => add(name, valid(attrs.get(name), DIGITS));
  switch (tag) {
    case 'a':
      add('href', safeHref(attrs.get('href')));
      add('name', attrs.get('name'));
      // Forced: no window.opener for the target, no Referer leaking the webview's origin.
      return `${out} rel="noreferrer noopener"`;
    case 'font':
    case 'span':
      add(
        'data-mx-color',
        valid(attrs.get('data-mx-color'), COLOR) ?? (tag === 'font' ? valid(attrs.get('color'), COLOR) : undefined),
      );
      add('data-mx-bg-color', valid(attrs.get('data-mx-bg-color'), COLOR));
      add('data-mx-spoiler', attrs.get('data-mx-spoiler'));
      return out;
    case 'code':
      add(
        'class',
        attrs
          .get('class')
          ?.split(/\s+/)
          .find((c) => LANGUAGE.test(c)),
      );
      return out;
    case 'ol':
      digits('start');
      return out;
    case 'td':
    case 'th':
      digits('colspan');
      digits('rowspan');
      return out;
    case 'img':
      // Only media the client fetches itself: an http(s) src would let the sender see who read the message.
      if (valid(attrs.get('src'), MXC) === undefined) return undefined;
      add('src', attrs.get('src'));
      digits('width');
      digits('height');
      add('alt', attrs.get('alt'));
      add('title', attrs.get('title'));
      return out;
    default:
      return out;
  }
}

/** Cuts escaped text to `room` characters without splitting an entity or a surrogate pair. */
function cut(escaped: string, room: number): string {
  let end = Math.max(0, room);
  const amp = escaped.lastIndexOf('&', end - 1);
  if (amp >= 0 && escaped.indexOf(';', amp) >= end) end = amp;
  const last = escaped.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return escaped.slice(0, end);
}

const limit = (value: number | undefined, fallback: number): number =>
  value !== undefined && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;

export function sanitizeMatrixHtml(input: string, options: SanitizeOptions = {}): SanitizedHtml {
  const maxLength = limit(options.maxLength, DEFAULT_MAX_LENGTH);
  const maxDepth = limit(options.maxDepth, DEFAULT_MAX_DEPTH);
  const source = typeof input === 'string' ? input : '';

  const stack: Array<{ name: string; kept: boolean }> = [];
  const openCount = new Map<string, number>(); // makes "is a </x> open?" O(1), where a scan would be quadratic
  let html = '';
  let closing = 0; // length of the closing tags still owed, reserved so truncation can always close
  let kept = 0;
  let dropping = 0;
  let truncated = false;
  let tag = '';
  let attrs = new Map<string, string>();
  let attrName = '';
  let attrValue = '';

  const stop = (): void => {
    truncated = true;
    tokenizer.pause();
  };

  const pop = (): void => {
    const frame = stack.pop();
    if (!frame) return;
    openCount.set(frame.name, (openCount.get(frame.name) ?? 1) - 1);
    if (DROP_CONTENT.has(frame.name)) dropping--;
    if (frame.kept) {
      html += `</${frame.name}>`;
      closing -= frame.name.length + 3;
      kept--;
    }
  };

  const open = (name: string, selfClosing: boolean): void => {
    if (truncated) return;
    const implied = IMPLIED_CLOSE.get(name);
    while (implied && stack.length > 0 && implied.has(stack[stack.length - 1]!.name)) pop();
    const isVoid = VOID.has(name);
    const attrText = dropping === 0 && kept < maxDepth && ALLOWED.has(name) ? attributes(name, attrs) : undefined;
    if (attrText !== undefined) {
      const tagText = `<${name}${attrText}>`;
      const owed = isVoid ? 0 : name.length + 3;
      if (html.length + tagText.length + owed + closing > maxLength) return stop();
      html += tagText;
      closing += owed;
    }
    if (isVoid) return;
    stack.push({ name, kept: attrText !== undefined });
    openCount.set(name, (openCount.get(name) ?? 0) + 1);
    if (attrText !== undefined) kept++;
    if (DROP_CONTENT.has(name)) dropping++;
    // `/>` only closes in foreign content (svg, math), and there nothing is output anyway.
    if (selfClosing && dropping > 0) pop();
  };

  const text = (value: string): void => {
    if (truncated || dropping > 0) return;
    const escaped = escapeText(value);
    if (html.length + escaped.length + closing <= maxLength) {
      html += escaped;
      return;
    }
    html += cut(escaped, maxLength - html.length - closing);
    stop();
  };

  const tokenizer = new Tokenizer(
    { xmlMode: false, decodeEntities: true },
    {
      ontext: (start, end) => text(source.slice(start, end)),
      ontextentity: (codePoint) => text(String.fromCodePoint(codePoint)),
      onopentagname: (start, end) => {
        tag = source.slice(start, end).toLowerCase();
        attrs = new Map();
      },
      onattribname: (start, end) => {
        attrName = source.slice(start, end).toLowerCase();
        attrValue = '';
      },
      onattribdata: (start, end) => {
        attrValue += source.slice(start, end);
      },
      onattribentity: (codePoint) => {
        attrValue += String.fromCodePoint(codePoint);
      },
      onattribend: () => {
        if (!attrs.has(attrName)) attrs.set(attrName, attrValue); // the first of duplicates wins, as in browsers
      },
      onopentagend: () => open(tag, false),
      onselfclosingtag: () => open(tag, true),
      onclosetag: (start, end) => {
        if (truncated) return;
        const name = source.slice(start, end).toLowerCase();
        if (name === 'br') {
          attrs = new Map();
          return open('br', false); // browsers read a stray </br> as <br>
        }
        if (!openCount.get(name)) return;
        while (stack.length > 0 && stack[stack.length - 1]!.name !== name) pop();
        pop();
      },
      oncdata: () => {},
      oncomment: () => {},
      ondeclaration: () => {},
      onprocessinginstruction: () => {},
      onend: () => {},
    },
  );
  tokenizer.write(source);
  if (!truncated) tokenizer.end();
  while (stack.length > 0) pop();
  return { html, truncated };
}
