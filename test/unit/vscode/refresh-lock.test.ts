import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DirectoryRefreshLock } from '../../../src/vscode/refresh-lock.ts';

describe('cross-window refresh lock', () => {
  it('never lets two holders of the same key overlap, across lock instances (windows)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lock-'));
    const windows = [new DirectoryRefreshLock(dir), new DirectoryRefreshLock(dir), new DirectoryRefreshLock(dir)];
    let inside = 0;
    let maxInside = 0;
    const order: number[] = [];
    await Promise.all(
      windows.map((lock, i) =>
        lock.withLock('account-1', async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await sleep(30);
          order.push(i);
          inside--;
        }),
      ),
    );
    assert.equal(maxInside, 1);
    assert.equal(order.length, 3);
    await rm(dir, { recursive: true, force: true });
  });

  it('does not serialise different accounts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lock-'));
    const lock = new DirectoryRefreshLock(dir);
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      ['a', 'b'].map((key) =>
        lock.withLock(key, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await sleep(30);
          inside--;
        }),
      ),
    );
    assert.equal(maxInside, 2);
    await rm(dir, { recursive: true, force: true });
  });

  it('breaks a stale lock left by a window that died, and releases on failure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lock-'));
    const stale = join(dir, 'account-1.lock');
    await mkdir(stale, { recursive: true });
    const old = new Date(Date.now() - 60_000);
    await utimes(stale, old, old);
    const lock = new DirectoryRefreshLock(dir);
    const started = Date.now();
    assert.equal(await lock.withLock('account-1', async () => 'ran'), 'ran');
    assert.ok(Date.now() - started < 1_000);
    await assert.rejects(
      lock.withLock('account-1', async () => {
        throw new Error('refresh failed');
      }),
      /refresh failed/,
    );
    assert.equal(await lock.withLock('account-1', async () => 'again'), 'again', 'the failed holder released the lock');
    await rm(dir, { recursive: true, force: true });
  });
});
