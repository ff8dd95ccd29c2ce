/**
 * PendingAuthorizations: the single-use table of authorization requests waiting for their redirect. Only a
 * known state settles anything, and it settles exactly once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { PendingAuthorizations } from '../../../src/core/auth/oauth/pending.ts';
import { MatrixChannelError, type ErrorKind } from '../../../src/core/errors.ts';

const CALLBACK = 'http://127.0.0.1:43123/callback';
const INVALID_LINK = 'This sign-in link is not valid or was already used. Start signing in again from the editor.';

function callback(params: Record<string, string>): URL {
  const url = new URL(CALLBACK);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url;
}

type Settled = { status: 'pending' } | { status: 'resolved'; value: URL } | { status: 'rejected'; error: unknown };

/** Tracks a waiter's promise so a test can ask, after a macrotask, whether and how it settled. */
function track(promise: Promise<URL>): { readonly state: Settled } {
  const tracker: { state: Settled } = { state: { status: 'pending' } };
  promise.then(
    (value) => {
      tracker.state = { status: 'resolved', value };
    },
    (error: unknown) => {
      tracker.state = { status: 'rejected', error };
    },
  );
  return tracker;
}

/** Lets every already-queued promise reaction run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function assertChannelError(
  error: unknown,
  kind: ErrorKind,
  reason: string,
  code?: string,
): asserts error is MatrixChannelError {
  assert.ok(error instanceof MatrixChannelError, `expected a MatrixChannelError, got ${String(error)}`);
  assert.equal(error.kind, kind);
  assert.equal(error.reason, reason);
  assert.equal(error.code, code);
}

describe('PendingAuthorizations', () => {
  it('resolves the waiter with the callback URL and forgets the state', async () => {
    const pending = new PendingAuthorizations();
    const waiting = pending.expect('state-1');
    assert.equal(pending.size, 1);
    const url = callback({ code: 'the-code', state: 'state-1' });
    assert.deepEqual(pending.deliver(url), { status: 'accepted' });
    assert.equal(pending.size, 0);
    const received = await waiting;
    assert.equal(received, url);
    assert.equal(received.searchParams.get('code'), 'the-code');
  });

  it('settles only the waiter whose state the callback carries', async () => {
    const pending = new PendingAuthorizations();
    const first = track(pending.expect('state-a'));
    const second = track(pending.expect('state-b'));
    assert.deepEqual(pending.deliver(callback({ code: 'c', state: 'state-b' })), { status: 'accepted' });
    await settle();
    assert.equal(first.state.status, 'pending');
    assert.equal(second.state.status, 'resolved');
    assert.equal(pending.size, 1);
  });

  it('rejects an unknown state with 400 and settles no waiter', async () => {
    const pending = new PendingAuthorizations();
    const waiter = track(pending.expect('state-1'));
    assert.deepEqual(pending.deliver(callback({ code: 'c', state: 'forged' })), {
      status: 'rejected',
      httpStatus: 400,
      message: INVALID_LINK,
    });
    await settle();
    assert.equal(waiter.state.status, 'pending');
    assert.equal(pending.size, 1);
    pending.cancel('state-1');
  });

  it('rejects a callback without state (or with an empty one) with 400 and settles no waiter', async () => {
    const pending = new PendingAuthorizations();
    const waiter = track(pending.expect('state-1'));
    for (const url of [
      callback({ code: 'c' }),
      callback({ code: 'c', state: '' }),
      callback({ error: 'access_denied' }),
    ]) {
      assert.deepEqual(pending.deliver(url), { status: 'rejected', httpStatus: 400, message: INVALID_LINK }, url.href);
    }
    await settle();
    assert.equal(waiter.state.status, 'pending');
    assert.equal(pending.size, 1);
    pending.cancel('state-1');
  });

  it('rejects a replay of an accepted state', async () => {
    const pending = new PendingAuthorizations();
    const waiting = pending.expect('state-1');
    const url = callback({ code: 'c', state: 'state-1' });
    assert.deepEqual(pending.deliver(url), { status: 'accepted' });
    assert.deepEqual(pending.deliver(url), { status: 'rejected', httpStatus: 400, message: INVALID_LINK });
    assert.deepEqual(pending.deliver(callback({ code: 'other', state: 'state-1' })), {
      status: 'rejected',
      httpStatus: 400,
      message: INVALID_LINK,
    });
    assert.equal(await waiting, url);
  });

  it('ends the flow at once with consent_denied on error=access_denied', async () => {
    const pending = new PendingAuthorizations();
    const waiter = track(pending.expect('state-1'));
    const outcome = pending.deliver(
      callback({ error: 'access_denied', error_description: 'The user said no', state: 'state-1' }),
    );
    assert.equal(pending.size, 0);
    // Rejected synchronously by deliver(): settled once the queued reactions run, with no timeout involved.
    await settle();
    assert.equal(waiter.state.status, 'rejected');
    const error = waiter.state.status === 'rejected' ? waiter.state.error : undefined;
    assertChannelError(error, 'consent_denied', 'Access was denied on the sign-in page.', 'access_denied');
    assert.deepEqual(outcome, { status: 'rejected', httpStatus: 400, message: error.message });
    assert.match(error.message, /^Access was denied on the sign-in page\. Sign in again and allow access/);
  });

  it('reports any other error as authorization_failed with the code and description', async () => {
    const pending = new PendingAuthorizations();
    const waiting = pending.expect('state-1');
    const outcome = pending.deliver(
      callback({ error: 'invalid_scope', error_description: 'device scope missing', state: 'state-1' }),
    );
    const reason = 'The sign-in server reported invalid_scope: device scope missing.';
    await assert.rejects(waiting, (error: unknown) => {
      assertChannelError(error, 'authorization_failed', reason, 'invalid_scope');
      assert.deepEqual(outcome, { status: 'rejected', httpStatus: 400, message: error.message });
      return true;
    });
    assert.equal(pending.size, 0);
  });

  it('reports an error without description by its code alone', async () => {
    const pending = new PendingAuthorizations();
    const waiting = pending.expect('state-1');
    pending.deliver(callback({ error: 'server_error', state: 'state-1' }));
    await assert.rejects(waiting, (error: unknown) => {
      assertChannelError(error, 'authorization_failed', 'The sign-in server reported server_error.', 'server_error');
      return true;
    });
  });

  it('fails the flow when the callback carries neither code nor error', async () => {
    const pending = new PendingAuthorizations();
    const waiting = pending.expect('state-1');
    const outcome = pending.deliver(callback({ state: 'state-1' }));
    await assert.rejects(waiting, (error: unknown) => {
      assertChannelError(error, 'authorization_failed', 'The sign-in server sent no authorization code.');
      assert.deepEqual(outcome, { status: 'rejected', httpStatus: 400, message: error.message });
      return true;
    });
    assert.equal(pending.size, 0);
  });

  it('cancel() removes the waiter, and a later callback for it is rejected', async () => {
    const pending = new PendingAuthorizations();
    const waiter = track(pending.expect('state-1'));
    assert.equal(pending.size, 1);
    pending.cancel('state-1');
    assert.equal(pending.size, 0);
    assert.deepEqual(pending.deliver(callback({ code: 'c', state: 'state-1' })), {
      status: 'rejected',
      httpStatus: 400,
      message: INVALID_LINK,
    });
    await sleep(5);
    assert.equal(waiter.state.status, 'pending');
    pending.cancel('never-expected'); // harmless
    assert.equal(pending.size, 0);
  });

  it('refuses to wait twice for the same state, keeping the first waiter', async () => {
    const pending = new PendingAuthorizations();
    const first = pending.expect('state-1');
    assert.throws(() => pending.expect('state-1'), { message: 'state already pending' });
    assert.equal(pending.size, 1);
    const url = callback({ code: 'c', state: 'state-1' });
    pending.deliver(url);
    assert.equal(await first, url);
    // Once settled, the state may be used again.
    const again = pending.expect('state-1');
    pending.cancel('state-1');
    assert.equal(pending.size, 0);
    void again;
  });
});
