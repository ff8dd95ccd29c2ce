/** RunLifecycle: one start at a time, a stop that wins over a start in progress, a stop for good. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunLifecycle } from '../../../src/core/sync/lifecycle.ts';

/** A start that waits until `finish()`, recording the signal it was given. */
function gatedStart() {
  const signals: AbortSignal[] = [];
  let finish = () => {};
  const begin = (signal: AbortSignal) => {
    signals.push(signal);
    return new Promise<void>((resolve) => (finish = resolve));
  };
  return { begin, signals, finish: () => finish() };
}

describe('RunLifecycle', () => {
  it('concurrent starts are one start', async () => {
    const lifecycle = new RunLifecycle(() => {});
    const gate = gatedStart();
    const first = lifecycle.start(gate.begin);
    const second = lifecycle.start(gate.begin);
    assert.equal(gate.signals.length, 1);
    assert.equal(lifecycle.running, true);
    gate.finish();
    await Promise.all([first, second]);
    await lifecycle.start(gate.begin);
    assert.equal(gate.signals.length, 1, 'a start while running is that run');
  });

  it('a stop during a start aborts its signal and ends the run; a stop for good is final', async () => {
    let ended = 0;
    const lifecycle = new RunLifecycle(() => ended++);
    const gate = gatedStart();
    const starting = lifecycle.start(gate.begin);
    assert.equal(lifecycle.end(true), true, 'the first stop for good');
    assert.equal(gate.signals[0]!.aborted, true);
    assert.equal(lifecycle.running, false);
    assert.equal(lifecycle.signal, undefined);
    assert.equal(ended, 1);
    gate.finish();
    await starting;
    await lifecycle.start(gate.begin);
    assert.equal(gate.signals.length, 1, 'no start after a stop for good');
    assert.equal(lifecycle.end(true), false, 'not the first stop for good');
  });

  it('a run that ended (the session is over) can start again', async () => {
    const lifecycle = new RunLifecycle(() => {});
    const gate = gatedStart();
    const starting = lifecycle.start(gate.begin);
    gate.finish();
    await starting;
    lifecycle.end();
    assert.equal(lifecycle.running, false);
    const again = lifecycle.start(gate.begin);
    assert.equal(gate.signals.length, 2);
    assert.equal(gate.signals[1]!.aborted, false);
    assert.equal(lifecycle.signal, gate.signals[1]);
    gate.finish();
    await again;
  });

  it('a failed start ends its run and rejects', async () => {
    let ended = 0;
    const lifecycle = new RunLifecycle(() => ended++);
    await assert.rejects(
      lifecycle.start(() => Promise.reject(new Error('store unreadable'))),
      /store unreadable/,
    );
    assert.equal(lifecycle.running, false);
    assert.equal(ended, 1);
  });
});
