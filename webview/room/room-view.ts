/**
 * The room view page: the timeline (older messages load as the person scrolls to the top; the view stays at the
 * bottom while it is there) and the composer (Enter sends, Shift+Enter starts a new line; a reply shows what it
 * answers; a failed send keeps the text and says why). The draft survives the panel being hidden.
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
import { el, renderTimeline } from './timeline-render.ts';

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
  private view?: TimelineView;
  private state: ViewState;
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
    this.list.setAttribute('role', 'log');
    this.list.setAttribute('aria-label', l10n.t('Messages'));
    this.problem.setAttribute('role', 'alert');
    this.error.setAttribute('role', 'alert');
    this.older.textContent = l10n.t('Loading…');
    this.scroller.append(this.older, this.list);
    const form = el('div', 'composer');
    const row = el('div', 'composer-row');
    row.append(this.composer.element, this.send.element);
    form.append(this.replyBar, row, this.error);
    root.append(this.problem, this.scroller, form);
    this.composer.value = this.state.draft;
    // Hidden while a send was on its way: the host answers it again when this page says it is ready.
    if (this.state.sending !== undefined) {
      this.sending = this.state.sending;
      this.send.disabled = true;
    }
    this.composer.onChange((value) => this.keep({ ...this.state, draft: value }));
    this.composer.element.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    this.send.onClick(() => this.submit());
    this.scroller.addEventListener('scroll', () => {
      if (this.scroller.scrollTop < NEAR_TOP) this.askOlder();
    });
    this.showReply();
  }

  receive(raw: unknown): void {
    const message = raw as HostToRoomView;
    if (message?.type === 'timeline') this.show(message);
    else if (message?.type === 'sendResult' && message.id === this.sending) this.sent(message.failed);
  }

  private show(view: TimelineView): void {
    const first = !this.view;
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
        : l10n.t('This is the beginning of the room.');
    renderTimeline(this.list, view, {
      reply: (item) => this.replyTo(item),
      edit: (item) => this.startEditing(item),
      remove: (item) => this.host.post({ type: 'delete', eventId: item.eventId }),
      react: (item, key, mine) =>
        this.host.post(mine ? { type: 'unreact', reactionId: mine } : { type: 'react', eventId: item.eventId, key }),
    });
    // Stay at the bottom when there; keep the messages in view still when older ones came in above them.
    if (first || atBottom) this.scroller.scrollTop = this.scroller.scrollHeight;
    else this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
    // Nothing to scroll yet (a page of mostly state events shows few messages): load on until there is.
    if (view.hasOlder && this.scroller.scrollHeight <= this.scroller.clientHeight) this.askOlder();
  }

  private askOlder(): void {
    if (this.view?.hasOlder && !this.view.loadingOlder) this.host.post({ type: 'loadOlder' });
  }

  private startEditing(item: TimelineItem): void {
    const { replyTo: _replyTo, ...rest } = this.state;
    this.keep({ ...rest, editing: { eventId: item.eventId }, draft: item.body });
    this.composer.value = item.body;
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
    const { replyTo, editing } = this.state;
    this.replyBar.hidden = !replyTo && !editing;
    if (!replyTo && !editing) return this.replyBar.replaceChildren();
    const cancel = el('button', 'cancel-reply', l10n.t('Cancel'));
    cancel.setAttribute('aria-label', editing ? l10n.t('Cancel the edit') : l10n.t('Cancel the reply'));
    cancel.addEventListener('click', () => {
      const { replyTo: _reply, editing: _edit, ...rest } = this.state;
      if (editing) {
        rest.draft = '';
        this.composer.value = '';
      }
      this.keep(rest);
      this.showReply();
    });
    const text = replyTo
      ? l10n.t({
          message: 'Replying to {0}: {1}',
          args: [replyTo.sender, replyTo.body],
          comment: ['{0} is who sent the message answered; {1} is its text'],
        })
      : l10n.t('Editing your message (Enter saves)');
    this.replyBar.replaceChildren(el('span', 'replying', text), cancel);
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
    if (editing) this.host.post({ type: 'edit', id: this.sending, eventId: editing, text });
    else this.host.post({ type: 'send', id: this.sending, text, ...(replyTo ? { replyTo } : {}) });
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
    this.keep({ draft: '', ...(this.state.room ? { room: this.state.room } : {}) });
    this.showReply();
    this.composer.focus();
  }

  private keep(state: ViewState): void {
    this.state = state;
    this.host.save(state);
  }
}
