/**
 * What a person types in the room view's composer is Markdown, as in Element: sent as typed (the body) and, when
 * it formats something, with its HTML twin (the formatted body). Raw HTML in the text is shown as typed, never
 * passed on as markup; the HTML is ours, made by markdown-it.
 */
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true });

/** The HTML of `text` when its Markdown formats anything; undefined for plain text (no formatted body then). */
export function markdownHtml(text: string): string | undefined {
  const html = markdown.render(text).trim();
  // What markdown-it makes of text with nothing to format (escaped as it escapes).
  const plain = `<p>${markdown.utils.escapeHtml(text.trim()).replace(/\n/g, '<br>\n')}</p>`;
  return html === plain ? undefined : html;
}
