import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Backoff, SYNC_BACKOFF } from '../../../src/core/sync/backoff.ts';
import { transition } from '../../../src/core/account/state.ts';

describe('sync backoff', () => {
  it('starts at 5 s and doubles to 5 min', () => {
    const backoff = new Backoff();
    const delays = Array.from({ length: 9 }, (_, i) => backoff.failure(i));
    assert.deepEqual(delays, [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
    assert.equal(SYNC_BACKOFF.healthyMs, 60_000);
  });

  it('resets after a healthy minute, not after a shorter spell', () => {
    const backoff = new Backoff();
    backoff.failure(0);
    backoff.failure(1);
    backoff.healthy(1_000);
    assert.equal(backoff.failure(30_000), 20_000, 'healthy for 29 s: keeps doubling');
    backoff.healthy(40_000);
    backoff.healthy(70_000); // still the same healthy spell, counted from its start
    assert.equal(backoff.failure(100_000), 5_000, 'healthy for a minute: back to 5 s');
    assert.equal(backoff.failure(100_001), 10_000);
  });

  it('the account state follows the channel: syncing, connected, reconnecting with the retry time', () => {
    let status = transition({ state: 'connecting' }, { type: 'syncing' });
    assert.deepEqual(status, { state: 'syncing' });
    status = transition(status, { type: 'connected' });
    assert.deepEqual(status, { state: 'connected' });
    status = transition(status, { type: 'connection_lost', reason: 'lost', retryAt: 123 });
    assert.deepEqual(status, { state: 'reconnecting', reason: 'lost', retryAt: 123 });
  });
});
