/**
 * A live channel's run as a table: each row is a phase, an event, the phase that follows and what the account
 * shows then; and, for every phase, which events count as history and whether the next attempt bootstraps.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  historyBefore,
  needsBootstrap,
  nextPhase,
  shownState,
  type SyncEvent,
  type SyncPhase,
} from '../../../src/core/sync/sync-machine.ts';
import type { ChannelSyncState } from '../../../src/core/sync/types.ts';

const lost = { type: 'failed', reason: 'lost', retryAt: 9 } as const;
const reconnecting: ChannelSyncState = { state: 'reconnecting', reason: 'lost', retryAt: 9 };
const resumeToken = { bootstrap: false, historyBefore: 0 } as const;

const ROWS: Array<[string, SyncPhase, SyncEvent, SyncPhase, ChannelSyncState | undefined]> = [
  ['a start', { name: 'idle' }, { type: 'start', at: 100 }, { name: 'starting', startedAt: 100 }, undefined],
  [
    'a stored token: the first response is a catch-up, judged by the start',
    { name: 'starting', startedAt: 100 },
    { type: 'ready', hasToken: true },
    { name: 'catching_up', historyBefore: 100 },
    { state: 'syncing' },
  ],
  [
    'no token: a bootstrap first',
    { name: 'starting', startedAt: 100 },
    { type: 'ready', hasToken: false },
    { name: 'bootstrapping', startedAt: 100 },
    { state: 'syncing' },
  ],
  [
    'bootstrapped: its first response is judged like a catch-up (the token may predate accepted events)',
    { name: 'bootstrapping', startedAt: 100 },
    { type: 'bootstrapped' },
    { name: 'first_sync', historyBefore: 100 },
    { state: 'syncing' },
  ],
  [
    'the catch-up is in',
    { name: 'catching_up', historyBefore: 100 },
    { type: 'synced' },
    { name: 'live' },
    { state: 'connected' },
  ],
  [
    'the first response after a bootstrap',
    { name: 'first_sync', historyBefore: 100 },
    { type: 'synced' },
    { name: 'live' },
    { state: 'connected' },
  ],
  ['more responses', { name: 'live' }, { type: 'synced' }, { name: 'live' }, { state: 'connected' }],
  [
    'a failure while live: paused, resuming live',
    { name: 'live' },
    lost,
    { name: 'paused', reason: 'lost', retryAt: 9, resume: resumeToken },
    reconnecting,
  ],
  [
    'a failure during the catch-up: the catch-up is still to come, judged as before',
    { name: 'catching_up', historyBefore: 100 },
    lost,
    { name: 'paused', reason: 'lost', retryAt: 9, resume: { bootstrap: false, historyBefore: 100 } },
    reconnecting,
  ],
  [
    'a failed bootstrap: bootstrapped again',
    { name: 'bootstrapping', startedAt: 100 },
    lost,
    { name: 'paused', reason: 'lost', retryAt: 9, resume: { bootstrap: true, startedAt: 100 } },
    reconnecting,
  ],
  [
    'a failure while paused is the same pause',
    { name: 'paused', reason: 'lost', retryAt: 9, resume: resumeToken },
    { type: 'failed', reason: 'other', retryAt: 50 },
    { name: 'paused', reason: 'lost', retryAt: 9, resume: resumeToken },
    reconnecting,
  ],
  [
    'the retry: still reconnecting until a response is in',
    { name: 'paused', reason: 'lost', retryAt: 9, resume: resumeToken },
    { type: 'retry' },
    { name: 'retrying', reason: 'lost', retryAt: 9, resume: resumeToken },
    reconnecting,
  ],
  [
    'a retried bootstrap that worked: the token next, judged from the start',
    { name: 'retrying', reason: 'lost', retryAt: 9, resume: { bootstrap: true, startedAt: 100 } },
    { type: 'bootstrapped' },
    { name: 'retrying', reason: 'lost', retryAt: 9, resume: { bootstrap: false, historyBefore: 100 } },
    reconnecting,
  ],
  [
    'a retry that fails: paused again, resuming as it would have',
    { name: 'retrying', reason: 'lost', retryAt: 9, resume: { bootstrap: true, startedAt: 100 } },
    { type: 'failed', reason: 'again', retryAt: 20 },
    { name: 'paused', reason: 'again', retryAt: 20, resume: { bootstrap: true, startedAt: 100 } },
    { state: 'reconnecting', reason: 'again', retryAt: 20 },
  ],
  [
    'a retry that works',
    { name: 'retrying', reason: 'lost', retryAt: 9, resume: resumeToken },
    { type: 'synced' },
    { name: 'live' },
    { state: 'connected' },
  ],
  [
    'our own pause stops the SDK: not news',
    { name: 'paused', reason: 'lost', retryAt: 9, resume: resumeToken },
    { type: 'sdk_stopped' },
    { name: 'paused', reason: 'lost', retryAt: 9, resume: resumeToken },
    reconnecting,
  ],
  [
    'the SDK stopping otherwise ends the run',
    { name: 'live' },
    { type: 'sdk_stopped' },
    { name: 'stopped' },
    { state: 'stopped' },
  ],
  [
    'the session is over',
    { name: 'live' },
    { type: 'session_over', reason: 'signed out elsewhere' },
    { name: 'needs_sign_in', reason: 'signed out elsewhere' },
    { state: 'needs_sign_in', reason: 'signed out elsewhere' },
  ],
  [
    'needing sign-in is final',
    { name: 'needs_sign_in', reason: 'x' },
    { type: 'synced' },
    { name: 'needs_sign_in', reason: 'x' },
    { state: 'needs_sign_in', reason: 'x' },
  ],
  [
    'a stop, while starting',
    { name: 'starting', startedAt: 1 },
    { type: 'stop' },
    { name: 'stopped' },
    { state: 'stopped' },
  ],
  ['a stop is final', { name: 'stopped' }, { type: 'start', at: 5 }, { name: 'stopped' }, { state: 'stopped' }],
  [
    'a second start is the same start',
    { name: 'live' },
    { type: 'start', at: 5 },
    { name: 'live' },
    { state: 'connected' },
  ],
  ['a retry with nothing paused', { name: 'live' }, { type: 'retry' }, { name: 'live' }, { state: 'connected' }],
  [
    'no failure before the loop is on',
    { name: 'starting', startedAt: 1 },
    lost,
    { name: 'starting', startedAt: 1 },
    undefined,
  ],
];

describe('the sync run as a state machine', () => {
  for (const [what, phase, event, next, shown] of ROWS) {
    it(what, () => {
      const result = nextPhase(phase, event);
      assert.deepEqual(result, next);
      assert.deepEqual(shownState(result), shown);
      if (JSON.stringify(next) === JSON.stringify(phase)) assert.equal(result, phase, 'unchanged: the same object');
    });
  }

  it('judges events as history only in the first response after a start (or about to be retried)', () => {
    const table: Array<[SyncPhase, number, boolean]> = [
      [{ name: 'catching_up', historyBefore: 100 }, 100, false],
      [{ name: 'paused', reason: 'x', retryAt: 1, resume: { bootstrap: false, historyBefore: 100 } }, 100, false],
      [{ name: 'retrying', reason: 'x', retryAt: 1, resume: { bootstrap: false, historyBefore: 100 } }, 100, false],
      [{ name: 'bootstrapping', startedAt: 100 }, 0, true],
      [{ name: 'paused', reason: 'x', retryAt: 1, resume: { bootstrap: true, startedAt: 100 } }, 0, true],
      [{ name: 'first_sync', historyBefore: 100 }, 100, false],
      [{ name: 'live' }, 0, false],
      [{ name: 'starting', startedAt: 100 }, 0, false],
    ];
    for (const [phase, before, bootstrap] of table) {
      assert.equal(historyBefore(phase), before, phase.name);
      assert.equal(needsBootstrap(phase), bootstrap, phase.name);
    }
  });
});
