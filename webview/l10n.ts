/**
 * The panel's words in the editor's language: the host puts its translations (English message → translation)
 * in the page, and every l10n.t of the webview, and of the shared rules it runs, looks them up there. Without
 * translations (English) the messages stay as written.
 */
import { bundleKey, formatMessage, setTranslator } from '../src/core/l10n.ts';

export function useTranslations(doc: Document): void {
  const bundle = readBundle(doc);
  setTranslator((message, args, comment) => formatMessage(bundle[bundleKey(message, comment)] ?? message, args));
}

function readBundle(doc: Document): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(doc.querySelector('meta[name="l10n-bundle"]')?.getAttribute('content') ?? '{}');
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  } catch {
    return {};
  }
}
