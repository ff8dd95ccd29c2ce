/**
 * A runtime that was put away (sign-out, a new sign-in) can no longer change its account's state: neither its
 * session's late news (ended, renewal trouble) nor its live channel's states, messages or rooms get through.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LiveChannel, LiveChannelFactory } from '../../../src/core/account/account-service.ts';
import { AccountRuntime, type SessionCallbacks } from '../../../src/core/account/account-runtime.ts';
import type { AccountEvent } from '../../../src/core/account/state.ts';
import { MatrixChannelError } from '../../../src/core/errors.ts';
import { createLogger } from '../../../src/core/log.ts';
import type { ManagedSession } from '../../../src/core/session/managed-session.ts';
import type { ChannelSyncState } from '../../../src/core/sync/types.ts';
import { CHANNEL_DEFAULTS } from '../../../src/core/channel/config.ts';

/** A live channel whose state the test sets. */
function scriptedChannel() {
  const stateListeners: Array<(state: ChannelSyncState) => void> = [];
  let stops = 0;
  const channel = {
    start: () => {
      for (const listener of stateListeners) listener({ state: 'connected' });
      return Promise.resolve();
    },
    stop: () => {
      stops++;
      return Promise.resolve();
    },
    onState: (listener: (state: ChannelSyncState) => void) => {
      stateListeners.push(listener);
      return { dispose: () => {} };
    },
    onMessage: () => ({ dispose: () => {} }),
    onRooms: () => ({ dispose: () => {} }),
    onInvite: () => ({ dispose: () => {} }),
    rooms: () => [],
  } as unknown as LiveChannel;
  return {
    channel,
    emit: (state: ChannelSyncState) => stateListeners.forEach((listener) => listener(state)),
    stops: () => stops,
  };
}

function runtime(channels?: LiveChannelFactory) {
  const events: AccountEvent[] = [];
  const ended: MatrixChannelError[] = [];
  let callbacks: SessionCallbacks = {};
  let disposed = 0;
  const managed = {
    endedReason: undefined,
    session: { homeserver: 'https://hs', userId: '@a:hs', deviceId: 'D', authMode: 'password', accessToken: 't' },
    dispose: () => disposed++,
    follow: () => {},
    refresh: () => Promise.reject(new Error('nothing newer')),
  } as unknown as ManagedSession;
  const subject = new AccountRuntime(
    'a1',
    (given) => {
      callbacks = given;
      return managed;
    },
    {
      apply: (event) => events.push(event),
      ended: (reason) => ended.push(reason),
      connected: () => {},
      signedOutElsewhere: () => {},
      status: () => ({ state: 'syncing' }),
      config: () => ({ ...CHANNEL_DEFAULTS, roomAllowlist: [], userAllowlist: [], id: 'a1', homeserver: 'https://hs' }),
      message: () => {},
      roomsChanged: () => {},
      invite: () => {},
      verificationRequest: () => {},
      log: createLogger({ log: () => {} }),
      ...(channels ? { channels } : {}),
    },
  );
  return { subject, events, ended, callbacks: () => callbacks, disposed: () => disposed };
}

describe('AccountRuntime', () => {
  it('passes on its session and channel news while live', async () => {
    const live = scriptedChannel();
    const { subject, events, ended, callbacks } = runtime(() => live.channel);
    await subject.begin({ accepted: true });
    callbacks().onRenewalTrouble?.({ summary: 's', reason: 'r', retryAt: 1, failures: 1 });
    callbacks().onEnded?.(new MatrixChannelError('session_expired', 'refused'));
    assert.deepEqual(
      events.map((e) => e.type),
      ['owned', 'session_ready', 'syncing', 'connected', 'renewal_failing', 'session_ended'],
    );
    assert.equal(ended.length, 1);
  });

  it('once disposed: stops its channel and session, and nothing it owned changes the state', async () => {
    const live = scriptedChannel();
    const { subject, events, ended, callbacks, disposed } = runtime(() => live.channel);
    await subject.begin({ accepted: true });
    const before = events.length;
    void subject.dispose();
    assert.equal(live.stops(), 1);
    assert.equal(disposed(), 1);
    live.emit({ state: 'needs_sign_in', reason: 'the orphan got 401' });
    live.emit({ state: 'reconnecting', reason: 'x', retryAt: 1 });
    callbacks().onEnded?.(new MatrixChannelError('session_revoked', 'late'));
    callbacks().onRenewalTrouble?.(undefined);
    assert.equal(events.length, before, `no events after dispose: ${JSON.stringify(events.slice(before))}`);
    assert.deepEqual(ended, []);
    assert.equal(subject.channel, undefined);
  });

  it('a channel that finishes creating after the runtime was put away is stopped, never attached', async () => {
    const live = scriptedChannel();
    let create: (channel: LiveChannel) => void = () => {};
    let asked: () => void = () => {};
    const creating = new Promise<void>((resolve) => (asked = resolve));
    const { subject, events } = runtime(() => {
      asked();
      return new Promise<LiveChannel>((resolve) => (create = resolve));
    });
    const starting = subject.begin({ accepted: true });
    await creating;
    const before = events.length;
    void subject.dispose();
    create(live.channel);
    await starting;
    assert.equal(live.stops(), 1);
    assert.equal(subject.channel, undefined);
    assert.deepEqual(events.slice(before), []);
  });
});
