/**
 * What a room view does, without VS Code: it opens the room's window of history, shows it (or one thread of it),
 * follows the room's new events, acts on what the person does in the view (load older, send, react, take back,
 * pictures and files) and moves the read marker while the person looks at the view. The panel (room-panels.ts)
 * wires it to a webview; tested in Node.
 */
import { MatrixChannelError } from '../../core/errors.ts';
import { l10n } from '../../core/l10n.ts';
import { markdownHtml } from '../../core/text/markdown.ts';
import type { Logger } from '../../core/log.ts';
import type { RoomFeed } from '../../core/sync/room-feed.ts';
import { RoomTimeline } from '../../core/timeline/room-timeline.ts';
import { RoomViewMedia, type RoomViewMediaDeps } from './room-view-media.ts';
import {
  parseRoomViewMessage,
  type HostToRoomView,
  type SendResult,
  type TimelineView,
} from '../../shared/room-view-protocol.ts';

export interface RoomViewDeps {
  feed: RoomFeed;
  /** The room, as the page keeps it to be brought back after a reload. */
  room: { accountId: string; roomId: string };
  me: string;
  log: Logger;
  roomName(): string;
  /** The display name of a member, when the room knows one. */
  memberName(userId: string): string | undefined;
  /** Unread messages in the room when the view opened (the "new" line goes before them). */
  unreadCount(): number;
  /** Asks before a message is deleted (it cannot be undone); true to go ahead. */
  confirmDelete(): Promise<boolean>;
  /** Moves the read marker and receipt to the room's newest event. */
  markRead(): Promise<void>;
  /** The view is on screen and has focus: what arrives is read. */
  isActive(): boolean;
  post(message: HostToRoomView): void;
  sanitize(html: string): string;
  /** Opens and saves files (the editor's part). */
  files: RoomViewMediaDeps['files'];
  /** The editor's selection as a Markdown code block, or undefined (the person is told) when there is none. */
  selection(): string | undefined;
}

/** A thread shown instead of the room: its own window, over the thread's history. */
interface OpenThread {
  rootId: string;
  timeline: RoomTimeline;
  opened: Promise<void>;
}

export class RoomViewController {
  private readonly timeline: RoomTimeline;
  private thread?: OpenThread;
  private readonly media: RoomViewMedia;
  private opened?: Promise<void>;
  private unreadFrom?: string;
  private loadingOlder = false;
  private problem?: string;
  /** Why the person's last action failed (a reaction, a deletion, a file); cleared when one succeeds. */
  private actionFailed?: string;
  private readonly subscription: { dispose(): void };
  private disposed = false;
  private arrivals: Promise<void> = Promise.resolve();
  /** The last send's answer, given again to a page re-created while it was on its way. */
  private lastAnswer?: SendResult;

  constructor(private readonly deps: RoomViewDeps) {
    this.timeline = new RoomTimeline(deps.feed.source, { me: deps.me, sanitize: (html) => deps.sanitize(html) });
    this.media = new RoomViewMedia({
      loader: deps.feed.media,
      files: deps.files,
      post: (message) => deps.post(message),
      log: deps.log,
      event: (eventId) => this.shown.event(eventId) ?? this.timeline.event(eventId),
      avatarOf: (userId) => deps.feed.memberAvatar(userId),
    });
    // In arrival order: a late decryption must find the event it replaces already added.
    this.subscription = deps.feed.onEvent(({ event, replaces }) => {
      this.arrivals = this.arrivals
        .then(async () => {
          const windows = [this.timeline, ...(this.thread ? [this.thread.timeline] : [])];
          let changed = false;
          for (const window of windows)
            changed = (replaces ? window.replace(event) : await window.add(event)) || changed;
          if (!changed || this.disposed) return;
          this.show();
          if (!replaces && event.sender !== deps.me) this.readIfActive();
        })
        .catch((error: unknown) => deps.log.warn(`room view: a new event: ${String(error)}`));
    });
  }

  /** Loads the latest page (once) and shows it. */
  open(): Promise<void> {
    this.opened ??= this.timeline.open().then(
      () => {
        const unread = this.deps.unreadCount();
        const items = this.timeline.items().filter((item) => !item.mine);
        this.unreadFrom = unread > 0 ? items[Math.max(0, items.length - unread)]?.eventId : undefined;
        this.show();
        this.readIfActive();
      },
      (error: unknown) => {
        this.problem = reasonOf(error);
        this.deps.log.warn(`room view: reading the history failed: ${String(error)}`);
        this.show();
      },
    );
    return this.opened;
  }

  /** A message from the webview: checked, then acted on. */
  async receive(raw: unknown): Promise<void> {
    const message = parseRoomViewMessage(raw);
    if (!message) {
      this.deps.log.warn('room view: ignored a message the view may not send');
      return;
    }
    switch (message.type) {
      case 'ready':
        await this.open();
        this.show();
        if (this.lastAnswer) this.deps.post(this.lastAnswer);
        return;
      case 'loadOlder':
        return this.loadOlder();
      case 'send': {
        // Markdown, as in other clients: the text as typed, and its HTML twin when it formats anything.
        const html = markdownHtml(message.text);
        const thread = message.thread ? this.threadTarget(message.thread) : undefined;
        return this.answer(message.id, () =>
          this.deps.feed.send(message.text, {
            ...(message.replyTo ? { replyTo: message.replyTo } : {}),
            ...(html ? { html } : {}),
            ...(thread ? { thread } : {}),
          }),
        );
      }
      case 'edit':
        return this.answer(message.id, () =>
          this.deps.feed.edit(message.eventId, message.text, markdownHtml(message.text)),
        );
      case 'delete':
        if (await this.deps.confirmDelete()) await this.act(() => this.deps.feed.redact(message.eventId));
        return;
      case 'react':
        await this.act(() => this.deps.feed.react(message.eventId, message.key));
        return;
      case 'unreact':
        await this.act(() => this.deps.feed.redact(message.reactionId));
        return;
      case 'thumbnail':
        return this.media.thumbnail(message.eventId);
      case 'avatar':
        return this.media.avatar(message.userId);
      case 'openMedia':
      case 'saveMedia':
        return this.act(() => this.media.file(message.eventId, message.type === 'openMedia' ? 'open' : 'save'));
      case 'insertSelection': {
        const text = this.deps.selection();
        if (text !== undefined) this.deps.post({ type: 'insert', text });
        return;
      }
      case 'openThread':
        return this.openThread(message.eventId);
      case 'closeThread':
        this.thread = undefined;
        this.problem = undefined;
        this.show();
        return;
    }
  }

  /** Shows the thread of `rootId` instead of the room (its latest replies first, older ones on scroll). */
  private async openThread(rootId: string): Promise<void> {
    if (this.thread?.rootId === rootId) return this.thread.opened.then(() => this.show());
    const timeline = new RoomTimeline(this.deps.feed.threadSource(rootId), {
      me: this.deps.me,
      sanitize: (html) => this.deps.sanitize(html),
      thread: rootId,
    });
    const thread: OpenThread = { rootId, timeline, opened: timeline.open() };
    this.thread = thread;
    this.problem = undefined;
    try {
      await thread.opened;
    } catch (error) {
      if (this.thread !== thread) return;
      this.problem = reasonOf(error);
      this.deps.log.warn(`room view: reading the thread failed: ${String(error)}`);
    }
    if (this.thread === thread) this.show();
  }

  /** Where a message into the thread of `rootId` goes: the thread, after its latest message known here. */
  private threadTarget(rootId: string): { rootId: string; latest: string } {
    const items = this.thread?.rootId === rootId ? this.thread.timeline.items() : [];
    return { rootId, latest: items.at(-1)?.eventId ?? rootId };
  }

  /** The window shown: the thread's when one is open, else the room's. */
  private get shown(): RoomTimeline {
    return this.thread?.timeline ?? this.timeline;
  }

  /** The view came to the front: what it shows is read now. */
  activated(): void {
    this.readIfActive();
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    this.deps.feed.dispose();
  }

  private async loadOlder(): Promise<void> {
    const window = this.shown;
    if (this.loadingOlder || !window.hasOlder) return;
    this.loadingOlder = true;
    this.show();
    try {
      await window.loadOlder();
      this.problem = undefined;
    } catch (error) {
      this.problem = reasonOf(error);
    } finally {
      this.loadingOlder = false;
      this.show();
    }
  }

  /** Sends for the composer, which keeps its text until it hears that the server has it. */
  private async answer(id: number, send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
      this.lastAnswer = { type: 'sendResult', id };
    } catch (error) {
      this.lastAnswer = { type: 'sendResult', id, failed: reasonOf(error) };
    }
    this.deps.post(this.lastAnswer);
  }

  private async act(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
      if (this.actionFailed === undefined) return;
      this.actionFailed = undefined;
    } catch (error) {
      this.actionFailed = reasonOf(error);
    }
    this.show();
  }

  private show(): void {
    if (this.disposed) return;
    const window = this.shown;
    const items = window.items();
    const names: Record<string, string> = {};
    for (const id of new Set(items.flatMap((item) => [item.sender, item.replyTo?.sender ?? item.sender]))) {
      const name = this.deps.memberName(id);
      if (name && name !== id) names[id] = name;
    }
    const view: TimelineView = {
      type: 'timeline',
      room: this.deps.room,
      roomName: this.deps.roomName(),
      me: this.deps.me,
      items,
      names,
      hasOlder: window.hasOlder,
      loadingOlder: this.loadingOlder,
      ...(this.unreadFrom && !this.thread ? { unreadFrom: this.unreadFrom } : {}),
      ...(this.problem || this.actionFailed ? { problem: this.problem ?? this.actionFailed } : {}),
      ...(this.thread ? { thread: { rootId: this.thread.rootId } } : {}),
    };
    this.deps.post(view);
  }

  private readIfActive(): void {
    if (!this.deps.isActive() || this.disposed) return;
    void this.deps
      .markRead()
      .catch((error: unknown) => this.deps.log.warn(`room view: marking read: ${String(error)}`));
  }
}

function reasonOf(error: unknown): string {
  return error instanceof MatrixChannelError ? error.reason : l10n.t('Something went wrong; the log says more.');
}
