/** The webview's side of the protocol: request ids and answers, and the latest-only homeserver lookup. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DiscoveryResult, PanelInfo, WebviewToHost } from '../../../src/shared/webviewProtocol.ts';
import { HostClient } from '../../../webview/host-client.ts';
import { DiscoveryScheduler } from '../../../webview/model/discovery-scheduler.ts';

const result = (message: string): DiscoveryResult => ({
  verdict: 'oauth',
  message,
  offers: { oauth: true, password: false },
});

describe('HostClient', () => {
  it('numbers requests, routes each answer to its request once, and passes panels on', async () => {
    const sent: WebviewToHost[] = [];
    const panels: PanelInfo[] = [];
    const client = new HostClient(
      (message) => sent.push(message),
      (panel) => panels.push(panel),
    );
    const first = client.request('discover', { homeserver: 'a.org' });
    const second = client.request('discover', { homeserver: 'b.org' });
    assert.equal(second.id, first.id + 1);
    assert.deepEqual(sent[0], { kind: 'request', id: first.id, type: 'discover', params: { homeserver: 'a.org' } });

    client.receive({ kind: 'response', id: second.id, ok: false, error: { message: 'Superseded.', cancelled: true } });
    client.receive({ kind: 'response', id: first.id, ok: true, result: result('a') });
    client.receive({ kind: 'response', id: first.id, ok: true, result: result('again') }); // ignored: already answered
    assert.deepEqual(await first.answer, { ok: true, result: result('a') });
    assert.deepEqual(await second.answer, { ok: false, error: { message: 'Superseded.', cancelled: true } });

    const panel: PanelInfo = { mode: 'add', baseline: {} as never, stored: { session: false } };
    client.receive({ kind: 'notification', type: 'panel', params: { panel } });
    assert.deepEqual(panels, [panel]);
    client.ready();
    client.cancel(first.id);
    assert.deepEqual(sent.slice(2), [
      { kind: 'notification', type: 'ready', params: {} },
      { kind: 'notification', type: 'cancel', params: { requestId: first.id } },
    ]);
  });

  it('can wait for the answer to a request its predecessor made', async () => {
    const client = new HostClient(
      () => {},
      () => {},
    );
    const adopted = client.adopt<'save'>(12345);
    client.receive({
      kind: 'response',
      id: 12345,
      ok: false,
      error: { message: 'Sign-in cancelled; nothing was added.', cancelled: true },
    });
    assert.equal((await adopted).ok, false);
  });
});

describe('DiscoveryScheduler', () => {
  function scheduler() {
    const timers = new Map<number, () => void>();
    let nextTimer = 1;
    const requests: Array<{ id: number; homeserver: string; resolve: (r: DiscoveryResult) => void }> = [];
    const cancelled: number[] = [];
    const results: Array<[string, DiscoveryResult | undefined]> = [];
    const discovery = new DiscoveryScheduler({
      delayMs: 600,
      setTimer: (callback) => {
        timers.set(nextTimer, callback);
        return nextTimer++;
      },
      clearTimer: (handle) => timers.delete(handle as number),
      request: (homeserver) => {
        let resolve!: (r: DiscoveryResult) => void;
        const answer = new Promise<{ ok: true; result: DiscoveryResult }>((done) => {
          resolve = (r) => done({ ok: true, result: r });
        });
        const id = requests.length + 1;
        requests.push({ id, homeserver, resolve });
        return { id, answer };
      },
      cancel: (id) => cancelled.push(id),
      onResult: (homeserver, found) => results.push([homeserver, found]),
    });
    const fire = () => {
      const pending = [...timers.values()];
      timers.clear();
      pending.forEach((callback) => callback());
    };
    return { discovery, timers, requests, cancelled, results, fire };
  }
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('waits for a pause in typing, then asks once', async () => {
    const { discovery, timers, requests, fire } = scheduler();
    discovery.update('m', true);
    discovery.update('ma', true);
    discovery.update('matrix.org', true);
    assert.equal(timers.size, 1, 'each keystroke replaces the pending timer');
    fire();
    assert.deepEqual(
      requests.map((r) => r.homeserver),
      ['matrix.org'],
    );
    discovery.update(' matrix.org ', true);
    assert.equal(timers.size, 0, 'the same homeserver is not asked again');
  });

  it('cancels a lookup in flight when the input changes, and ignores its late answer', async () => {
    const { discovery, requests, cancelled, results, fire } = scheduler();
    discovery.update('slow.org', true);
    fire();
    discovery.update('fast.org', true);
    assert.deepEqual(cancelled, [1]);
    fire();
    requests[1]!.resolve(result('fast'));
    requests[0]!.resolve(result('slow'));
    await settle();
    assert.deepEqual(results, [['fast.org', result('fast')]]);
  });

  it('asks nothing about input that cannot be a homeserver, and leaves no timer when disposed', () => {
    const { discovery, timers, requests, fire } = scheduler();
    discovery.update('not a server', false);
    fire();
    assert.deepEqual(requests, []);
    discovery.update('matrix.org', true);
    discovery.dispose();
    assert.equal(timers.size, 0);
  });
});
