/**
 * The account state machine as a table: each row is a status, an event and the status that follows. The
 * renewal-in-trouble rows show what the person sees while the sign-in server is down: the account stays
 * connected (or reconnecting), the trouble rides along, and it goes with the session.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { staleReason, transition, type AccountEvent, type AccountStatus } from '../../../src/core/account/state.ts';

const renewal = { summary: 'sign-in server unavailable', reason: 'HTTP 503', retryAt: 40_000 };
const encryption = { deviceVerified: false, keyBackup: true, recovery: true };

const ROWS: Array<[string, AccountStatus, AccountEvent, AccountStatus, AccountStatus?]> = [
  ['sign-in starts', { state: 'signed_out' }, { type: 'sign_in_started' }, { state: 'authorizing' }],
  [
    'a cancelled sign-in returns to where it was',
    { state: 'authorizing' },
    { type: 'sign_in_cancelled' },
    { state: 'needs_sign_in', reason: 'expired' },
    { state: 'needs_sign_in', reason: 'expired' },
  ],
  [
    'a failed first sign-in: signed out, with the reason',
    { state: 'authorizing' },
    { type: 'sign_in_failed', reason: 'wrong password' },
    { state: 'signed_out', reason: 'wrong password' },
  ],
  [
    'a failed sign-in again: the earlier state, with the new reason',
    { state: 'authorizing' },
    { type: 'sign_in_failed', reason: 'wrong password' },
    { state: 'needs_sign_in', reason: 'wrong password' },
    { state: 'needs_sign_in', reason: 'expired' },
  ],
  ['a session is ready', { state: 'authorizing' }, { type: 'session_ready' }, { state: 'connecting' }],
  ['the first sync runs', { state: 'connecting' }, { type: 'syncing' }, { state: 'syncing' }],
  ['the first sync is in', { state: 'syncing' }, { type: 'connected' }, { state: 'connected' }],
  [
    'the connection drops',
    { state: 'connected' },
    { type: 'connection_lost', reason: 'lost', retryAt: 5 },
    { state: 'reconnecting', reason: 'lost', retryAt: 5 },
  ],
  [
    'the session ends',
    { state: 'connected' },
    { type: 'session_ended', reason: 'refused' },
    { state: 'needs_sign_in', reason: 'refused' },
  ],
  ['a failure', { state: 'connecting' }, { type: 'failed', reason: 'x' }, { state: 'error', reason: 'x' }],
  ['sign-out', { state: 'connected' }, { type: 'signed_out' }, { state: 'signed_out' }],
  [
    'renewals start failing: still connected, with the trouble',
    { state: 'connected' },
    { type: 'renewal_failing', renewal },
    { state: 'connected', renewal },
  ],
  [
    'renewal trouble without a session changes nothing',
    { state: 'needs_sign_in', reason: 'r' },
    { type: 'renewal_failing', renewal },
    { state: 'needs_sign_in', reason: 'r' },
  ],
  ['a renewal works again', { state: 'connected', renewal }, { type: 'renewed' }, { state: 'connected' }],
  [
    'the token expires during the trouble: reconnecting keeps it',
    { state: 'connected', renewal },
    { type: 'connection_lost', reason: 'waiting', retryAt: 9 },
    { state: 'reconnecting', reason: 'waiting', retryAt: 9, renewal },
  ],
  [
    'back to connected, still in trouble',
    { state: 'reconnecting', reason: 'waiting', renewal },
    { type: 'connected' },
    { state: 'connected', renewal },
  ],
  [
    'the session ends: the trouble goes with it',
    { state: 'connected', renewal },
    { type: 'session_ended', reason: 'refused' },
    { state: 'needs_sign_in', reason: 'refused' },
  ],
  ['sign-out ends it too', { state: 'connected', renewal }, { type: 'signed_out' }, { state: 'signed_out' }],
  [
    'a new session starts without it',
    { state: 'connected', renewal },
    { type: 'session_ready' },
    { state: 'connecting' },
  ],
  [
    'following another window: its state, marked live',
    { state: 'connecting' },
    { type: 'followed', status: { state: 'connected', since: 5 }, current: true },
    { state: 'connected', follows: 'live' },
  ],
  [
    'following, with the owner in renewal trouble',
    { state: 'connected', follows: 'live' },
    { type: 'followed', status: { state: 'reconnecting', reason: 'r', retryAt: 7, renewal }, current: true },
    { state: 'reconnecting', reason: 'r', retryAt: 7, renewal, follows: 'live' },
  ],
  [
    'nobody owns it and these tokens are old: stale, with what to do',
    { state: 'connected', follows: 'live' },
    { type: 'followed', current: false },
    { state: 'connected', reason: staleReason(), follows: 'stale' },
  ],
  ['owning it again', { state: 'connected', follows: 'live' }, { type: 'owned' }, { state: 'connected' }],
  [
    "the encryption's status arrives: shown alongside",
    { state: 'connected' },
    { type: 'encryption', encryption },
    { state: 'connected', encryption },
  ],
  [
    'it rides along while the session lasts',
    { state: 'connected', encryption },
    { type: 'connection_lost', reason: 'lost' },
    { state: 'reconnecting', reason: 'lost', encryption },
  ],
  [
    'a new status replaces the old',
    { state: 'connected', encryption },
    { type: 'encryption', encryption: { ...encryption, deviceVerified: true } },
    { state: 'connected', encryption: { ...encryption, deviceVerified: true } },
  ],
  ['and goes with the session', { state: 'connected', encryption }, { type: 'signed_out' }, { state: 'signed_out' }],
  [
    'a status for an account without a session changes nothing',
    { state: 'needs_sign_in', reason: 'r' },
    { type: 'encryption', encryption },
    { state: 'needs_sign_in', reason: 'r' },
  ],
  [
    "a follower shows the owner's",
    { state: 'connecting' },
    { type: 'followed', status: { state: 'connected', encryption }, current: true },
    { state: 'connected', encryption, follows: 'live' },
  ],
];

describe('account state', () => {
  for (const [name, from, event, expected, before] of ROWS) {
    it(name, () => {
      assert.deepEqual(transition(from, event, before), expected);
    });
  }
});
