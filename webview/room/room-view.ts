/**
 * The room view page: the timeline (older messages load as the person scrolls to the top; the view stays at the
 * bottom while it is there), or one thread of it, and the composer (Enter sends, Shift+Enter starts a new line;
 * Up in an empty composer edits one's last message; a reply shows what it answers; a failed send keeps the text
 * and says why). The draft survives the panel being hidden.
 */
import { l10n } from '../../src/core/l10n.ts';
import {
  MAX_COMPOSED,
  type HostToRoomView,
  type RoomViewMessage,
  type TimelineItem,
  type TimelineView,
} from '../../src/shared/room-view-protocol.ts';
import { button, textArea } from '../ui/toolkit.ts';
import { el } from './dom.ts';
import { MediaImages } from './media-images.ts';
import { MessageKeys } from './message-keys.ts';
import { TimelineRenderer } from './timeline-render.ts';

/** What the page keeps while the panel is hidden (never anything secret: a draft and what it answers). */
export interface ViewState {
  draft: string;
  replyTo?: { eventId: string; sender: string; body: string };
  /** A message of ours whose text the composer holds, to be replaced. */
  editing?: { eventId: string };
  /** The room shown, for the view to come back after a reload. */
  room?: { accountId: string; roomId: string };
  /** A send the host has not answered yet (the page was hidden meanwhile): its answer is awaited again. */
  sending?: number;
  /** The thread shown (its first message), to show it again when the page comes back. */
  thread?: string;
  /** The first unread message the view opened at (it opens there once). */
  landedAt?: string;
}

export interface RoomViewHost {
  post(message: RoomViewMessage): void;
  saved: ViewState | undefined;
  save(state: ViewState): void;
}

/** How near the top (px) the person must scroll for older messages to load. */
const NEAR_TOP = 80;

export class RoomView {
  private readonly scroller = el('div', 'scroller');
  private readonly older = el('div', 'older');
  private readonly list = el('div', 'timeline');
  private readonly problem = el('div', 'problem');
  private readonly replyBar = el('div', 'reply-bar');
  private readonly error = el('div', 'send-error');
  private readonly composer = textArea({
    id: 'composer',
    label: l10n.t('Message'),
    placeholder: l10n.t('Message (Enter to send, Shift+Enter for a new line)'),
    maxLength: MAX_COMPOSED,
  });
  private readonly send = button({ id: 'send', label: l10n.t('Send') });
  private readonly insertSelection = button({
    id: 'insert-selection',
    label: l10n.t('Insert Selection'),
    appearance: 'secondary',
    ariaLabel: l10n.t("Insert the editor's selection as a code block"),
  });
  private readonly threadBar = el('div', 'thread-bar');
  private readonly images: MediaImages;
  private readonly renderer: TimelineRenderer;
  private readonly keys: MessageKeys;
  private view?: TimelineView;
  private state: ViewState;
  /** The thread's first message, to show again when the view comes back from the thread to the room. */
  private returnTo?: string;
  private sending?: number;
  /**
   * Send ids start at random: a page re-created after being hidden must not take an answer meant for its
   * predecessor's send for one of its own.
   */
  private nextSend = 1 + Math.floor(Math.random() * 1_000_000_000);

  constructor(
    root: HTMLElement,
    private readonly host: RoomViewHost,
  ) {
    this.state = host.saved ?? { draft: '' };
    this.images = new MediaImages((message) => host.post(message));
    this.renderer = new TimelineRenderer(
      this.list,
      {
        reply: (item) => this.replyTo(item),
        edit: (item) => this.startEditing(item),
        remove: (item) => host.post({ type: 'delete', eventId: item.eventId }),
        react: (item, key, mine) =>
          host.post(mine ? { type: 'unreact', reactionId: mine } : { type: 'react', eventId: item.eventId, key }),
        openThread: (item) => this.openThread(item.eventId),
        openMedia: (item) => host.post({ type: 'openMedia', eventId: item.eventId }),
        saveMedia: (item) => host.post({ type: 'saveMedia', eventId: item.eventId }),
      },
      this.images,
    );
    this.keys = new MessageKeys(this.list, () => this.composer.focus());
    this.list.setAttribute('role', 'log');
    this.list.setAttribute('aria-label', l10n.t('Messages'));
    this.problem.setAttribute('role', 'alert');
    this.error.setAttribute('role', 'alert');
    this.older.textContent = l10n.t('Loading…');
    this.scroller.append(this.older, this.list);
    const form = el('div', 'composer');
    const row = el('div', 'composer-row');
    row.append(this.composer.element, this.send.element, this.insertSelection.element);
    form.append(this.replyBar, row, this.error);
    this.threadBar.hidden = true;
    root.append(this.threadBar, this.problem, this.scroller, form);
    this.composer.value = this.state.draft;
    this.fitComposer();
    // Hidden while a send was on its way: the host answers it again when this page says it is ready.
    if (this.state.sending !== undefined) {
      this.sending = this.state.sending;
      this.send.disabled = true;
    }
    this.composer.onChange((value) => {
      this.keep({ ...this.state, draft: value });
      this.fitComposer();
    });
    this.composer.element.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      } else if (event.key === 'ArrowUp' && this.composer.value === '' && !this.state.editing) {
        const last = this.view?.items.findLast((item) => item.mine && item.kind === 'text');
        if (!last) return;
        event.preventDefault();
        this.startEditing(last);
      } else if (event.key === 'Escape' && (this.state.replyTo || this.state.editing)) {
        event.preventDefault();
        this.cancelReply();
      }
    });
    this.send.onClick(() => this.submit());
    this.insertSelection.onClick(() => host.post({ type: 'insertSelection' }));
    this.scroller.addEventListener('scroll', () => {
      if (this.scroller.scrollTop < NEAR_TOP) this.askOlder();
    });
    this.showReply();
  }

  receive(raw: unknown): void {
    const message = raw as HostToRoomView;
    if (message?.type === 'timeline') this.show(message);
    else if (message?.type === 'sendResult' && message.id === this.sending) this.sent(message.failed);
    else if (message?.type === 'media') this.images.receive(message);
    else if (message?.type === 'insert') this.insert(message.text);
  }

  /** What to ask the host for once the page is up: the thread it showed before it was hidden. */
  get restoredThread(): string | undefined {
    return this.state.thread;
  }

  private show(view: TimelineView): void {
    // A new view, or the thread shown instead of the room (or the other way round): start at the bottom.
    const first = !this.view || this.view.thread?.rootId !== view.thread?.rootId;
    const atBottom = this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 40;
    const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
    this.view = view;
    if (this.state.room?.roomId !== view.room.roomId) this.keep({ ...this.state, room: view.room });
    this.problem.textContent = view.problem ?? '';
    this.problem.hidden = !view.problem;
    this.older.textContent = view.loadingOlder
      ? l10n.t('Loading older messages…')
      : view.hasOlder || (view.problem && view.items.length === 0)
        ? ''
        : view.thread
          ? l10n.t('This is the beginning of the thread.')
          : l10n.t('This is the beginning of the room.');
    this.renderer.render(view);
    this.keys.refresh();
    this.showThreadBar(view);
    this.markEditing();
    // Stay at the bottom when there; keep the messages in view still when older ones came in above them. A room
    // opens where its unread messages begin; back from a thread, at the thread.
    const landing = first ? this.landing(view) : undefined;
    if (landing) landing.scrollIntoView({ block: this.returnTo === undefined ? 'start' : 'center' });
    else if (first || atBottom) this.scroller.scrollTop = this.scroller.scrollHeight;
    else this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
    if (first) this.returnTo = undefined;
    // Nothing to scroll yet (a page of mostly state events shows few messages): load on until there is.
    if (view.hasOlder && this.scroller.scrollHeight <= this.scroller.clientHeight) this.askOlder();
  }

  /** Where a view opens, when not at its newest message: the thread it came back from, or the first unread. */
  private landing(view: TimelineView): HTMLElement | undefined {
    if (view.thread) return undefined;
    if (this.returnTo) return this.renderer.element(this.returnTo);
    // Once: a page shown again (the tab was hidden) opens where the person was, at the newest.
    if (!view.unreadFrom || this.state.landedAt === view.unreadFrom) return undefined;
    this.keep({ ...this.state, landedAt: view.unreadFrom });
    return this.list.querySelector<HTMLElement>('.separator.unread') ?? undefined;
  }

  /** The message the composer edits stands out in the list. */
  private markEditing(): void {
    for (const marked of this.list.querySelectorAll('.message.editing')) marked.classList.remove('editing');
    const editing = this.state.editing && this.renderer.element(this.state.editing.eventId);
    editing?.classList.add('editing');
  }

  private askOlder(): void {
    if (this.view?.hasOlder && !this.view.loadingOlder) this.host.post({ type: 'loadOlder' });
  }

  private startEditing(item: TimelineItem): void {
    const { replyTo: _replyTo, ...rest } = this.state;
    this.keep({ ...rest, editing: { eventId: item.eventId }, draft: item.body });
    this.composer.value = item.body;
    this.fitComposer();
    this.showReply();
    this.composer.focus();
  }

  private replyTo(item: TimelineItem): void {
    const sender = this.view?.names[item.sender] ?? item.sender;
    const { editing: _editing, ...rest } = this.state;
    this.keep({ ...rest, replyTo: { eventId: item.eventId, sender, body: item.body } });
    this.showReply();
    this.composer.focus();
  }

  /** The line above the composer: what a reply answers, or that the composer edits a message. */
  private showReply(): void {
    // The line takes room from the messages: the newest stay in sight when they were.
    const atBottom = this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 40;
    this.drawReplyBar();
    this.markEditing();
    if (atBottom) this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  private drawReplyBar(): void {
    const { replyTo, editing } = this.state;
    this.replyBar.hidden = !replyTo && !editing;
    if (!replyTo && !editing) return this.replyBar.replaceChildren();
    const cancel = el('button', 'cancel-reply', l10n.t('Cancel'));
    cancel.setAttribute('aria-label', editing ? l10n.t('Cancel the edit') : l10n.t('Cancel the reply'));
    cancel.addEventListener('click', () => this.cancelReply());
    const text = replyTo
      ? l10n.t({
          message: 'Replying to {0}: {1}',
          args: [replyTo.sender, replyTo.body],
          comment: ['{0} is who sent the message answered; {1} is its text'],
        })
      : l10n.t('Editing your message (Enter saves)');
    this.replyBar.replaceChildren(el('span', 'replying', text), cancel);
  }

  private cancelReply(): void {
    const { replyTo: _reply, editing, ...rest } = this.state;
    if (editing) {
      rest.draft = '';
      this.composer.value = '';
      this.fitComposer();
    }
    this.keep(rest);
    this.showReply();
    this.composer.focus();
  }

  /** Above the messages while a thread shows: what it is, and the way back to the room. */
  private showThreadBar(view: TimelineView): void {
    this.threadBar.hidden = !view.thread;
    if (!view.thread) return this.threadBar.replaceChildren();
    const root = view.items.find((item) => item.eventId === view.thread?.rootId);
    const back = el('button', 'back-to-room', l10n.t('Back to the room'));
    back.addEventListener('click', () => this.closeThread());
    const title = el('span', 'thread-title', l10n.t('Thread'));
    const about = el('span', 'thread-about', root?.body ?? '');
    this.threadBar.replaceChildren(back, title, about);
  }

  private openThread(rootId: string): void {
    const { replyTo: _reply, editing: _edit, ...rest } = this.state;
    this.keep({ ...rest, thread: rootId });
    this.showReply();
    this.host.post({ type: 'openThread', eventId: rootId });
    this.composer.focus();
  }

  private closeThread(): void {
    this.returnTo = this.state.thread;
    const { replyTo: _reply, editing: _edit, thread: _thread, ...rest } = this.state;
    this.keep(rest);
    this.showReply();
    this.host.post({ type: 'closeThread' });
    this.composer.focus();
  }

  /** Text from the host (the editor's selection) goes in at the composer's cursor, on lines of its own. */
  private insert(text: string): void {
    const value = this.composer.value;
    const before = value && !value.endsWith('\n') ? `${value}\n` : value;
    this.composer.value = `${before}${text}\n`;
    this.keep({ ...this.state, draft: this.composer.value });
    this.fitComposer();
    this.composer.focus();
  }

  private submit(): void {
    const text = this.composer.value;
    if (this.sending !== undefined || text.trim() === '') return;
    this.sending = this.nextSend++;
    this.keep({ ...this.state, sending: this.sending });
    this.send.disabled = true;
    this.error.textContent = '';
    const replyTo = this.state.replyTo?.eventId;
    const editing = this.state.editing?.eventId;
    const thread = this.view?.thread?.rootId;
    if (editing) this.host.post({ type: 'edit', id: this.sending, eventId: editing, text });
    else
      this.host.post({
        type: 'send',
        id: this.sending,
        text,
        ...(replyTo ? { replyTo } : {}),
        ...(thread ? { thread } : {}),
      });
  }

  /** The host's answer to the send: the composer empties only once the message is at the server. */
  private sent(failed: string | undefined): void {
    this.sending = undefined;
    this.send.disabled = false;
    const { sending: _answered, ...rest } = this.state;
    this.keep(rest);
    if (failed) {
      this.error.textContent = l10n.t({
        message: 'Not sent: {0}',
        args: [failed],
        comment: ['{0} is the reason, a sentence'],
      });
      return;
    }
    this.composer.value = '';
    this.fitComposer();
    const { room, thread, landedAt } = this.state;
    this.keep({
      draft: '',
      ...(room ? { room } : {}),
      ...(thread ? { thread } : {}),
      ...(landedAt ? { landedAt } : {}),
    });
    this.showReply();
    this.composer.focus();
  }

  /** The composer grows with its text, up to ten lines (then it scrolls), and back to three. */
  private fitComposer(): void {
    const lines = this.composer.value.split('\n').length;
    this.composer.element.setAttribute('rows', String(Math.min(10, Math.max(3, lines))));
  }

  private keep(state: ViewState): void {
    this.state = state;
    this.host.save(state);
  }
}
