/**
 * Gathers the messages of one room that arrive together (one sync response, a burst) into one batch, so the
 * editor shows "5 new messages in #dev" instead of five toasts. A batch closes `windowMs` after its first
 * message: short enough that a lone message still shows at once.
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
  windowMs?: number;
  flush: (batch: MessageBatch) => void;
}

/** One sync response's messages land within milliseconds; a human burst within this. Kept short: it is latency. */
export const BATCH_WINDOW_MS = 150;

export class MessageBatcher {
  private readonly open = new Map<string, { batch: MessageBatch; timer: ReturnType<typeof setTimeout> }>();

  constructor(private readonly options: MessageBatcherOptions) {}

  add(message: ChannelMessage): void {
    const key = `${message.accountId}\n${message.roomId}`;
    const pending = this.open.get(key);
    if (pending) {
      pending.batch.messages.push(message);
      pending.batch.roomName = message.roomName;
      return;
    }
    const batch: MessageBatch = { accountId: message.accountId, roomId: message.roomId, roomName: message.roomName, isDirect: message.isDirect, messages: [message] };
    const timer = setTimeout(() => {
      this.open.delete(key);
      this.options.flush(batch);
    }, this.options.windowMs ?? BATCH_WINDOW_MS);
    this.open.set(key, { batch, timer });
  }

  /** Drops what has not been shown (the window closes, or the account went away). */
  dispose(accountId?: string): void {
    for (const [key, { batch, timer }] of this.open) {
      if (accountId !== undefined && batch.accountId !== accountId) continue;
      clearTimeout(timer);
      this.open.delete(key);
    }
  }
}
