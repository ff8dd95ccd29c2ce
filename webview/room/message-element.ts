/**
 * One message as DOM: avatar, who and when, the quoted message a reply answers, the text (a formatted body as
 * the host sanitized it, anything else as text), a picture or a file, edited / deleted / undecryptable marks,
 * reactions as buttons, the thread it starts and its actions. Every string from the server goes in as text,
 * except the formatted body, which the host's allow-list sanitizer produced (and the page's CSP runs no script).
 */
import { l10n } from '../../src/core/l10n.ts';
import type { TimelineItem } from '../../src/shared/room-view-protocol.ts';
import { highlightCode } from './code-highlight.ts';
import { el } from './dom.ts';
import type { MediaImages } from './media-images.ts';
import { openReactionPicker } from './reaction-picker.ts';

export interface ItemActions {
  reply(item: TimelineItem): void;
  /** Ours only: change its text, or delete it. */
  edit(item: TimelineItem): void;
  remove(item: TimelineItem): void;
  /** `mine`: the person's own reaction with this key, which reacting again takes back. */
  react(item: TimelineItem, key: string, mine: string | undefined): void;
  openThread(item: TimelineItem): void;
  openMedia(item: TimelineItem): void;
  saveMedia(item: TimelineItem): void;
}

export interface MessageContext {
  name: (userId: string) => string;
  actions: ItemActions;
  images: MediaImages;
  /** Inside a thread, a message does not offer to open it again. */
  inThread: boolean;
}

/** The quick reaction offered on every message. */
const QUICK_REACTION = '👍';

export function messageElement(item: TimelineItem, context: MessageContext): HTMLElement {
  const { name, actions } = context;
  const article = el(
    'article',
    `message kind-${item.kind}${item.mine ? ' mine' : ''}${item.mentionsMe ? ' mentions-me' : ''}`,
  );
  article.dataset['eventId'] = item.eventId;
  article.tabIndex = -1;
  article.setAttribute(
    'aria-label',
    item.mentionsMe
      ? l10n.t({
          message: '{0} at {1}, mentioning you',
          args: [name(item.sender), timeLabel(item.ts)],
          comment: ['A message that mentions the reader, for screen readers: {0} is who sent it, {1} the time'],
        })
      : l10n.t({
          message: '{0} at {1}',
          args: [name(item.sender), timeLabel(item.ts)],
          comment: ['A message, for screen readers: {0} is who sent it, {1} the time'],
        }),
  );
  article.append(context.images.avatar(item.sender, name(item.sender)));
  const main = el('div', 'main');
  const meta = el('div', 'meta');
  meta.append(el('span', 'sender', name(item.sender)));
  const time = el('time', 'time', timeLabel(item.ts));
  time.setAttribute('datetime', new Date(item.ts).toISOString());
  meta.append(time);
  main.append(meta);
  if (item.replyTo) {
    const quote = el('blockquote', 'reply-quote');
    quote.append(
      el('span', 'sender', item.replyTo.sender ? name(item.replyTo.sender) : l10n.t('a message')),
      el('span', 'quoted', item.replyTo.body ?? l10n.t('(not loaded)')),
    );
    main.append(quote);
  }
  main.append(bodyElement(item, context));
  if (item.reactions.length) main.append(reactionRow(item, actions));
  if (item.threadReplies > 0 && !context.inThread) main.append(threadLink(item, actions));
  if (item.kind !== 'deleted' && item.kind !== 'undecryptable') main.append(toolbar(item, context));
  article.append(main);
  return article;
}

function bodyElement(item: TimelineItem, context: MessageContext): HTMLElement {
  const body = el('div', 'body');
  switch (item.kind) {
    case 'deleted':
      body.textContent = l10n.t('Message deleted');
      return body;
    case 'undecryptable':
      body.textContent = item.body;
      return body;
    case 'image':
    case 'file':
      body.append(context.images.attachment(item, context.actions));
      return body;
    case 'emote':
      body.textContent = `* ${context.name(item.sender)} ${item.body}`;
      return body;
    default:
      // Sanitized by the host (allow-listed tags and attributes only).
      if (item.html !== undefined) {
        body.classList.add('formatted');
        body.innerHTML = item.html;
        // Inline pictures (custom emoji) are `mxc://` addresses the page cannot load: their words stand in.
        for (const picture of body.querySelectorAll('img')) picture.replaceWith(picture.alt);
        highlightCode(body);
      } else body.textContent = item.body;
      if (item.edited) body.append(' ', el('span', 'edited', l10n.t('(edited)')));
      return body;
  }
}

function reactionRow(item: TimelineItem, actions: ItemActions): HTMLElement {
  const row = el('div', 'reactions');
  for (const reaction of item.reactions) {
    const button = el('button', 'reaction', `${reaction.key} ${reaction.count}`);
    button.setAttribute('aria-pressed', String(Boolean(reaction.mine)));
    button.title = reaction.mine ? l10n.t('Take your reaction back') : l10n.t('React with this too');
    button.addEventListener('click', () => actions.react(item, reaction.key, reaction.mine));
    row.append(button);
  }
  return row;
}

function threadLink(item: TimelineItem, actions: ItemActions): HTMLElement {
  const replies =
    item.threadReplies === 1
      ? l10n.t('1 reply in a thread')
      : l10n.t({
          message: '{0} replies in a thread',
          args: [item.threadReplies],
          comment: ['{0} is a number of replies, 2 or more'],
        });
  const link = el('button', 'thread', replies);
  link.title = l10n.t('Open the thread');
  link.addEventListener('click', () => actions.openThread(item));
  return link;
}

function toolbar(item: TimelineItem, context: MessageContext): HTMLElement {
  const { actions } = context;
  const bar = el('div', 'actions');
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', l10n.t('Message actions'));
  const reply = el('button', 'action reply', l10n.t('Reply'));
  reply.addEventListener('click', () => actions.reply(item));
  const mineFor = (key: string) => item.reactions.find((reaction) => reaction.key === key)?.mine;
  const react = el('button', 'action react', QUICK_REACTION);
  react.setAttribute('aria-label', l10n.t('React with a thumbs up'));
  react.addEventListener('click', () => actions.react(item, QUICK_REACTION, mineFor(QUICK_REACTION)));
  const more = el('button', 'action more-reactions', '☺+');
  more.title = l10n.t('React with an emoji…');
  more.setAttribute('aria-label', l10n.t('React with an emoji…'));
  more.setAttribute('aria-haspopup', 'dialog');
  more.addEventListener('click', () =>
    openReactionPicker(
      more,
      (key) => actions.react(item, key, mineFor(key)),
      (key) => mineFor(key) !== undefined,
    ),
  );
  bar.append(reply, react, more);
  if (item.threadReplies === 0 && !context.inThread) {
    const thread = el('button', 'action start-thread', l10n.t('Thread'));
    thread.title = l10n.t('Reply in a thread');
    thread.addEventListener('click', () => actions.openThread(item));
    bar.append(thread);
  }
  // Edits are sent as text: only a text message is offered for editing (an action or notice would change kind).
  if (item.mine && item.kind === 'text') {
    const change = el('button', 'action edit', l10n.t('Edit'));
    change.addEventListener('click', () => actions.edit(item));
    bar.append(change);
  }
  if (item.mine) {
    const remove = el('button', 'action delete', l10n.t('Delete'));
    remove.addEventListener('click', () => actions.remove(item));
    bar.append(remove);
  }
  return bar;
}

export function timeLabel(ts: number): string {
  return new Date(ts).toLocaleTimeString(document.documentElement.lang || undefined, { timeStyle: 'short' });
}
