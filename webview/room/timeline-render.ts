/**
 * The room view's message list: day lines, the "New messages" line and the messages. Every update from the host
 * carries the whole window, but only what changed is rebuilt: a message keeps its element while it stays the
 * same, and elements stay where they are in the document, so the focus, a half-typed reaction and the scroll
 * position survive a new message arriving.
 */
import { l10n } from '../../src/core/l10n.ts';
import type { TimelineItem, TimelineView } from '../../src/shared/room-view-protocol.ts';
import { el } from './dom.ts';
import { messageElement, type ItemActions } from './message-element.ts';
import type { MediaImages } from './media-images.ts';

export class TimelineRenderer {
  /** Each message's element, with what it was built from. */
  private messages = new Map<string, { built: string; element: HTMLElement }>();
  private separators = new Map<string, HTMLElement>();

  constructor(
    private readonly list: HTMLElement,
    private readonly actions: ItemActions,
    private readonly images: MediaImages,
  ) {}

  render(view: TimelineView): void {
    const name = (userId: string) => view.names[userId] ?? userId;
    const context = { name, actions: this.actions, images: this.images, inThread: Boolean(view.thread) };
    const messages = new Map<string, { built: string; element: HTMLElement }>();
    const separators = new Map<string, HTMLElement>();
    const separator = (key: string, kind: 'day' | 'unread', text: string) => {
      const existing = this.separators.get(key);
      const line = existing?.textContent === text ? existing : separatorElement(kind, text);
      separators.set(key, line);
      return line;
    };
    const wanted: HTMLElement[] = [];
    let day = '';
    for (const item of view.items) {
      const itemDay = new Date(item.ts).toDateString();
      if (itemDay !== day) {
        day = itemDay;
        wanted.push(separator(`day ${itemDay}`, 'day', dayLabel(item.ts)));
      }
      if (item.eventId === view.unreadFrom) wanted.push(separator('unread', 'unread', l10n.t('New messages')));
      const built = fingerprint(item, name);
      const existing = this.messages.get(item.eventId);
      const element = existing?.built === built ? existing.element : messageElement(item, context);
      messages.set(item.eventId, { built, element });
      wanted.push(element);
    }
    this.messages = messages;
    this.separators = separators;
    place(this.list, wanted);
  }

  /** The element of a message shown now. */
  element(eventId: string): HTMLElement | undefined {
    return this.messages.get(eventId)?.element;
  }
}

/** What a message's element shows: when it changes, the element is built again. */
function fingerprint(item: TimelineItem, name: (userId: string) => string): string {
  const quoted = item.replyTo?.sender;
  return JSON.stringify([item, name(item.sender), quoted && name(quoted)]);
}

/**
 * Makes `list`'s children exactly `wanted`, in order, moving as few as it can: elements already in place are
 * not touched (a moved element would lose the focus).
 */
function place(list: HTMLElement, wanted: HTMLElement[]): void {
  const keep = new Set<Node>(wanted);
  let cursor = list.firstChild;
  const skipGone = () => {
    while (cursor && !keep.has(cursor)) {
      const next: ChildNode | null = cursor.nextSibling;
      cursor.remove();
      cursor = next;
    }
  };
  for (const node of wanted) {
    skipGone();
    if (node === cursor) cursor = cursor.nextSibling;
    else list.insertBefore(node, cursor);
  }
  // Whatever is left after the last wanted element is not wanted.
  while (cursor) {
    const next: ChildNode | null = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}

function separatorElement(kind: 'day' | 'unread', text: string): HTMLElement {
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
