/**
 * A cross-window lock for token refreshes: every VS Code window runs its own extension host, and two of
 * them spending the same refresh token would end the session on servers that detect replay. The lock is a
 * directory in the extension's global storage (mkdir is atomic); a lock older than 30 s is stale.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RefreshLock } from '../core/session/managed-session.ts';

const STALE_MS = 30_000;
const WAIT_MS = 50;

export class DirectoryRefreshLock implements RefreshLock {
  constructor(private readonly directory: string) {}

  async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    await mkdir(this.directory, { recursive: true });
    const path = join(this.directory, `${encodeURIComponent(key)}.lock`);
    await this.acquire(path);
    try {
      return await fn();
    } finally {
      await rm(path, { recursive: true, force: true });
    }
  }

  private async acquire(path: string): Promise<void> {
    const deadline = Date.now() + STALE_MS;
    for (;;) {
      try {
        await mkdir(path);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const age = await stat(path).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_MS || Date.now() > deadline) await rm(path, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
    }
  }
}
