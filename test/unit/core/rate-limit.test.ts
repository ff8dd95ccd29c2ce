/** Waiting out a 429 as the server asks (src/core/rate-limit.ts), against a stand-in server that counts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { delayAsked, rateLimitedError, retryingRateLimits } from '../../../src/core/rate-limit.ts';

/** A fetch answering the given statuses in turn (429s with `retry_after_ms`), recording each call. */
function answering(statuses: number[], retryAfterMs = 5) {
  const calls: Array<{ body: unknown }> = [];
  const fetchFn = (async (_input: string | URL | Request, init?: RequestInit) => {
    calls.push({ body: init?.body });
    const status = statuses[Math.min(calls.length - 1, statuses.length - 1)]!;
    const body = status === 429 ? { errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: retryAfterMs } : { ok: true };
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  return { fetchFn, calls };
}

describe('rate limits (429)', () => {
  it('reads the delay from Retry-After (seconds or a date), else from retry_after_ms', () => {
    const now = Date.parse('2026-12-02T10:00:00Z');
    assert.equal(delayAsked(new Headers({ 'retry-after': '7' }), {}, now), 7_000);
    assert.equal(delayAsked(new Headers({ 'retry-after': 'Wed, 02 Dec 2026 10:00:30 GMT' }), {}, now), 30_000);
    assert.equal(delayAsked(new Headers(), { retry_after_ms: 1500 }, now), 1_500);
    assert.equal(delayAsked(new Headers({ 'retry-after': 'soon' }), { retry_after_ms: 20 }, now), 20);
    assert.equal(delayAsked(new Headers(), { retry_after_ms: -1 }, now), undefined);
    assert.equal(delayAsked(new Headers(), 'not json', now), undefined);
  });

  it('tries again after the delay, with the same request, until it passes', async () => {
    const { fetchFn, calls } = answering([429, 429, 200]);
    const response = await retryingRateLimits(fetchFn)('https://hs.example/x', { method: 'PUT', body: '{"a":1}' });
    assert.equal(response.status, 200);
    assert.deepEqual(
      calls.map((call) => call.body),
      ['{"a":1}', '{"a":1}', '{"a":1}'],
    );
  });

  it('gives up after its attempts, answering the last 429', async () => {
    const { fetchFn, calls } = answering([429]);
    const response = await retryingRateLimits(fetchFn, { attempts: 2, maxWaitMs: 1_000 })('https://hs.example/x');
    assert.equal(response.status, 429);
    assert.equal(calls.length, 2);
    assert.equal(((await response.json()) as { retry_after_ms: number }).retry_after_ms, 5, 'its body still readable');
  });

  it('does not take a wait longer than a person should sit through', async () => {
    const { fetchFn, calls } = answering([429, 200], 60_000);
    const response = await retryingRateLimits(fetchFn)('https://hs.example/x');
    assert.equal(response.status, 429);
    assert.equal(calls.length, 1);
  });

  it('a wait ends with the request signal, as the request would', async () => {
    const { fetchFn } = answering([429, 200], 5_000);
    const controller = new AbortController();
    const waiting = retryingRateLimits(fetchFn)('https://hs.example/x', { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await assert.rejects(waiting, (error: Error) => error.name === 'AbortError');
  });

  it('tells the person when to try again', () => {
    const reasons = [undefined, 400, 1_000, 59_500, 119_000, 600_000].map(
      (delay) => rateLimitedError('Joining the room failed', delay).reason,
    );
    assert.deepEqual(
      reasons.map((reason) => reason.replace(/.*; /, '')),
      [
        'try again in a moment.',
        'try again in a moment.',
        'try again in 1 s.',
        'try again in 60 s.',
        'try again in 119 s.',
        'try again in 10 minutes.',
      ],
    );
    const error = rateLimitedError('Joining the room failed', 30_000);
    assert.equal(error.kind, 'server_error');
    assert.equal(
      error.reason,
      'Joining the room failed: the homeserver is limiting requests (HTTP 429); try again in 30 s.',
    );
  });
});
