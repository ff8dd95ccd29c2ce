/**
 * The window of a room's history that a room view holds: the latest page on open, older pages as the person
 * scrolls up, new events as they arrive. It holds at most `maxEvents`, so a room with years of history costs
 * what its window costs: new events push the oldest out (paging back then starts from the oldest one held), and
 * paging far back pushes the newest out (the window then stops following new events until it is opened again).
 * A thread's view is such a window over one thread (its source pages the thread: thread-history.ts).
 */
import type { HistoryPage } from './room-history.ts';
import { changedEventOf, foldTimeline, threadRootOf } from './timeline-fold.ts';
import type { RoomEvent, TimelineItem } from './timeline-item.ts';

export interface TimelineSource {
  /** The page before `from` (the latest without it). */
  page(from: string | undefined): Promise<HistoryPage>;
  /** The position just before an event. */
  tokenBefore(eventId: string): Promise<string | undefined>;
  /** The clear event of an encrypted one, or the event with why it is not (the account's crypto). */
  decrypt?(event: RoomEvent): Promise<RoomEvent>;
}

export interface RoomTimelineOptions {
  /** The account's user. */
  me: string;
  /** The most events held (default 500). */
  maxEvents?: number;
  /** Events asked for per page (default 50). */
  pageSize?: number;
  sanitize?: (html: string) => string;
  /**
   * The root of the thread this window shows (its source pages that thread): live events are then only the
   * thread's replies and what changes an event held (edits, reactions, redactions).
   */
  thread?: string;
}

export class RoomTimeline {
  private events: RoomEvent[] = [];
  private readonly ids = new Set<string>();
  /** Where the page before the window starts; undefined with `atStart` at the beginning of the room. */
  private older?: string;
  private atStart = false;
  /** New events are added (false once paging back pushed the newest out). */
  private following = true;
  private readonly maxEvents: number;

  constructor(
    private readonly source: TimelineSource,
    private readonly options: RoomTimelineOptions,
  ) {
    this.maxEvents = options.maxEvents ?? 500;
  }

  /** Loads the latest page; events that arrive meanwhile are kept after it. */
  async open(): Promise<void> {
    this.events = [];
    this.ids.clear();
    this.following = true;
    this.atStart = false;
    await this.prepend(await this.source.page(undefined));
  }

  /** Whether there is history before the window. */
  get hasOlder(): boolean {
    return !this.atStart;
  }

  /** Whether new events are added to the window. */
  get isFollowing(): boolean {
    return this.following;
  }

  /** Loads the page before the window; false at the beginning of the room. */
  async loadOlder(): Promise<boolean> {
    if (this.atStart) return false;
    const oldest = this.events[0];
    const from = this.older ?? (oldest ? await this.source.tokenBefore(oldest.event_id) : undefined);
    const page = await this.source.page(from);
    await this.prepend(page);
    return true;
  }

  /** A new event of the room (from the live sync); ignored when already held, not following, or not shown here. */
  async add(event: RoomEvent): Promise<boolean> {
    if (!this.following || this.ids.has(event.event_id)) return false;
    const clear = await this.decrypted(event);
    // An encrypted relation names its target in the clear; a decrypted one may name it only inside.
    if (!this.shows(event) && !this.shows(clear)) return false;
    this.events.push(clear);
    this.ids.add(event.event_id);
    while (this.events.length > this.maxEvents) {
      this.ids.delete(this.events.shift()!.event_id);
      // The token of the window's old start no longer fits: page back from the oldest event held.
      this.older = undefined;
      this.atStart = false;
    }
    return true;
  }

  /** An event of the window, as held (decrypted where it could be). */
  event(eventId: string): RoomEvent | undefined {
    return this.ids.has(eventId) ? this.events.find((held) => held.event_id === eventId) : undefined;
  }

  /** An event decrypted late (its key arrived): the window's copy is replaced. */
  replace(event: RoomEvent): boolean {
    const index = this.events.findIndex((held) => held.event_id === event.event_id);
    if (index < 0) return false;
    this.events[index] = event;
    return true;
  }

  items(): TimelineItem[] {
    return foldTimeline(this.events, {
      me: this.options.me,
      ...(this.options.sanitize ? { sanitize: this.options.sanitize } : {}),
      ...(this.options.thread !== undefined ? { thread: this.options.thread } : {}),
    });
  }

  /** How many events the window holds (relations included). */
  get size(): number {
    return this.events.length;
  }

  /** A page of history before the window (on open: before what arrived meanwhile). */
  private async prepend(page: HistoryPage): Promise<void> {
    const fresh: RoomEvent[] = [];
    for (const event of page.events) {
      if (this.ids.has(event.event_id)) continue;
      this.ids.add(event.event_id);
      fresh.push(await this.decrypted(event));
    }
    this.events.unshift(...fresh);
    this.older = page.older;
    this.atStart = page.older === undefined;
    while (this.events.length > this.maxEvents) {
      this.ids.delete(this.events.pop()!.event_id);
      this.following = false;
    }
  }

  /** Whether a live event belongs in this window: any in a room's, in a thread's only its own. */
  private shows(event: RoomEvent): boolean {
    const root = this.options.thread;
    if (root === undefined || event.event_id === root) return true;
    const thread = threadRootOf(event);
    if (thread !== undefined) return thread === root;
    const target = changedEventOf(event);
    return target !== undefined && this.ids.has(target);
  }

  private decrypted(event: RoomEvent): Promise<RoomEvent> | RoomEvent {
    return event.type === 'm.room.encrypted' && this.source.decrypt ? this.source.decrypt(event) : event;
  }
}
