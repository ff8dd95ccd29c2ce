/**
 * Windows sharing accounts, through the extension's global storage (one directory for every window of this
 * VS Code): a lease per account says which window owns its session, and a small JSON file per account holds what
 * the owner publishes (state, rooms, the current token pair's generation; never a token).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccountCoordination, AccountMirror } from '../core/account/coordination.ts';
import type { WindowLease } from './window-lease.ts';

export class FileAccountCoordination implements AccountCoordination {
  private ready?: Promise<unknown>;
  private writes = 0;

  constructor(
    private readonly lease: WindowLease,
    private readonly directory: string,
  ) {}

  own(accountId: string, options: { takeOver?: boolean } = {}): Promise<boolean> {
    return this.lease.holds(leaseKey(accountId), options);
  }

  ownedElsewhere(accountId: string): Promise<boolean> {
    return this.lease.heldElsewhere(leaseKey(accountId));
  }

  release(accountId: string): Promise<void> {
    return this.lease.release(leaseKey(accountId));
  }

  async publish(accountId: string, mirror: AccountMirror): Promise<void> {
    this.ready ??= mkdir(this.directory, { recursive: true });
    await this.ready;
    // Written aside and renamed: a reader never sees half a file.
    const path = this.pathOf(accountId);
    const partial = `${path}.${this.lease.windowId}.${++this.writes}.tmp`;
    await writeFile(partial, JSON.stringify(mirror));
    await rename(partial, path);
  }

  async read(accountId: string): Promise<AccountMirror | undefined> {
    const text = await readFile(this.pathOf(accountId), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      const mirror = JSON.parse(text) as AccountMirror;
      return typeof mirror === 'object' && mirror !== null && typeof mirror.status?.state === 'string'
        ? mirror
        : undefined;
    } catch {
      return undefined;
    }
  }

  private pathOf(accountId: string): string {
    return join(this.directory, `${encodeURIComponent(accountId)}.json`);
  }
}

function leaseKey(accountId: string): string {
  return `session:${accountId}`;
}
