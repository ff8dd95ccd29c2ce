/**
 * Text from the server at each kind of sink. The editor's parsers are modelled here as VS Code has them (the
 * link syntax of notification messages and input-box prompts, `$(icon)` in labels), so the tests check what
 * would be shown and what would be clickable, not only the escaped string.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BODY_MAX,
  displayName,
  escapeIcons,
  forIconLabel,
  forLogLine,
  forMarkdown,
  forNotification,
  forPlain,
  forPrompt,
  NAME_MAX,
  truncate,
} from '../../../src/core/text/untrusted-text.ts';

/** VS Code's notification link syntax: the one thing a notification message (or input-box prompt) parses. */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
/** VS Code's labels with icons: `$(name)` draws an icon, `\$(name)` shows "$(name)". */
const LABEL_ICON = /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g;

const links = (text: string) => [...text.matchAll(NOTIFICATION_LINK)].map((match) => match[2]);
function shownLabel(text: string): { text: string; icons: string[] } {
  const icons: string[] = [];
  const shown = text.replace(LABEL_ICON, (_, escaped: string | undefined, name: string) => {
    if (escaped) return `$(${name})`;
    icons.push(name);
    return '';
  });
  return { text: shown, icons };
}
const graphemeCount = (text: string) =>
  [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].length;

const FAMILY = '👩‍👩‍👧‍👦';
const HOSTILE: Record<string, string> = {
  command: '[x](command:workbench.action.quit)',
  file: '[x](file:///etc/passwd)',
  vscode: '[x](vscode://ms-vscode.remote-server/open)',
  https: '[Click here](https://evil.example/login)',
  upperCase: '[x](COMMAND:workbench.action.quit)',
  titled: '[x](command:foo?%5B%22arg%22%5D "title")',
  nested: '[[a](https://a.example)](command:x)',
  backslashed: '\\[x\\](command:workbench.action.quit)',
  angle: '<command:workbench.action.quit> <https://evil.example>',
  bare: 'see https://evil.example, file:///etc/passwd and command:workbench.action.quit',
  icons: '$(bug) $(sync~spin) \\$(x) $(not an icon)',
  html: '<img src=x onerror=alert(1)> <a href="command:x">y</a>',
  bidi: 'invoice\u202Egpj.exe',
  isolates: '\u2067admin\u2069 \u200Fx\u200E',
  zeroWidth: 'ad\u200Bmin\uFEFF\u2060\u00AD',
  newlines: 'line one\nline two\r\n\u2028three\tfour',
  long: 'z'.repeat(5_000),
};

describe('forPlain: what every sink starts from', () => {
  const cases: Array<[string, string, string]> = [
    ['removes a right-to-left override, so the name reads as it is', 'invoice\u202Egpj.exe', 'invoicegpj.exe'],
    ['removes isolates and direction marks', '\u2067admin\u2069 \u200Fx\u200E', 'admin x'],
    ['removes zero-width characters, BOM, word joiner, soft hyphen', 'ad\u200Bmin\uFEFF\u2060\u00AD', 'admin'],
    [
      'folds newlines, tabs and line separators into one line',
      'line one\nline two\r\n\u2028three\tfour',
      'line one line two three four',
    ],
    ['turns other control characters into spaces', 'a\u0000b\u0007c\u0085d', 'a b c d'],
    ['keeps emoji ZWJ sequences whole', `${FAMILY} 👩🏽‍💻 ❤️‍🔥`, `${FAMILY} 👩🏽‍💻 ❤️‍🔥`],
    ['removes a ZWJ between Latin letters', 'ad\u200Dmin', 'admin'],
    ['keeps ZWNJ where Persian spelling needs it', 'می\u200Cخواهم', 'می\u200Cخواهم'],
    [
      'keeps a subdivision flag, removes hidden tag text',
      '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} hid\u{E0041}\u{E0042}den',
      '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} hidden',
    ],
    ['caps piled-up combining marks at eight', `Z${'\u0336'.repeat(50)}algo`, `Z${'\u0336'.repeat(8)}algo`],
    ['leaves markup alone (nothing parses it here)', '[x](command:y) $(bug) <b>', '[x](command:y) $(bug) <b>'],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.equal(forPlain(input, 500), expected));

  it('shortens a 300-character name to 64 graphemes ending in "…", and a 5 000-character body to 200', () => {
    const name = forPlain('n'.repeat(300));
    assert.equal(name, `${'n'.repeat(NAME_MAX - 1)}…`);
    const body = forPlain('b'.repeat(5_000), BODY_MAX);
    assert.equal(body, `${'b'.repeat(BODY_MAX - 1)}…`);
    assert.equal(
      forPlain('exactly'.padEnd(NAME_MAX, '.')),
      'exactly'.padEnd(NAME_MAX, '.'),
      'no "…" at the cap itself',
    );
  });

  it('never splits an emoji ZWJ sequence or a letter with its combining mark at the cut', () => {
    assert.equal(truncate(`${'a'.repeat(62)}${FAMILY}tail`, 64), `${'a'.repeat(62)}${FAMILY}…`);
    assert.equal(truncate(`${'a'.repeat(63)}${FAMILY}x`, 64), `${'a'.repeat(63)}…`);
    assert.equal(truncate(`${'a'.repeat(62)}e\u0301xyz`, 64), `${'a'.repeat(62)}e\u0301…`);
    assert.equal(truncate(`${'a'.repeat(63)}e\u0301x`, 64), `${'a'.repeat(63)}…`);
    assert.equal(truncate(FAMILY.repeat(100), 5), `${FAMILY.repeat(4)}…`);
    assert.equal(graphemeCount(truncate('🇩🇪'.repeat(80), NAME_MAX)), NAME_MAX);
  });

  it('does not leave a space before the "…"', () => {
    assert.equal(truncate('abc def ghi', 5), 'abc…');
  });

  it('falls back to the ID when a name shows nothing', () => {
    assert.equal(displayName('\u200B\u202E \n', '!room:hs'), '!room:hs');
    assert.equal(displayName(undefined, '@bob:hs'), '@bob:hs');
    assert.equal(displayName('  Dev\u202E ', '!room:hs'), 'Dev');
  });
});

describe('forNotification: no link survives, whatever the scheme', () => {
  it('the model of the notification parser finds the links the raw text would give', () => {
    assert.deepEqual(links(HOSTILE['command']!), ['command:workbench.action.quit']);
    assert.deepEqual(links(HOSTILE['upperCase']!), ['COMMAND:workbench.action.quit']);
    assert.deepEqual(links(HOSTILE['titled']!), ['command:foo?%5B%22arg%22%5D']);
    // Backslashes are no escape there: the label just ends in one.
    assert.deepEqual(links(HOSTILE['backslashed']!), ['command:workbench.action.quit']);
  });

  const cases: Array<[string, string]> = [
    ['command', '[x] (command:workbench.action.quit)'],
    ['file', '[x] (file:///etc/passwd)'],
    ['vscode', '[x] (vscode://ms-vscode.remote-server/open)'],
    ['https', '[Click here] (https://evil.example/login)'],
    ['titled', '[x] (command:foo?%5B%22arg%22%5D "title")'],
    ['nested', '[[a] (https://a.example)] (command:x)'],
    ['backslashed', '\\[x\\] (command:workbench.action.quit)'],
    // Not parsed by notifications: shown as they are.
    ['angle', '<command:workbench.action.quit> <https://evil.example>'],
    ['bare', 'see https://evil.example, file:///etc/passwd and command:workbench.action.quit'],
    ['html', '<img src=x onerror=alert(1)> <a href="command:x">y</a>'],
    ['icons', '$(bug) $(sync~spin) \\$(x) $(not an icon)'],
  ];
  for (const [name, expected] of cases)
    it(`${name}: shows "${expected}"`, () => assert.equal(forNotification(HOSTILE[name]!, 500), expected));

  it('leaves no parseable link in any of the hostile texts, at any cap', () => {
    for (const [name, text] of Object.entries(HOSTILE))
      for (const max of [NAME_MAX, BODY_MAX, 10_000])
        assert.deepEqual(links(forNotification(text, max)), [], `${name} at ${max}`);
  });

  it('shortens: names to 64 graphemes by default', () => {
    assert.equal(forNotification(`[${'n'.repeat(300)}](command:x)`), `[${'n'.repeat(NAME_MAX - 2)}…`);
  });
});

describe('forIconLabel: the text shows as typed, and draws no icon', () => {
  it('escapes $(name) and $(name~modifier); leaves what is not icon syntax', () => {
    assert.equal(forIconLabel(HOSTILE['icons']!), '\\$(bug) \\$(sync~spin) \\\\$(x) $(not an icon)');
    assert.equal(escapeIcons('$(a)$(b-c)'), '\\$(a)\\$(b-c)');
  });

  it('the label renderer shows exactly the plain text and no icon, for every hostile text', () => {
    for (const [name, text] of Object.entries(HOSTILE)) {
      const shown = shownLabel(forIconLabel(text));
      assert.deepEqual(shown.icons, [], name);
      assert.equal(shown.text, forPlain(text), name);
    }
    assert.deepEqual(shownLabel(HOSTILE['icons']!).icons, ['bug', 'sync~spin'], 'the model draws them when raw');
  });

  it('a 300-character room name with an icon is cut to 64 graphemes before the escape', () => {
    assert.equal(forIconLabel(`$(bug)${'r'.repeat(300)}`), `\\$(bug)${'r'.repeat(NAME_MAX - 7)}…`);
  });
});

describe('forPrompt: an input-box prompt renders links and icons', () => {
  it('breaks links and escapes icons', () => {
    assert.equal(
      forPrompt('$(bug) [Open](command:workbench.action.quit)\nline two'),
      '\\$(bug) [Open] (command:workbench.action.quit) line two',
    );
    for (const [name, text] of Object.entries(HOSTILE)) {
      const prompt = forPrompt(text);
      assert.deepEqual(links(prompt), [], name);
      assert.deepEqual(shownLabel(prompt).icons, [], name);
    }
  });
});

describe('forMarkdown: tooltips show the text, not Markdown', () => {
  const cases: Array<[string, string, string]> = [
    [
      'escapes every ASCII punctuation character: no link, autolink, emphasis or HTML remains',
      '[x](command:y) <command:z#\\> *hi* https://evil.example <img src=x>',
      '\\[x\\]\\(command\\:y\\) \\<command\\:z\\#\\\\\\> \\*hi\\* https\\:\\/\\/evil\\.example \\<img src\\=x\\>',
    ],
    ['a user ID cannot become an e-mail autolink', '@bob:example.org', '\\@bob\\:example\\.org'],
    ['one line: joining lines is up to the caller', 'a\n\nb', 'a b'],
    ['letters, digits, spaces and non-ASCII stay as they are', 'Café 42 🎉 دوست', 'Café 42 🎉 دوست'],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.equal(forMarkdown(input), expected));
});

describe('forLogLine: one line that shows what arrived', () => {
  it('writes newlines and other controls as escapes, so a body cannot start a forged line', () => {
    assert.equal(
      forLogLine('hi\n2025-01-01 12:00:00.000 [info] account a: signed out\r\tx\u0000'),
      'hi\\n2025-01-01 12:00:00.000 [info] account a: signed out\\r\\tx\\u{0}',
    );
    assert.equal(forLogLine('a\u2028b\u0085c'), 'a\\u{2028}b\\u{85}c');
  });

  it('makes bidi controls and invisible characters visible, and keeps emoji whole', () => {
    assert.equal(forLogLine('invoice\u202Egpj.exe ad\u200Bmin'), 'invoice\\u{202E}gpj.exe ad\\u{200B}min');
    assert.equal(forLogLine(`${FAMILY} [x](command:y) $(bug)`), `${FAMILY} [x](command:y) $(bug)`);
  });

  it('does not shorten', () => {
    assert.equal(forLogLine('z'.repeat(5_000)).length, 5_000);
  });
});
