/**
 * Requests to the authorization server leave nothing behind: openid-client (real, against a real HTTP token
 * endpoint on 127.0.0.1) runs through our fetch, whose deadline goes when the request is over.
 */
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { refreshTokenGrant } from 'openid-client';
import {
  clientConfiguration,
  fetchWithDeadline,
  OAUTH_REQUEST_TIMEOUT_MS,
} from '../../../src/core/auth/oauth/tokens.ts';
import type { AuthMetadata } from '../../../src/core/discovery/types.ts';

async function withServer(handler: RequestListener, fn: (origin: string) => Promise<void>): Promise<void> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** Timers of `delayMs` armed while `fn` runs and still there a moment after it ended. */
async function timersLeftBy(delayMs: number, fn: () => Promise<unknown>): Promise<number> {
  const armed = new Set<number>();
  const hook = createHook({
    init: (id, type, _trigger, resource) => {
      if (type === 'Timeout' && (resource as { _idleTimeout?: number })._idleTimeout === delayMs) armed.add(id);
    },
    destroy: (id) => void armed.delete(id),
  }).enable();
  try {
    await fn().catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    return armed.size;
  } finally {
    hook.disable();
  }
}

describe('requests to the authorization server', () => {
  it('a token refresh through openid-client leaves no timer behind', async () => {
    const tokenEndpoint: RequestListener = (_request, response) =>
      void response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ access_token: 'a2', refresh_token: 'r2', token_type: 'Bearer', expires_in: 300 }));
    await withServer(tokenEndpoint, async (origin) => {
      const metadata = { issuer: `${origin}/`, token_endpoint: `${origin}/token` } as AuthMetadata;
      let tokens: { access_token: string } | undefined;
      const left = await timersLeftBy(OAUTH_REQUEST_TIMEOUT_MS, async () => {
        tokens = await refreshTokenGrant(clientConfiguration(metadata, 'client'), 'r1');
      });
      assert.equal(tokens?.access_token, 'a2', 'the refresh went through our fetch and worked');
      assert.equal(left, 0);
    });
  });

  it('a server that never answers times out as a network failure, and its timer goes too', async () => {
    const silent: RequestListener = () => {};
    await withServer(silent, async (origin) => {
      let failure: unknown;
      const left = await timersLeftBy(100, async () => {
        const options = { method: 'POST', headers: {}, body: 'x', redirect: 'manual' as const };
        await fetchWithDeadline(`${origin}/token`, options, 100).catch((error: unknown) => {
          failure = error;
        });
      });
      assert.equal((failure as Error | undefined)?.name, 'TimeoutError');
      assert.equal(left, 0);
    });
  });
});
