/**
 * Encrypted events waiting for their keys: each is heard once more when it decrypts (its key arrived, from
 * the sender's device or a backup), and one whose key is usually just behind it gets a deadline after which
 * it is given up on (shown as unreadable). Nothing is left behind on dispose: no timer, no listener.
 */
import { mayStillDecrypt } from '../crypto/undecryptable.ts';
import type { NamedEmitter } from '../events.ts';

type Room = import('matrix-js-sdk').Room;
type MatrixEvent = import('matrix-js-sdk').MatrixEvent;

/** matrix-js-sdk's MatrixEventEvent.Decrypted (a string, so this needs no SDK at load). */
const DECRYPTED = 'Event.decrypted';

export interface KeyWaitsOptions {
  decrypted(event: MatrixEvent, room: Room, historyBefore: number): void;
  gaveUp(event: MatrixEvent, room: Room, historyBefore: number): void;
  waitMs(): number;
}

interface Waiting {
  timer?: ReturnType<typeof setTimeout>;
  listener: () => void;
  event: MatrixEvent;
}

/** Beyond this many waiting events, the oldest stops waiting (a flood of unreadable messages stays bounded). */
const MAX_WAITING = 500;

export class KeyWaits {
  private readonly waiting = new Map<string, Waiting>();

  constructor(private readonly options: KeyWaitsOptions) {}

  /** Waits for `event`'s key (it failed to decrypt just now). */
  await(event: MatrixEvent, room: Room, historyBefore: number): void {
    const eventId = event.getId();
    if (!eventId || this.waiting.has(eventId)) return;
    const entry: Waiting = {
      event,
      listener: () => {
        if (event.isDecryptionFailure()) return;
        this.stop(eventId);
        this.options.decrypted(event, room, historyBefore);
      },
    };
    if (mayStillDecrypt(event.decryptionFailureReason)) {
      entry.timer = setTimeout(() => {
        entry.timer = undefined;
        this.options.gaveUp(event, room, historyBefore);
      }, this.options.waitMs());
      (entry.timer as { unref?: () => void }).unref?.();
    }
    (event as unknown as NamedEmitter).on(DECRYPTED, entry.listener);
    this.waiting.set(eventId, entry);
    if (this.waiting.size > MAX_WAITING) this.stop(this.waiting.keys().next().value!);
  }

  get size(): number {
    return this.waiting.size;
  }

  dispose(): void {
    for (const eventId of [...this.waiting.keys()]) this.stop(eventId);
  }

  private stop(eventId: string): void {
    const entry = this.waiting.get(eventId);
    if (!entry) return;
    this.waiting.delete(eventId);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    (entry.event as unknown as NamedEmitter).off(DECRYPTED, entry.listener);
  }
}
