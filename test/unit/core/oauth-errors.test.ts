/**
 * How sign-in server failures read: openid-client's errors (built as it builds them, from real Response objects)
 * become errors a person can act on, and a server in trouble is told apart from one that refuses.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientError, ResponseBodyError } from 'openid-client';
import { toChannelError } from '../../../src/core/auth/oauth/oauth-errors.ts';
import { retryAfterMs } from '../../../src/core/errors.ts';

const htmlPage = (status: number, headers: Record<string, string> = {}) =>
  new Response('<html><body>Bad gateway</body></html>', {
    status,
    headers: { 'content-type': 'text/html', ...headers },
  });

/** What openid-client throws for an answer that is not an OAuth answer (e.g. a proxy's error page). */
const notConform = (response: Response) =>
  Object.assign(new ClientError('unexpected HTTP response status code', { cause: response }), {
    code: 'OAUTH_RESPONSE_IS_NOT_CONFORM',
  });

/** What it throws for an OAuth error body. */
const oauthError = (status: number, error: string, headers: Record<string, string> = {}) =>
  new ResponseBodyError('server responded with an error in the response body', {
    cause: { error, error_description: 'details' },
    response: new Response(JSON.stringify({ error }), { status, headers }),
  });

describe('toChannelError for a sign-in server in trouble', () => {
  for (const status of [500, 502, 503]) {
    it(`an HTML ${status} says the sign-in server had an error (a server error, not a refusal)`, () => {
      const error = toChannelError(notConform(htmlPage(status)), 'Renewing the session failed');
      assert.equal(error.kind, 'server_error');
      assert.equal(error.code, String(status));
      assert.equal(error.reason, `Renewing the session failed: the sign-in server had an error (HTTP ${status}).`);
    });
  }

  it('a 429 page says the server is busy and keeps its Retry-After', () => {
    const error = toChannelError(notConform(htmlPage(429, { 'retry-after': '7' })), 'Renewing the session failed');
    assert.equal(error.kind, 'server_error');
    assert.equal(error.retryAfterMs, 7_000);
    assert.match(error.reason, /busy \(HTTP 429\)/);
  });

  it('an OAuth error in a 503 or 429 is a server error too; in a 400 it is a refusal with its code', () => {
    assert.equal(toChannelError(oauthError(503, 'temporarily_unavailable'), 'x').kind, 'server_error');
    const busy = toChannelError(oauthError(429, 'slow_down', { 'retry-after': '2' }), 'x');
    assert.equal(busy.kind, 'server_error');
    assert.equal(busy.retryAfterMs, 2_000);
    const refused = toChannelError(oauthError(400, 'invalid_grant'), 'Renewing the session failed');
    assert.equal(refused.kind, 'authorization_failed');
    assert.equal(refused.code, 'invalid_grant');
  });

  it('any other unexpected status says so with the status, never as a server error', () => {
    const error = toChannelError(notConform(htmlPage(404)), 'Registering failed');
    assert.equal(error.kind, 'unexpected_response');
    assert.equal(error.code, '404');
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    assert.equal(retryAfterMs('120', now), 120_000);
    assert.equal(retryAfterMs(' 3 ', now), 3_000);
    assert.equal(retryAfterMs('Tue, 01 Dec 2026 12:00:30 GMT', now), 30_000);
    assert.equal(retryAfterMs('Tue, 01 Dec 2026 11:00:00 GMT', now), 0, 'a date in the past: now');
    for (const value of [undefined, null, '', 'soon', '-5']) assert.equal(retryAfterMs(value, now), undefined);
  });
});
