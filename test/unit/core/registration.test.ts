/**
 * Client registration against a real HTTP endpoint on 127.0.0.1: a sign-in server in trouble or busy is told
 * apart from one that refuses this client, whatever its error page looks like.
 */
import assert from 'node:assert/strict';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { registerClient } from '../../../src/core/auth/oauth/registration.ts';
import type { AuthMetadata } from '../../../src/core/discovery/types.ts';
import { MatrixChannelError } from '../../../src/core/errors.ts';
import { silentLogger } from '../../../src/core/log.ts';

async function register(handler: RequestListener): Promise<MatrixChannelError | string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const metadata = { issuer: `${origin}/`, registration_endpoint: `${origin}/register` } as AuthMetadata;
    const { clientId } = await registerClient(metadata, { client_name: 'test' }, { log: silentLogger });
    return clientId;
  } catch (error) {
    if (error instanceof MatrixChannelError) return error;
    throw error;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const answer =
  (status: number, body: string, headers: Record<string, string> = {}): RequestListener =>
  (_request, response) =>
    void response.writeHead(status, headers).end(body);

describe('client registration', () => {
  it('registers and returns the client ID', async () => {
    const json = { 'content-type': 'application/json' };
    assert.equal(await register(answer(201, '{"client_id":"c-1"}', json)), 'c-1');
  });

  for (const [label, status, body, type] of [
    ['an HTML 502 page', 502, '<html>Bad gateway</html>', 'text/html'],
    ['a JSON 500', 500, '{"error":"server_error"}', 'application/json'],
    ['an empty 503', 503, '', 'text/plain'],
  ] as const) {
    it(`${label}: the sign-in server had an error (passes; not a refusal)`, async () => {
      const error = await register(answer(status, body, { 'content-type': type }));
      assert.ok(error instanceof MatrixChannelError);
      assert.equal(error.kind, 'server_error');
      assert.equal(error.reason, `Client registration failed: the sign-in server had an error (HTTP ${status}).`);
    });
  }

  it('a 429 says the server is busy and keeps Retry-After', async () => {
    const error = await register(
      answer(429, '{"error":"slow_down"}', { 'content-type': 'application/json', 'retry-after': '30' }),
    );
    assert.ok(error instanceof MatrixChannelError);
    assert.equal(error.kind, 'server_error');
    assert.equal(error.retryAfterMs, 30_000);
    assert.match(error.reason, /busy \(HTTP 429\)/);
  });

  it('a refusal says so, with the reason the server gave', async () => {
    const refusal = '{"error":"invalid_client_metadata","error_description":"unknown client_uri"}';
    const error = await register(answer(400, refusal, { 'content-type': 'application/json' }));
    assert.ok(error instanceof MatrixChannelError);
    assert.equal(error.kind, 'registration_refused');
    assert.equal(error.reason, 'The sign-in server refused to register this client: unknown client_uri.');
  });
});
