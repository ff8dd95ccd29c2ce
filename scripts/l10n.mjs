// The words of the extension's code, for translators: every `l10n.t('…')` message of src/ and webview/ into
// l10n/bundle.l10n.json, and a check that no shown string bypasses it.
//
// The bundle has the form @vscode/l10n-dev's `export` writes, which its `generate-xlf` turns into a file for
// translators: a message without a comment is keyed by itself ("Sign Out": "Sign Out"); a message with a
// comment is keyed by the message, "/" and the comment's lines joined, and its value holds both
// ("in {0} s/{0} is a number of seconds": { "message": "in {0} s", "comment": ["{0} is a number of seconds"] }).
// A translation (bundle.l10n.<language>.json, which VS Code reads for `vscode.l10n.t` and the host passes on
// to the channel panel's page) has the same keys, each with the translated words as a string: VS Code, and the
// page (src/core/l10n.ts's bundleKey), look a message with a comment up by that key.
//
//   node scripts/l10n.mjs           writes l10n/bundle.l10n.json
//   node scripts/l10n.mjs --check   exits 1 when the bundle is out of date or a shown string is written as a
//                                   literal where VS Code shows it (a notification, a quick input, a progress
//                                   title, a status bar message, a tree item's label, description or tooltip)
//                                   or as a webview panel's title (createWebviewPanel), or where the channel
//                                   panel's view shows it (a label, text, placeholder, help, aria-label or title
//                                   in webview/view), or when the webview calls l10n.t at import (before the
//                                   page's translations are set)
//
// Run by `npm run check` (scripts/test.mjs's check stage) in --check mode.

import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = join(root, 'l10n', 'bundle.l10n.json');

/** Calls whose first argument VS Code shows as it is. */
const SHOWN_CALLS = new Set([
  'showInformationMessage',
  'showWarningMessage',
  'showErrorMessage',
  'setStatusBarMessage',
]);
/** Option fields VS Code shows (quick inputs, progress, tree items, status bar items). */
const SHOWN_FIELDS = new Set(['title', 'prompt', 'placeHolder', 'placeholder', 'tooltip', 'description', 'detail']);
/**
 * Fields the channel panel's view (webview/view) shows, or says to a screen reader: these names, and names that
 * end in one of them (`addAriaLabel`, `storedText`).
 */
const VIEW_FIELDS =
  /^(label|text|placeholder|help|ariaLabel|title|aria-label)$|[a-z](Label|Text|Placeholder|Help|Title)$/;

function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** `l10n.t('message', …)` or `vscode.l10n.t(…)`. */
function isL10nCall(node) {
  if (!ts.isCallExpression(node)) return false;
  const callee = node.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    callee.name.text === 't' &&
    ((ts.isIdentifier(callee.expression) && callee.expression.text === 'l10n') ||
      (ts.isPropertyAccessExpression(callee.expression) && callee.expression.name.text === 'l10n'))
  );
}

const literalText = (node) =>
  node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;

/**
 * [key, entry] of an l10n.t call's first argument: the message keyed by itself, or, for `{ message, comment }`,
 * keyed by the message followed by "/" and the comment's lines joined (how VS Code looks it up), with the message
 * and the comment as its entry. Undefined: not a literal.
 */
function bundleEntry(argument) {
  const plain = literalText(argument);
  if (plain !== undefined) return [plain, plain];
  if (!argument || !ts.isObjectLiteralExpression(argument)) return undefined;
  const field = (name) =>
    argument.properties.find((p) => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name)
      ?.initializer;
  const message = literalText(field('message'));
  if (message === undefined) return undefined;
  const comment = field('comment');
  const lines =
    comment && ts.isArrayLiteralExpression(comment) ? comment.elements.map(literalText) : [literalText(comment)];
  if (lines.some((line) => line === undefined)) return comment ? undefined : [message, message];
  return lines.length ? [`${message}/${lines.join('')}`, { message, comment: lines }] : [message, message];
}

/** A property's name written as an identifier or a string (`label`, `'aria-label'`). */
const propertyName = (node) => (ts.isIdentifier(node) || ts.isStringLiteral(node) ? node.text : undefined);

/**
 * Whether `node` runs when its module is imported: not inside a function, nor in a class field's initializer
 * (which runs when an instance is made), only a static one's.
 */
function runsAtImport(node) {
  for (let at = node.parent; at && !ts.isSourceFile(at); at = at.parent) {
    if (ts.isFunctionLike(at)) return false;
    if (ts.isPropertyDeclaration(at) && !(ts.getCombinedModifierFlags(at) & ts.ModifierFlags.Static)) return false;
  }
  return true;
}

/** A literal with words in it (a template counts by its text parts). */
function isWordyLiteral(node) {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return /\p{L}{2}/u.test(node.text);
  if (ts.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].some((t) => /\p{L}{2}/u.test(t));
  return false;
}

/**
 * The bundle (JSON text) of every l10n.t message under `dir`/src and `dir`/webview, and where a shown string
 * bypasses l10n.t in the glue (`dir`/src/vscode and the composition root) or in the panel's view
 * (`dir`/webview/view), or the webview translates at import.
 */
export function scan(dir = root) {
  const messages = new Map();
  const bypasses = [];
  for (const file of [...sourceFiles(join(dir, 'src')), ...sourceFiles(join(dir, 'webview'))]) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const inGlue = relative(dir, file).startsWith(join('src', 'vscode')) || file.endsWith('extension.ts');
    const inWebview = relative(dir, file).startsWith(`webview${sep}`);
    const inView = dirname(relative(dir, file)) === join('webview', 'view');
    const where = (node) => `${relative(dir, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node) => {
      if (isL10nCall(node)) {
        const entry = bundleEntry(node.arguments[0]);
        if (entry) messages.set(entry[0], entry[1]);
        else bypasses.push(`${where(node)}: l10n.t needs a literal message (translators look it up by its words)`);
        if (entry && /\{\d+\}/.test(entry[0]) && entry[0] === entry[1])
          bypasses.push(`${where(node)}: a message with a placeholder needs a comment saying what each {n} is`);
        if (inWebview && runsAtImport(node))
          bypasses.push(
            `${where(node)}: l10n.t runs at import, before the page's translations are set; call it when drawing`,
          );
      } else if (inGlue && ts.isCallExpression(node)) {
        const callee = node.expression;
        const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        if (name && SHOWN_CALLS.has(name) && node.arguments[0] && isWordyLiteral(node.arguments[0]))
          bypasses.push(`${where(node)}: ${name} shows a literal; use l10n.t`);
        if (name === 'createWebviewPanel' && node.arguments[1] && isWordyLiteral(node.arguments[1]))
          bypasses.push(`${where(node)}: a webview panel's title is a literal; use l10n.t`);
      } else if (inGlue && ts.isNewExpression(node)) {
        const callee = node.expression;
        const name = ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : ts.isIdentifier(callee)
            ? callee.text
            : '';
        if (name === 'TreeItem' && node.arguments?.[0] && isWordyLiteral(node.arguments[0]))
          bypasses.push(`${where(node)}: a tree item's label is a literal; use l10n.t`);
      } else if (inGlue && ts.isPropertyAssignment(node) && ts.isIdentifier(node.name)) {
        if (SHOWN_FIELDS.has(node.name.text) && isWordyLiteral(node.initializer))
          bypasses.push(`${where(node)}: "${node.name.text}" is a literal; use l10n.t`);
      } else if (inView && ts.isPropertyAssignment(node) && VIEW_FIELDS.test(propertyName(node.name) ?? '')) {
        if (isWordyLiteral(node.initializer))
          bypasses.push(`${where(node)}: "${propertyName(node.name)}" is a literal; use l10n.t`);
      } else if (
        inGlue &&
        ts.isBinaryExpression(node) &&
        node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(node.left) &&
        SHOWN_FIELDS.has(node.left.name.text) &&
        isWordyLiteral(node.right)
      ) {
        bypasses.push(`${where(node)}: ".${node.left.name.text}" is set to a literal; use l10n.t`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  const bundle = Object.fromEntries([...messages.entries()].sort(([a], [b]) => a.localeCompare(b)));
  return { bundle: `${JSON.stringify(bundle, null, 2)}\n`, bypasses };
}

function main() {
  const { bundle, bypasses } = scan();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(BUNDLE, 'utf8');
    } catch {
      // missing: out of date
    }
    const problems = [...bypasses];
    if (current !== bundle) problems.push('l10n/bundle.l10n.json is out of date: run node scripts/l10n.mjs');
    for (const problem of problems) console.error(problem);
    process.exit(problems.length ? 1 : 0);
  }
  mkdirSync(dirname(BUNDLE), { recursive: true });
  writeFileSync(BUNDLE, bundle);
  console.log(`${relative(root, BUNDLE)}: ${Object.keys(JSON.parse(bundle)).length} messages`);
  for (const problem of bypasses) console.error(problem);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
