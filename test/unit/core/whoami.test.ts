/**
 * /whoami against a real HTTP server on 127.0.0.1: the identity, a clear refusal, a server in trouble, and no
 * timer left behind once it answered.
 */
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { whoami } from '../../../src/core/auth/whoami.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../../../src/core/http.ts';
import { MatrixChannelError } from '../../../src/core/errors.ts';

async function ask(handler: RequestListener, token = 'syt_token'): Promise<unknown> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await whoami(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, token).catch(
      (error: unknown) => error,
    );
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const json =
  (status: number, body: unknown): RequestListener =>
  (request, response) => {
    if (request.url !== '/_matrix/client/v3/account/whoami') return void response.writeHead(404).end();
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

describe('whoami', () => {
  it('answers whose token it is and its device, with the token as a bearer header', async () => {
    let seen = '';
    const identity = await ask((request, response) => {
      seen = request.headers.authorization ?? '';
      json(200, { user_id: '@a:hs', device_id: 'DEV' })(request, response);
    });
    assert.deepEqual(identity, { userId: '@a:hs', deviceId: 'DEV' });
    assert.equal(seen, 'Bearer syt_token');
  });

  it('a refused token is invalid_credentials with the Matrix error code', async () => {
    const error = await ask(json(401, { errcode: 'M_UNKNOWN_TOKEN', error: 'Token is not active' }));
    assert.ok(error instanceof MatrixChannelError);
    assert.equal(error.kind, 'invalid_credentials');
    assert.equal(error.reason, 'The homeserver did not accept this access token (M_UNKNOWN_TOKEN).');
    assert.equal(
      error.message,
      'The homeserver did not accept this access token (M_UNKNOWN_TOKEN). Check what you entered and try again.',
    );
  });

  it('a homeserver in trouble is a server error, whatever its body', async () => {
    const error = await ask(json(502, { errcode: 'M_UNKNOWN' }));
    assert.ok(error instanceof MatrixChannelError);
    assert.equal(error.kind, 'server_error');
    assert.equal(error.reason, 'Checking the access token failed on the homeserver (HTTP 502).');
  });

  it('leaves no timer behind once answered', async () => {
    const armed = new Set<number>();
    const hook = createHook({
      init: (id, type, _trigger, resource) => {
        const delay = (resource as { _idleTimeout?: number })._idleTimeout;
        if (type === 'Timeout' && delay === DEFAULT_REQUEST_TIMEOUT_MS) armed.add(id);
      },
      destroy: (id) => void armed.delete(id),
    }).enable();
    try {
      await ask(json(200, { user_id: '@a:hs' }));
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(armed.size, 0);
    } finally {
      hook.disable();
    }
  });
});
