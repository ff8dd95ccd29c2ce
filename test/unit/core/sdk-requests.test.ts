/**
 * matrix-js-sdk's requests under our deadline (src/core/matrix/sdk-requests.ts), against a real HTTP server on
 * 127.0.0.1: no timer outlives a request, a request still fails at its timeout, and a closed client cancels its
 * requests, sends no more, and none of them settles (nothing for the SDK to resume after a stop).
 */
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Method } from 'matrix-js-sdk';
import { createMatrixClient } from '../../../src/core/matrix/sdk.ts';

type RequestOptions = Parameters<Awaited<ReturnType<typeof createMatrixClient>>['http']['authedRequest']>[4];

/** What the server saw: each request's path, and whether its connection closed before it was answered. */
const seen: Array<{ path: string; closedEarly: boolean }> = [];
let server: Server;
let baseUrl = '';

before(async () => {
  server = createServer((request: IncomingMessage, response) => {
    const record = { path: request.url ?? '', closedEarly: false };
    seen.push(record);
    if (request.url?.startsWith('/_matrix/client/v3/slow')) {
      // Never answers: only the client can end it.
      response.on('close', () => (record.closedEarly = !response.writableEnded));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ versions: ['v1.11'] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Timers made while `work` runs whose stack passes through matrix-js-sdk or our request guard, still alive. */
async function timersLeftBy(work: () => Promise<unknown>): Promise<number[]> {
  const alive = new Map<number, number>();
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const hook = createHook({
    init: (id, type, _trigger, resource) => {
      if (type !== 'Timeout') return;
      const stack = new Error().stack ?? '';
      if (/node_modules\/matrix-js-sdk\/|src\/core\/(matrix\/|abort\.ts)/.test(stack)) {
        alive.set(id, (resource as { _idleTimeout?: number })._idleTimeout ?? 0);
      }
    },
    destroy: (id) => void alive.delete(id),
  }).enable();
  try {
    await work();
    await sleep(20);
    return [...alive.values()];
  } finally {
    hook.disable();
    Error.stackTraceLimit = limit;
  }
}

describe('matrix-js-sdk requests', () => {
  it('leave no timer once answered', async () => {
    const client = await createMatrixClient({ baseUrl, accessToken: 'syt_token' });
    const left = await timersLeftBy(async () => {
      assert.deepEqual((await client.getVersions()).versions, ['v1.11']);
      await client.http.authedRequest(Method.Get, '/whoami', undefined, undefined, {
        localTimeoutMs: 110_000,
      } as RequestOptions);
    });
    assert.deepEqual(left, []);
  });

  it('still fail at their timeout, and leave no timer then either', async () => {
    const client = await createMatrixClient({ baseUrl, accessToken: 'syt_token' });
    const started = Date.now();
    const left = await timersLeftBy(() =>
      assert.rejects(
        client.http.authedRequest(Method.Get, '/slow/timeout', undefined, undefined, {
          localTimeoutMs: 100,
        } as RequestOptions),
        // As with the SDK's own timeout: an AbortError (the sync loop takes it for a failed request).
        (error: Error) => error.name === 'AbortError',
      ),
    );
    assert.ok(Date.now() - started < 2_000, 'failed at the request timeout');
    assert.deepEqual(left, []);
  });

  it('of a closed client are cancelled, none is sent after, and none settles', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const closing = new AbortController();
      const client = await createMatrixClient({ baseUrl, accessToken: 'syt_token', signal: closing.signal });
      let settled = 0;
      const settle = () => void settled++;
      const left = await timersLeftBy(async () => {
        client.http.authedRequest(Method.Get, '/slow/closed').then(settle, settle);
        while (!seen.some((r) => r.path === '/_matrix/client/v3/slow/closed')) await sleep(10);
        closing.abort();
        client.http.authedRequest(Method.Get, '/after/close').then(settle, settle);
        await sleep(200);
      });
      assert.equal(seen.find((r) => r.path === '/_matrix/client/v3/slow/closed')?.closedEarly, true, 'cancelled');
      assert.equal(
        seen.some((r) => r.path.startsWith('/_matrix/client/v3/after')),
        false,
        'nothing sent after the close',
      );
      assert.equal(settled, 0, 'no answer, not even an error');
      assert.deepEqual(left, []);
      assert.deepEqual(rejections, []);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
