/** flowSignal and raceAbort: flows end on timeout or cancellation, and leave no timer or listener behind. */
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_FLOW_TIMEOUT_MS, flowSignal, raceAbort, requestDeadline } from '../../../src/core/abort.ts';
import { MatrixChannelError, type ErrorKind } from '../../../src/core/errors.ts';

const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const abortListeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

/** Settles like `promise`, or fails the test if it has not settled within `ms`. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  const guard = new AbortController();
  const late = sleep(ms, undefined, { signal: guard.signal }).then(() => {
    throw new Error(`did not settle within ${ms} ms`);
  });
  late.catch(() => {});
  try {
    return await Promise.race([promise, late]);
  } finally {
    guard.abort();
  }
}

function isChannelError(kind: ErrorKind, reason?: string) {
  return (error: unknown) => {
    assert.ok(error instanceof MatrixChannelError, `expected a MatrixChannelError, got ${String(error)}`);
    assert.equal(error.kind, kind);
    if (reason !== undefined) assert.equal(error.reason, reason);
    return true;
  };
}

/** Resolves with the signal's reason once it aborts. */
function aborted(signal: AbortSignal): Promise<unknown> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));
}

describe('flowSignal', () => {
  it('defaults to five minutes', () => {
    assert.equal(DEFAULT_FLOW_TIMEOUT_MS, 300_000);
  });

  it('aborts with a timed_out MatrixChannelError after the timeout', async () => {
    const started = performance.now();
    const flow = flowSignal(undefined, 30);
    try {
      assert.equal(flow.signal.aborted, false);
      const reason = await within(2000, aborted(flow.signal));
      assert.ok(performance.now() - started >= 25, 'aborted too early');
      assert.ok(flow.signal.aborted);
      assert.ok(isChannelError('timed_out', 'Signing in did not finish within 30 ms.')(reason));
    } finally {
      flow.dispose();
    }
  });

  it('propagates an outer abort with the outer reason', async () => {
    const outer = new AbortController();
    const flow = flowSignal(outer.signal, 60_000);
    try {
      const cancel = new MatrixChannelError('cancelled', 'The user closed the dialog.');
      outer.abort(cancel);
      assert.equal(flow.signal.aborted, true);
      assert.equal(flow.signal.reason, cancel);
    } finally {
      flow.dispose();
    }
  });

  it('is aborted at once when the outer signal already is', () => {
    const outer = new AbortController();
    outer.abort();
    const flow = flowSignal(outer.signal, 60_000);
    try {
      assert.equal(flow.signal.aborted, true);
      assert.equal(flow.signal.reason, outer.signal.reason);
      assert.equal(abortListeners(outer.signal), 0);
    } finally {
      flow.dispose();
    }
  });

  it('dispose() clears the timer and removes the outer listener', async () => {
    const outer = new AbortController();
    const timersBefore = timeouts();
    const listenersBefore = abortListeners(outer.signal);
    const flow = flowSignal(outer.signal, 60_000);
    assert.equal(timeouts(), timersBefore + 1);
    assert.equal(abortListeners(outer.signal), listenersBefore + 1);
    flow.dispose();
    assert.equal(timeouts(), timersBefore);
    assert.equal(abortListeners(outer.signal), listenersBefore);
    outer.abort();
    assert.equal(flow.signal.aborted, false, 'a disposed flow no longer follows the outer signal');
  });

  it('dispose() leaves no timer behind without an outer signal, and a disposed flow never times out', async () => {
    const timersBefore = timeouts();
    const flow = flowSignal(undefined, 20);
    assert.equal(timeouts(), timersBefore + 1);
    flow.dispose();
    assert.equal(timeouts(), timersBefore);
    await sleep(60);
    assert.equal(flow.signal.aborted, false);
  });
});

describe('raceAbort', () => {
  it("resolves with the promise's value and removes its listener", async () => {
    const controller = new AbortController();
    assert.equal(await raceAbort(Promise.resolve(42), controller.signal), 42);
    assert.equal(await raceAbort(sleep(10, 'late'), controller.signal), 'late');
    assert.equal(abortListeners(controller.signal), 0);
  });

  it("passes the promise's rejection through and removes its listener", async () => {
    const controller = new AbortController();
    const failure = new Error('boom');
    await assert.rejects(raceAbort(Promise.reject(failure), controller.signal), (error) => error === failure);
    assert.equal(abortListeners(controller.signal), 0);
  });

  it('rejects with cancelled when the signal aborts first', async () => {
    const controller = new AbortController();
    const never = new Promise<string>(() => {});
    const racing = raceAbort(never, controller.signal);
    setTimeout(() => controller.abort(), 10);
    await within(2000, assert.rejects(racing, isChannelError('cancelled', 'Signing in was cancelled.')));
  });

  it('keeps a MatrixChannelError reason, and maps a timeout signal to timed_out', async () => {
    const controller = new AbortController();
    const reason = new MatrixChannelError('timed_out', 'Signing in did not finish within 300 seconds.');
    const racing = raceAbort(new Promise<never>(() => {}), controller.signal);
    controller.abort(reason);
    await assert.rejects(racing, (error) => error === reason);
    await within(
      2000,
      assert.rejects(
        raceAbort(new Promise<never>(() => {}), AbortSignal.timeout(10)),
        isChannelError('timed_out', 'Signing in took too long.'),
      ),
    );
  });

  it('rejects immediately when the signal is already aborted, without waiting for the promise', async () => {
    const controller = new AbortController();
    controller.abort();
    let settled = false;
    const racing = raceAbort(new Promise<never>(() => {}), controller.signal);
    racing
      .catch(() => {})
      .finally(() => {
        settled = true;
      });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, true);
    await assert.rejects(racing, isChannelError('cancelled'));
    assert.equal(abortListeners(controller.signal), 0);
  });

  it("does not leave an already-aborted race's later rejection unhandled", async () => {
    const controller = new AbortController();
    controller.abort();
    let rejectLater!: (error: Error) => void;
    const later = new Promise<never>((_resolve, reject) => {
      rejectLater = reject;
    });
    await assert.rejects(raceAbort(later, controller.signal), isChannelError('cancelled'));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      rejectLater(new Error('late failure'));
      await sleep(20);
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('requestDeadline', () => {
  it('follows several outer signals (a caller and a client being closed), and lets go of all of them', () => {
    const caller = new AbortController();
    const closing = new AbortController();
    const deadline = requestDeadline(60_000, [caller.signal, undefined, closing.signal]);
    assert.equal(abortListeners(caller.signal), 1);
    assert.equal(abortListeners(closing.signal), 1);
    closing.abort('closed');
    assert.equal(deadline.signal.aborted, true);
    assert.equal(deadline.signal.reason, 'closed');
    assert.equal(deadline.timedOut(), false);
    deadline.dispose();
    assert.equal(abortListeners(caller.signal), 0);
  });

  it('starts aborted when an outer signal already is', () => {
    const closed = new AbortController();
    closed.abort('gone');
    const deadline = requestDeadline(60_000, [new AbortController().signal, closed.signal]);
    assert.equal(deadline.signal.reason, 'gone');
    deadline.dispose();
  });
});
