/**
 * requestJson against real HTTP servers on 127.0.0.1 (one per test, no fetch stubs), and the https rule.
 */
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { MatrixChannelError, type ErrorKind } from '../../../src/core/errors.ts';
import { assertSecureUrl, isLoopbackHost, requestJson } from '../../../src/core/http.ts';
import { freePort } from '../../bed/ports.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

/** Runs `fn` against a server answering with `handler`, and closes it (and any hanging connection) after. */
async function withServer(handler: Handler, fn: (origin: string, seen: Seen[]) => Promise<void>): Promise<void> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      handler(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await fn(origin, seen);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const json =
  (status: number, value: unknown): Handler =>
  (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', 'x-test': 'yes' }).end(JSON.stringify(value));
  };

const never: Handler = () => {};

function isChannelError(kind: ErrorKind, reason: string, code?: string) {
  return (error: unknown) => {
    assert.ok(error instanceof MatrixChannelError, `expected a MatrixChannelError, got ${String(error)}`);
    assert.equal(error.kind, kind);
    assert.equal(error.reason, reason);
    assert.equal(error.code, code);
    return true;
  };
}

describe('requestJson', () => {
  it('GETs with accept: application/json and parses a JSON answer with its status and headers', async () => {
    await withServer(json(200, { versions: ['v1.15'], nested: { a: [1, 2] } }), async (origin, seen) => {
      const response = await requestJson(`${origin}/_matrix/client/versions`, { headers: { 'x-custom': 'kept' } });
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, { versions: ['v1.15'], nested: { a: [1, 2] } });
      assert.equal(response.headers.get('x-test'), 'yes');
      assert.equal(seen.length, 1);
      assert.equal(seen[0]?.method, 'GET');
      assert.equal(seen[0]?.url, '/_matrix/client/versions');
      assert.equal(seen[0]?.headers.accept, 'application/json');
      assert.equal(seen[0]?.headers['x-custom'], 'kept');
      assert.equal(seen[0]?.headers['content-type'], undefined);
      assert.equal(seen[0]?.body, '');
    });
  });

  it('returns error statuses with their JSON body instead of throwing', async () => {
    await withServer(json(401, { errcode: 'M_UNKNOWN_TOKEN', soft_logout: true }), async (origin) => {
      const response = await requestJson(`${origin}/_matrix/client/v3/account/whoami`);
      assert.equal(response.status, 401);
      assert.deepEqual(response.body, { errcode: 'M_UNKNOWN_TOKEN', soft_logout: true });
    });
  });

  it('gives an empty object for an empty body', async () => {
    await withServer(
      (_request, response) => void response.writeHead(204).end(),
      async (origin) => {
        const response = await requestJson(`${origin}/logout`, { method: 'POST' });
        assert.equal(response.status, 204);
        assert.deepEqual(response.body, {});
      },
    );
  });

  it('sends an object as a JSON body', async () => {
    await withServer(json(201, { ok: true }), async (origin, seen) => {
      const response = await requestJson(new URL(`${origin}/register`), {
        method: 'POST',
        body: { client_name: 'Matrix Channels', n: 1 },
      });
      assert.equal(response.status, 201);
      assert.deepEqual(response.body, { ok: true });
      assert.equal(seen[0]?.method, 'POST');
      assert.equal(seen[0]?.headers['content-type'], 'application/json');
      assert.equal(seen[0]?.body, '{"client_name":"Matrix Channels","n":1}');
    });
  });

  it('sends URLSearchParams as a form body', async () => {
    await withServer(json(200, { access_token: 'new' }), async (origin, seen) => {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'mar_a b&c', client_id: '01J' });
      const response = await requestJson(`${origin}/oauth2/token`, { method: 'POST', body: form });
      assert.deepEqual(response.body, { access_token: 'new' });
      assert.equal(seen[0]?.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(seen[0]?.body, 'grant_type=refresh_token&refresh_token=mar_a+b%26c&client_id=01J');
      assert.deepEqual(Object.fromEntries(new URLSearchParams(seen[0]?.body)), {
        grant_type: 'refresh_token',
        refresh_token: 'mar_a b&c',
        client_id: '01J',
      });
    });
  });

  it('reports a non-JSON answer as unexpected_response naming host and path, never the query', async () => {
    const html: Handler = (_request, response) =>
      void response.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad gateway</html>');
    await withServer(html, async (origin) => {
      const host = new URL(origin).host;
      const url = `${origin}/_matrix/client/versions?access_token=syt_secret_token&code=c0de`;
      await assert.rejects(requestJson(url), (error: unknown) => {
        isChannelError(
          'unexpected_response',
          `${host} answered /_matrix/client/versions with something that is not JSON (HTTP 502).`,
          '502',
        )(error);
        const message = (error as Error).message;
        for (const leak of ['?', 'access_token', 'syt_secret_token', 'c0de'])
          assert.equal(message.includes(leak), false, leak);
        return true;
      });
    });
  });

  it('reports a non-JSON 200 the same way, with its status as code', async () => {
    await withServer(
      (_request, response) => void response.writeHead(200).end('plain text'),
      async (origin) => {
        const host = new URL(origin).host;
        await assert.rejects(
          requestJson(`${origin}/.well-known/matrix/client`),
          isChannelError(
            'unexpected_response',
            `${host} answered /.well-known/matrix/client with something that is not JSON (HTTP 200).`,
            '200',
          ),
        );
      },
    );
  });

  it('reports a refused connection as unreachable', async () => {
    const port = await freePort();
    await assert.rejects(requestJson(`http://127.0.0.1:${port}/x?token=secret`), (error: unknown) => {
      isChannelError('unreachable', `Cannot reach 127.0.0.1:${port}.`)(error);
      assert.equal((error as Error).message.includes('secret'), false);
      return true;
    });
  });

  it('gives up after the per-request timeout when the server never answers', async () => {
    await withServer(never, async (origin, seen) => {
      const started = performance.now();
      await assert.rejects(
        requestJson(`${origin}/slow`, { timeoutMs: 100 }),
        isChannelError('unreachable', `${new URL(origin).host} did not answer in time.`),
      );
      const elapsed = performance.now() - started;
      assert.ok(elapsed >= 90 && elapsed < 3000, `took ${elapsed} ms`);
      assert.equal(seen.length, 1);
    });
  });

  it('times out as well when the headers arrive but the body never ends', async () => {
    const stall: Handler = (_request, response) =>
      void response.writeHead(200, { 'content-type': 'application/json' }).write('{"partial":');
    await withServer(stall, async (origin) => {
      await assert.rejects(
        requestJson(`${origin}/stall`, { timeoutMs: 100 }),
        isChannelError('unreachable', `${new URL(origin).host} did not answer in time.`),
      );
    });
  });

  it('reports a connection broken in the middle of the body as unreachable', async () => {
    const broken: Handler = (request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).write('{"partial":');
      setTimeout(() => request.socket.destroy(), 20);
    };
    await withServer(broken, async (origin) => {
      await assert.rejects(
        requestJson(`${origin}/broken`),
        isChannelError('unreachable', `Cannot reach ${new URL(origin).host}.`),
      );
    });
  });

  it('reports an outer abort as cancelled, not as a timeout', async () => {
    await withServer(never, async (origin) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 30);
      await assert.rejects(
        requestJson(`${origin}/slow`, { signal: controller.signal, timeoutMs: 10_000 }),
        isChannelError('cancelled', 'Signing in was cancelled.'),
      );
    });
  });

  it('reports an outer abort while the body is read as cancelled', async () => {
    const stall: Handler = (_request, response) =>
      void response.writeHead(200, { 'content-type': 'application/json' }).write('{"partial":');
    await withServer(stall, async (origin) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(
        requestJson(`${origin}/stall`, { signal: controller.signal }),
        isChannelError('cancelled', 'Signing in was cancelled.'),
      );
    });
  });

  it('leaves no timer behind once the answer is in (the deadline goes with the request)', async () => {
    await withServer(json(200, { ok: true }), async (origin) => {
      const armed = new Set<number>();
      const hook = createHook({
        init: (id, type, _trigger, resource) => {
          if (type === 'Timeout' && (resource as { _idleTimeout?: number })._idleTimeout === 45_000) armed.add(id);
        },
        destroy: (id) => void armed.delete(id),
      }).enable();
      try {
        await requestJson(`${origin}/quick`, { timeoutMs: 45_000 });
        assert.ok(armed.size <= 1, 'the deadline was armed');
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(armed.size, 0, 'and cleared when the request ended');
      } finally {
        hook.disable();
      }
    });
  });

  it('keeps a MatrixChannelError abort reason, and sends nothing when already aborted', async () => {
    await withServer(json(200, {}), async (origin, seen) => {
      const controller = new AbortController();
      const reason = new MatrixChannelError('timed_out', 'Signing in did not finish within 300 seconds.');
      controller.abort(reason);
      await assert.rejects(requestJson(`${origin}/x`, { signal: controller.signal }), (error) => error === reason);
      assert.equal(seen.length, 0);
    });
  });
});

describe('assertSecureUrl', () => {
  const allowed = [
    'https://matrix.example.org/',
    'https://127.0.0.1:8448/',
    'http://127.0.0.1:8008/',
    'http://127.1:8008/', // normalised by URL to 127.0.0.1
    'http://127.12.34.56/',
    'http://localhost:8080/path',
    'http://[::1]:8008/',
  ];
  for (const url of allowed) {
    it(`allows ${url}`, () => assert.doesNotThrow(() => assertSecureUrl(new URL(url))));
  }

  const refused: Array<[string, string]> = [
    ['http://matrix.example.org/_matrix', 'http://matrix.example.org'],
    ['http://localhost.example.org/', 'http://localhost.example.org'],
    ['http://127.0.0.1.nip.io:8008/', 'http://127.0.0.1.nip.io:8008'],
    ['http://192.168.1.10:8008/', 'http://192.168.1.10:8008'],
    ['http://0.0.0.0:8008/', 'http://0.0.0.0:8008'],
    ['http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]'],
    ['ftp://127.0.0.1/', 'ftp://127.0.0.1'],
  ];
  for (const [url, origin] of refused) {
    it(`refuses ${url}`, () => {
      assert.throws(
        () => assertSecureUrl(new URL(url)),
        isChannelError('invalid_config', `The homeserver URL ${origin} must use https.`),
      );
    });
  }
});

describe('isLoopbackHost', () => {
  const table: Array<[string, boolean]> = [
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.0.0.2', true],
    ['127.255.255.254', true],
    ['[::1]', true],
    ['::1', true],
    ['', false],
    ['example.org', false],
    ['localhost.example.org', false],
    ['mylocalhost', false],
    ['127.0.0.1.nip.io', false],
    ['1127.0.0.1', false],
    ['127.0.0', false],
    ['128.0.0.1', false],
    ['10.0.0.1', false],
    ['0.0.0.0', false],
    ['[::2]', false],
    ['[::ffff:7f00:1]', false],
  ];
  for (const [hostname, expected] of table) {
    it(`${JSON.stringify(hostname)} → ${expected}`, () => assert.equal(isLoopbackHost(hostname), expected));
  }
});
