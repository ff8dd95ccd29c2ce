/**
 * The words of a message notification. Pure, so the wording is tested without an editor: one line, the
 * sender and the room first, the text shortened, reply fallbacks folded. Names and bodies come from other
 * people: they go through forNotification, so none of them can become a link (or a command) when shown.
 */
import { l10n } from '../l10n.ts';
import { BODY_MAX, displayName, forNotification, forPlain } from '../text/untrusted-text.ts';
import type { MessageBatch } from './message-batcher.ts';

export const MAX_PREVIEW = BODY_MAX;
/** What a notification shows for an encrypted message that says nothing of itself (made per notification). */
export function encryptedPreview(): string {
  return l10n.t('encrypted message');
}

/**
 * "Bob in #dev: text" for one message; "5 new messages in #dev — latest from Bob: text" for several. An emote
 * reads "* Bob waves", a notice (what bots send) names its sender "Bob (bot)".
 */
/**
 * `account`: the account's name, given when more than one account is signed in (two accounts can share a room
 * name, and the same room).
 */
export function notificationText(batch: MessageBatch, account?: string): string {
  const text = batchText(batch);
  return account ? l10n.t('{0} ({1})', text, forNotification(account)) : text;
}

function batchText(batch: MessageBatch): string {
  const latest = batch.messages[batch.messages.length - 1]!;
  const name = forNotification(displayName(latest.senderName, latest.sender));
  const room = forNotification(displayName(batch.roomName, batch.roomId));
  // An unreadable message's body says why it is unreadable (the channel's words, not the sender's).
  const body = forNotification(
    latest.encrypted ? latest.body || encryptedPreview() : preview(latest.body),
    MAX_PREVIEW,
  );
  const emote = latest.kind === 'emote' && !latest.encrypted;
  const text = emote ? l10n.t('* {0} {1}', name, body) : body;
  const bot = latest.kind === 'notice';
  const sender = bot ? l10n.t('{0} (bot)', name) : name;
  if (batch.messages.length === 1) {
    if (emote) return batch.isDirect ? l10n.t('{0} (direct message)', text) : l10n.t('{0}: {1}', room, text);
    if (batch.isDirect)
      return bot
        ? l10n.t('{0} (bot, direct message): {1}', name, text)
        : l10n.t('{0} (direct message): {1}', name, text);
    return latest.mentionsMe
      ? l10n.t('{0} mentioned you in {1}: {2}', sender, room, text)
      : l10n.t('{0} in {1}: {2}', sender, room, text);
  }
  const count = batch.messages.length;
  const mentions = batch.messages.filter((message) => message.mentionsMe).length;
  const heading = batch.isDirect
    ? l10n.t('{0} new messages from {1}', count, name)
    : mentions === 0
      ? l10n.t('{0} new messages in {1}', count, room)
      : mentions === 1
        ? l10n.t('{0} new messages in {1} (1 mentions you)', count, room)
        : l10n.t('{0} new messages in {1} ({2} mention you)', count, room, mentions);
  return emote
    ? l10n.t('{0} — latest: {1}', heading, text)
    : l10n.t('{0} — latest from {1}: {2}', heading, sender, text);
}

/** One plain line of at most `max` graphemes, without the quoted reply fallback older clients prepend. */
export function preview(body: string, max = MAX_PREVIEW): string {
  return forPlain(stripReplyFallback(body), max);
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
