/**
 * Media a room view has loaded, kept while it fits: a view scrolling through a long history of images asks again
 * for the ones it showed before, and should not keep all of them. Least recently used first out, bounded by the
 * bytes held. Requests for a key already on its way share that one load (an avatar shown on every message).
 */
import type { Media } from './media-download.ts';

export const DEFAULT_MEDIA_CACHE_BYTES = 16 * 1024 * 1024;

export class MediaCache<V extends { bytes: Uint8Array } = Media> {
  /** In use order, least recent first (a Map keeps insertion order; a hit moves its key to the end). */
  private readonly entries = new Map<string, V>();
  private readonly loading = new Map<string, Promise<V>>();
  private held = 0;
  /** Bumped by clear(): loads begun before it do not fill the cache after it. */
  private generation = 0;

  constructor(readonly maxBytes = DEFAULT_MEDIA_CACHE_BYTES) {}

  /**
   * The value for `key`: held, already loading, or loaded now with `load`. A failed load is not kept: the next
   * request tries again. Everyone waiting on a load shares its outcome.
   */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const held = this.peek(key);
    if (held) return Promise.resolve(held);
    const pending = this.loading.get(key);
    if (pending) return pending;
    const generation = this.generation;
    const loaded = load().then(
      (value) => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
        if (generation === this.generation) this.set(key, value);
        return value;
      },
      (error: unknown) => {
        if (this.loading.get(key) === loaded) this.loading.delete(key);
        throw error;
      },
    );
    this.loading.set(key, loaded);
    return loaded;
  }

  /** The value held for `key` (now the most recently used), without loading. */
  peek(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Holds `value`, then lets the least recently used go until the bound holds. One larger than it all is not held. */
  set(key: string, value: V): void {
    this.delete(key);
    const size = value.bytes.byteLength;
    if (size > this.maxBytes) return;
    this.entries.set(key, value);
    this.held += size;
    for (const [oldest, old] of this.entries) {
      if (this.held <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.held -= old.bytes.byteLength;
    }
  }

  delete(key: string): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    this.held -= value.bytes.byteLength;
  }

  clear(): void {
    this.entries.clear();
    this.loading.clear();
    this.held = 0;
    this.generation++;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.held;
  }

  /** Keys held, least recently used first. */
  keys(): string[] {
    return [...this.entries.keys()];
  }
}
