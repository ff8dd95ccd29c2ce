import assert from 'node:assert/strict';
import { mkdtemp, readFile, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { WindowLease } from '../../../src/vscode/window-lease.ts';

const leases: WindowLease[] = [];
after(async () => {
  await Promise.all(leases.map((lease) => lease.dispose()));
});

async function windows(count: number, staleMs = 30_000): Promise<{ dir: string; windows: WindowLease[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'lease-'));
  const made = Array.from(
    { length: count },
    (_, i) => new WindowLease({ directory: dir, windowId: `window-${i}`, staleMs }),
  );
  leases.push(...made);
  return { dir, windows: made };
}

describe('one window speaks for an account (window lease)', () => {
  it('exactly one of several windows asking at once gets an account, and keeps it', async () => {
    const { windows: all } = await windows(4);
    const first = await Promise.all(all.map((lease) => lease.holds('account-1')));
    assert.equal(first.filter(Boolean).length, 1, `holders: ${JSON.stringify(first)}`);
    const again = await Promise.all(all.map((lease) => lease.holds('account-1')));
    assert.deepEqual(again, first);
  });

  it('accounts are leased independently', async () => {
    const {
      windows: [a, b],
    } = await windows(2);
    assert.equal(await a!.holds('account-1'), true);
    assert.equal(await b!.holds('account-2'), true);
    assert.equal(await b!.holds('account-1'), false);
  });

  it('the focused window takes over; the previous holder then stays quiet', async () => {
    const {
      windows: [a, b],
    } = await windows(2);
    assert.equal(await a!.holds('account-1'), true);
    assert.equal(await b!.holds('account-1', { takeOver: true }), true);
    assert.equal(await a!.holds('account-1'), false);
  });

  it('a lease nobody renewed (a crashed window) is taken by the next window', async () => {
    const {
      dir,
      windows: [a, b],
    } = await windows(2, 1_000);
    assert.equal(await a!.holds('account-1'), true);
    const old = new Date(Date.now() - 5_000);
    await utimes(join(dir, 'account-1', 'owner'), old, old);
    assert.equal(await b!.holds('account-1'), true);
    assert.equal(await readFile(join(dir, 'account-1', 'owner'), 'utf8'), 'window-1');
  });

  it('a closing window gives its leases up, so another takes them at once', async () => {
    const {
      windows: [a, b],
    } = await windows(2);
    assert.equal(await a!.holds('account-1'), true);
    assert.equal(await b!.holds('account-1'), false);
    await a!.dispose();
    assert.equal(await b!.holds('account-1'), true);
  });

  it('keys with path characters stay inside the lease directory', async () => {
    const {
      dir,
      windows: [a],
    } = await windows(1);
    assert.equal(await a!.holds('../escape/account'), true);
    assert.equal(await readFile(join(dir, encodeURIComponent('../escape/account'), 'owner'), 'utf8'), 'window-0');
  });
});
