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
  return account
    ? l10n.t({
        message: '{0} ({1})',
        args: [text, forNotification(account)],
        comment: ["{0} is a message notification's text; {1} is the label or Matrix ID of the account it came to"],
      })
    : text;
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
  const text = emote
    ? l10n.t({
        message: '* {0} {1}',
        args: [name, body],
        comment: ["An action a person describes (/me waves): {0} is the sender's name; {1} is what they do"],
      })
    : body;
  const bot = latest.kind === 'notice';
  const sender = bot ? l10n.t({ message: '{0} (bot)', args: [name], comment: ["{0} is the sender's name"] }) : name;
  if (batch.messages.length === 1) {
    if (emote)
      return batch.isDirect
        ? l10n.t({
            message: '{0} (direct message)',
            args: [text],
            comment: ['An action in a direct chat: {0} is the sender\'s name and what they do, such as "* Bob waves"'],
          })
        : l10n.t({
            message: '{0}: {1}',
            args: [room, text],
            comment: ['{0} is the room\'s name; {1} is an action someone described there, such as "* Bob waves"'],
          });
    if (batch.isDirect)
      return bot
        ? l10n.t({
            message: '{0} (bot, direct message): {1}',
            args: [name, text],
            comment: ["{0} is the sender's name; {1} is the message's text"],
          })
        : l10n.t({
            message: '{0} (direct message): {1}',
            args: [name, text],
            comment: ["{0} is the sender's name; {1} is the message's text"],
          });
    return latest.mentionsMe
      ? l10n.t({
          message: '{0} mentioned you in {1}: {2}',
          args: [sender, room, text],
          comment: ["{0} is the sender's name; {1} is the room's name; {2} is the message's text"],
        })
      : l10n.t({
          message: '{0} in {1}: {2}',
          args: [sender, room, text],
          comment: ["{0} is the sender's name; {1} is the room's name; {2} is the message's text"],
        });
  }
  const count = batch.messages.length;
  const mentions = batch.messages.filter((message) => message.mentionsMe).length;
  const heading = batch.isDirect
    ? l10n.t({
        message: '{0} new messages from {1}',
        args: [count, name],
        comment: ["{0} is a number of messages, 2 or more; {1} is the sender's name"],
      })
    : mentions === 0
      ? l10n.t({
          message: '{0} new messages in {1}',
          args: [count, room],
          comment: ["{0} is a number of messages, 2 or more; {1} is the room's name"],
        })
      : mentions === 1
        ? l10n.t({
            message: '{0} new messages in {1} (1 mentions you)',
            args: [count, room],
            comment: [
              "{0} is a number of messages, 2 or more; {1} is the room's name; one of the messages mentions you",
            ],
          })
        : l10n.t({
            message: '{0} new messages in {1} ({2} mention you)',
            args: [count, room, mentions],
            comment: [
              "{0} is a number of messages, 2 or more; {1} is the room's name; {2} is how many of them mention you, 2 or more",
            ],
          });
  return emote
    ? l10n.t({
        message: '{0} — latest: {1}',
        args: [heading, text],
        comment: [
          '{0} is a heading such as "3 new messages in #dev"; {1} is the latest message, an action such as "* Bob waves"',
        ],
      })
    : l10n.t({
        message: '{0} — latest from {1}: {2}',
        args: [heading, sender, text],
        comment: [
          '{0} is a heading such as "3 new messages in #dev"; {1} is the sender\'s name; {2} is the latest message\'s text',
        ],
      });
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
