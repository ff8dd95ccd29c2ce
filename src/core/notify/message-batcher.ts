/**
 * Gathers the messages of one room that arrive together (one sync response, a burst) into one batch, so the
 * editor shows "5 new messages in #dev" instead of five toasts. A batch closes once its room was quiet for
 * `windowMs`: short enough that a lone message still shows at once. Batches that close together (one sync
 * response touched several rooms) are shown most important first: those that mention the person, then direct
 * messages, then the rest.
 */
import type { ChannelMessage } from '../sync/channel-sync.ts';

export interface MessageBatch {
  accountId: string;
  roomId: string;
  roomName: string;
  isDirect: boolean;
  /** Oldest first; at least one. */
  messages: ChannelMessage[];
}

export interface MessageBatcherOptions {
  /** Quiet time that closes a batch. */
  windowMs?: number;
  /** The longest a batch stays open, however busy its room. */
  maxWaitMs?: number;
  flush: (batch: MessageBatch) => void;
}

/** One sync response's messages land within milliseconds; a human burst within this. Kept short: it is latency. */
export const BATCH_WINDOW_MS = 150;
export const BATCH_MAX_WAIT_MS = 1_000;

/** 0 for a batch that mentions the person, 1 for a direct conversation, 2 for the rest: lower shows first. */
export function batchPriority(batch: MessageBatch): number {
  if (batch.messages.some((message) => message.mentionsMe)) return 0;
  return batch.isDirect ? 1 : 2;
}

export class MessageBatcher {
  /** Batches closed in this turn of the event loop, shown together once it ends. */
  private closed: MessageBatch[] = [];
  private showing: ReturnType<typeof setImmediate> | undefined;
  private readonly open = new Map<
    string,
    { batch: MessageBatch; timer: ReturnType<typeof setTimeout>; openedAt: number }
  >();

  constructor(private readonly options: MessageBatcherOptions) {}

  /**
   * Adds a message to its room's batch. The batch closes once its room has been quiet for the window (a burst
   * split over two sync responses stays one notification), and at the latest `maxWaitMs` after it opened.
   */
  add(message: ChannelMessage): void {
    const key = `${message.accountId}\n${message.roomId}`;
    const windowMs = this.options.windowMs ?? BATCH_WINDOW_MS;
    const maxWaitMs = this.options.maxWaitMs ?? BATCH_MAX_WAIT_MS;
    const now = Date.now();
    const pending = this.open.get(key);
    if (pending) {
      pending.batch.messages.push(message);
      pending.batch.roomName = message.roomName;
      clearTimeout(pending.timer);
      pending.timer = this.closeLater(key, Math.max(0, Math.min(windowMs, pending.openedAt + maxWaitMs - now)));
      return;
    }
    const batch: MessageBatch = {
      accountId: message.accountId,
      roomId: message.roomId,
      roomName: message.roomName,
      isDirect: message.isDirect,
      messages: [message],
    };
    this.open.set(key, { batch, timer: this.closeLater(key, windowMs), openedAt: now });
  }

  /** Drops what has not been shown (the window closes, or the account went away). */
  dispose(accountId?: string): void {
    for (const [key, { batch, timer }] of this.open) {
      if (accountId !== undefined && batch.accountId !== accountId) continue;
      clearTimeout(timer);
      this.open.delete(key);
    }
    this.closed = this.closed.filter((batch) => accountId !== undefined && batch.accountId !== accountId);
    if (this.closed.length === 0 && this.showing) {
      clearImmediate(this.showing);
      this.showing = undefined;
    }
  }

  private closeLater(key: string, delayMs: number): ReturnType<typeof setTimeout> {
    return setTimeout(() => {
      const pending = this.open.get(key);
      if (!pending) return;
      this.open.delete(key);
      this.closed.push(pending.batch);
      // Timers due at the same moment all run before an immediate: the batches they close are shown together.
      this.showing ??= setImmediate(() => this.showClosed());
    }, delayMs);
  }

  private showClosed(): void {
    this.showing = undefined;
    const batches = this.closed;
    this.closed = [];
    // A stable sort: batches of the same importance keep the order they closed in.
    for (const batch of batches.sort((a, b) => batchPriority(a) - batchPriority(b))) this.options.flush(batch);
  }
}
