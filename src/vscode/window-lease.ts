/**
 * Which window holds something shared between VS Code windows (each runs its own extension host): here, which
 * window owns an account's session. The lease is a directory in global storage (mkdir is atomic) holding the
 * owner's window id; the owner renews it, a lease not renewed for 30 s is free, and a window may take it over.
 * No vscode import: tested in Node.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface WindowLeaseOptions {
  directory: string;
  windowId?: string;
  staleMs?: number;
}

export class WindowLease {
  readonly windowId: string;
  private readonly staleMs: number;
  private readonly held = new Set<string>();
  private readonly renewal: ReturnType<typeof setInterval>;
  /** The lease directory, made once (every notification asks). */
  private directoryReady?: Promise<unknown>;

  constructor(private readonly options: WindowLeaseOptions) {
    this.windowId = options.windowId ?? randomUUID();
    this.staleMs = options.staleMs ?? 30_000;
    this.renewal = setInterval(() => void this.renew(), this.staleMs / 3);
    this.renewal.unref?.();
  }

  /** Whether this window speaks for `key` now, taking the lease when it is free (or `takeOver`). */
  async holds(key: string, options: { takeOver?: boolean } = {}): Promise<boolean> {
    const path = this.pathOf(key);
    this.directoryReady ??= mkdir(this.options.directory, { recursive: true }).catch((error: unknown) => {
      this.directoryReady = undefined;
      throw error;
    });
    await this.directoryReady;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await this.claim(path)) return this.took(key);
      const owner = await readFile(join(path, 'owner'), 'utf8').catch(() => undefined);
      if (owner === this.windowId) return this.took(key);
      if (options.takeOver) {
        await writeFile(join(path, 'owner'), this.windowId);
        return this.took(key);
      }
      const age = await stat(owner === undefined ? path : join(path, 'owner')).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age <= this.staleMs) break;
      await rm(path, { recursive: true, force: true });
    }
    this.held.delete(key);
    return false;
  }

  /** Whether another window holds `key` now (a lease not renewed for a while is nobody's). */
  async heldElsewhere(key: string): Promise<boolean> {
    const owner = join(this.pathOf(key), 'owner');
    const holder = await readFile(owner, 'utf8').catch(() => undefined);
    if (holder === undefined || holder === this.windowId) return false;
    const age = await stat(owner).then(
      (s) => Date.now() - s.mtimeMs,
      () => Infinity,
    );
    return age <= this.staleMs;
  }

  /** Gives up `key` if this window holds it. */
  async release(key: string): Promise<void> {
    this.held.delete(key);
    const owner = await readFile(join(this.pathOf(key), 'owner'), 'utf8').catch(() => undefined);
    if (owner === this.windowId) await rm(this.pathOf(key), { recursive: true, force: true });
  }

  /** Gives up every lease this window holds (the window closes). */
  async dispose(): Promise<void> {
    clearInterval(this.renewal);
    await Promise.all(
      [...this.held].map(async (key) => {
        const owner = await readFile(join(this.pathOf(key), 'owner'), 'utf8').catch(() => undefined);
        if (owner === this.windowId) await rm(this.pathOf(key), { recursive: true, force: true });
      }),
    );
    this.held.clear();
  }

  private async claim(path: string): Promise<boolean> {
    try {
      await mkdir(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    await writeFile(join(path, 'owner'), this.windowId);
    return true;
  }

  private took(key: string): true {
    this.held.add(key);
    return true;
  }

  private async renew(): Promise<void> {
    const now = new Date();
    for (const key of this.held) {
      const owner = join(this.pathOf(key), 'owner');
      if ((await readFile(owner, 'utf8').catch(() => undefined)) === this.windowId)
        await utimes(owner, now, now).catch(() => {});
      else this.held.delete(key);
    }
  }

  private pathOf(key: string): string {
    return join(this.options.directory, encodeURIComponent(key));
  }
}
