/**
 * The room view's messages as DOM: day lines, who and when, the quoted message a reply answers, the text (a
 * formatted body as the host sanitized it, anything else as text), edited / deleted / undecryptable marks,
 * reactions as buttons and the size of a thread. Every string from the server goes in as text, except the
 * formatted body, which the host's allow-list sanitizer produced (and the page's CSP runs no script anyway).
 */
import { l10n } from '../../src/core/l10n.ts';
import type { TimelineItem, TimelineView } from '../../src/shared/room-view-protocol.ts';

export interface ItemActions {
  reply(item: TimelineItem): void;
  /** Ours only: change its text, or delete it. */
  edit(item: TimelineItem): void;
  remove(item: TimelineItem): void;
  react(item: TimelineItem, key: string, mine: string | undefined): void;
}

/** The quick reaction offered on every message. */
const QUICK_REACTION = '👍';

export function renderTimeline(list: HTMLElement, view: TimelineView, actions: ItemActions): void {
  const name = (userId: string) => view.names[userId] ?? userId;
  const children: HTMLElement[] = [];
  let day = '';
  for (const item of view.items) {
    const itemDay = new Date(item.ts).toDateString();
    if (itemDay !== day) {
      day = itemDay;
      children.push(separator('day', dayLabel(item.ts)));
    }
    if (item.eventId === view.unreadFrom) children.push(separator('unread', l10n.t('New messages')));
    children.push(messageElement(item, name, actions));
  }
  list.replaceChildren(...children);
}

function messageElement(item: TimelineItem, name: (userId: string) => string, actions: ItemActions): HTMLElement {
  const article = el('article', `message kind-${item.kind}${item.mine ? ' mine' : ''}`);
  article.dataset['eventId'] = item.eventId;
  article.tabIndex = 0;
  const meta = el('div', 'meta');
  meta.append(el('span', 'sender', name(item.sender)));
  const time = el('time', 'time', timeLabel(item.ts));
  time.setAttribute('datetime', new Date(item.ts).toISOString());
  meta.append(time);
  article.append(meta);
  if (item.replyTo) {
    const quote = el('blockquote', 'reply-quote');
    quote.append(
      el('span', 'sender', item.replyTo.sender ? name(item.replyTo.sender) : l10n.t('a message')),
      el('span', 'quoted', item.replyTo.body ?? l10n.t('(not loaded)')),
    );
    article.append(quote);
  }
  article.append(bodyElement(item, name));
  if (item.reactions.length) {
    const row = el('div', 'reactions');
    for (const reaction of item.reactions) {
      const button = el('button', 'reaction', `${reaction.key} ${reaction.count}`);
      button.setAttribute('aria-pressed', String(Boolean(reaction.mine)));
      button.title = reaction.mine ? l10n.t('Take your reaction back') : l10n.t('React with this too');
      button.addEventListener('click', () => actions.react(item, reaction.key, reaction.mine));
      row.append(button);
    }
    article.append(row);
  }
  if (item.threadReplies > 0) {
    const replies =
      item.threadReplies === 1
        ? l10n.t('1 reply in a thread')
        : l10n.t({
            message: '{0} replies in a thread',
            args: [item.threadReplies],
            comment: ['{0} is a number of replies, 2 or more'],
          });
    article.append(el('div', 'thread', replies));
  }
  if (item.kind !== 'deleted' && item.kind !== 'undecryptable') article.append(toolbar(item, actions));
  return article;
}

function bodyElement(item: TimelineItem, name: (userId: string) => string): HTMLElement {
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
      body.textContent = `📎 ${item.media?.name ?? item.body}`;
      return body;
    case 'emote':
      body.textContent = `* ${name(item.sender)} ${item.body}`;
      return body;
    default:
      // Sanitized by the host (allow-listed tags and attributes only).
      if (item.html !== undefined) body.innerHTML = item.html;
      else body.textContent = item.body;
      if (item.edited) body.append(' ', el('span', 'edited', l10n.t('(edited)')));
      return body;
  }
}

function toolbar(item: TimelineItem, actions: ItemActions): HTMLElement {
  const bar = el('div', 'actions');
  const reply = el('button', 'action reply', l10n.t('Reply'));
  reply.addEventListener('click', () => actions.reply(item));
  const mine = item.reactions.find((reaction) => reaction.key === QUICK_REACTION)?.mine;
  const react = el('button', 'action react', QUICK_REACTION);
  react.setAttribute('aria-label', l10n.t('React with a thumbs up'));
  react.addEventListener('click', () => actions.react(item, QUICK_REACTION, mine));
  bar.append(reply, react);
  // Edits are sent as text: only a text message is offered for editing (an action or notice would change kind).
  if (item.mine && item.kind === 'text') {
    const change = el('button', 'action edit', l10n.t('Edit'));
    change.addEventListener('click', () => actions.edit(item));
    const remove = el('button', 'action delete', l10n.t('Delete'));
    remove.addEventListener('click', () => actions.remove(item));
    bar.append(change, remove);
  }
  return bar;
}

function separator(kind: 'day' | 'unread', text: string): HTMLElement {
  const line = el('div', `separator ${kind}`, text);
  line.setAttribute('role', 'separator');
  return line;
}

function dayLabel(ts: number): string {
  const date = new Date(ts);
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (date.toDateString() === today.toDateString()) return l10n.t('Today');
  if (date.toDateString() === yesterday.toDateString()) return l10n.t('Yesterday');
  return date.toLocaleDateString(document.documentElement.lang || undefined, { dateStyle: 'full' });
}

function timeLabel(ts: number): string {
  return new Date(ts).toLocaleTimeString(document.documentElement.lang || undefined, { timeStyle: 'short' });
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}
