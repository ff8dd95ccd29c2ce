/**
 * The words of a message notification. Pure, so the wording is tested without an editor: one line, the
 * sender and the room first, the text shortened, reply fallbacks and markup-looking whitespace folded.
 */
import type { MessageBatch } from './message-batcher.ts';

export const MAX_PREVIEW = 200;
export const ENCRYPTED_PREVIEW =
  'encrypted message (this extension cannot decrypt yet: open it in a Matrix client to read it)';

/** "Bob in #dev: text" for one message; "5 new messages in #dev — latest from Bob: text" for several. */
export function notificationText(batch: MessageBatch): string {
  const latest = batch.messages[batch.messages.length - 1]!;
  const text = latest.encrypted ? ENCRYPTED_PREVIEW : preview(latest.body);
  if (batch.messages.length === 1) {
    return batch.isDirect
      ? `${latest.senderName} (direct message): ${text}`
      : `${latest.senderName} in ${batch.roomName}: ${text}`;
  }
  const where = batch.isDirect ? `from ${latest.senderName}` : `in ${batch.roomName}`;
  return `${batch.messages.length} new messages ${where} — latest from ${latest.senderName}: ${text}`;
}

/** One line of at most MAX_PREVIEW characters, without the quoted reply fallback older clients prepend. */
export function preview(body: string, max = MAX_PREVIEW): string {
  const folded = stripReplyFallback(body).replace(/\s+/g, ' ').trim();
  if (folded.length <= max) return folded;
  return `${[...folded]
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

/** A reply's body may start with "> <@alice:x> quoted" lines and a blank line (the spec's fallback). */
export function stripReplyFallback(body: string): string {
  const lines = body.split('\n');
  let index = 0;
  while (index < lines.length && lines[index]!.startsWith('>')) index++;
  if (index === 0 || index >= lines.length || lines[index] !== '') return body;
  return lines.slice(index + 1).join('\n');
}

/** The matrix.to link of a room, or of one event in it. */
export function matrixToLink(roomId: string, eventId?: string): string {
  return `https://matrix.to/#/${encodeURIComponent(roomId)}${eventId ? `/${encodeURIComponent(eventId)}` : ''}`;
}

/**
 * A selection as a Markdown code block with its language, and the HTML twin clients render. The fence is
 * longer than any backtick run inside, so code containing ``` stays one block.
 */
export function codeBlock(code: string, language: string, caption?: string): { text: string; html: string } {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const lang = /^[\w+#.-]+$/.test(language) && language !== 'plaintext' ? language : '';
  const body = code.replace(/\r\n/g, '\n').replace(/\n+$/, '');
  const text = `${caption ? `${caption}\n` : ''}${fence}${lang}\n${body}\n${fence}`;
  const html = `${caption ? `<p>${escapeHtml(caption)}</p>` : ''}<pre><code${lang ? ` class="language-${lang}"` : ''}>${escapeHtml(body)}\n</code></pre>`;
  return { text, html };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
