/**
 * Code blocks in messages, highlighted in the editor's theme: the languages people paste most (a message names
 * its language in `class="language-…"`, as Markdown fences and Send Selection do). Unnamed code stays plain:
 * guessing a language costs time on every message and is often wrong. The highlighter escapes the code and adds
 * only `<span class="hljs-…">`; the colours come from the theme (room.css).
 */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import dockerfile from 'highlight.js/lib/languages/dockerfile';
import go from 'highlight.js/lib/languages/go';
import ini from 'highlight.js/lib/languages/ini';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = {
  bash,
  c,
  cpp,
  csharp,
  css,
  diff,
  dockerfile,
  go,
  ini,
  java,
  javascript,
  json,
  kotlin,
  markdown,
  php,
  python,
  ruby,
  rust,
  shell,
  sql,
  typescript,
  xml,
  yaml,
};
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
// VS Code's language IDs where they differ from the highlighter's names and aliases.
hljs.registerAliases(['typescriptreact'], { languageName: 'typescript' });
hljs.registerAliases(['javascriptreact'], { languageName: 'javascript' });
hljs.registerAliases(['shellscript'], { languageName: 'bash' });
hljs.registerAliases(['jsonc'], { languageName: 'json' });
hljs.registerAliases(['html'], { languageName: 'xml' });

/** Longer code stays plain: highlighting it would hold the page up. */
const MAX_HIGHLIGHTED = 20_000;

/** Highlights the code blocks inside `root` that name a language the highlighter knows. */
export function highlightCode(root: HTMLElement): void {
  for (const code of root.querySelectorAll<HTMLElement>('pre > code[class*="language-"]')) {
    const language = /(?:^|\s)language-([\w+#-]+)/.exec(code.className)?.[1];
    const text = code.textContent ?? '';
    if (!language || !hljs.getLanguage(language) || text.length > MAX_HIGHLIGHTED) continue;
    code.innerHTML = hljs.highlight(text, { language, ignoreIllegals: true }).value;
    code.classList.add('hljs');
  }
}
