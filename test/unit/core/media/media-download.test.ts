/**
 * Media from a homeserver (src/core/media/media-download.ts), against a stand-in homeserver on 127.0.0.1:
 * authenticated media with the token, the old endpoints only when the new ones are unknown, refusals reported
 * and not worked around, bodies cut off past their limit, and only real PNG/JPEG/GIF/WebP shown inline.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { MatrixChannelError } from '../../../../src/core/errors.ts';
import {
  dataUri,
  fetchMedia,
  fetchThumbnail,
  inlineImageType,
  sizeText,
} from '../../../../src/core/media/media-download.ts';
import type { RoomRequester } from '../../../../src/core/sync/room-requests.ts';

type Handler = (request: IncomingMessage, response: ServerResponse, path: string) => void;

interface Seen {
  path: string;
  authorization: string | undefined;
  /** Resolves true when the connection closed before the answer was complete. */
  closedEarly: Promise<boolean>;
}

let server: Server;
let origin = '';
/** Each test is a homeserver of its own under a path prefix (what it learned about one must not leak). */
const handlers = new Map<string, { handle: Handler; seen: Seen[] }>();

before(async () => {
  server = createServer((request, response) => {
    const [, prefix = '', ...rest] = (request.url ?? '').split('/');
    const test = handlers.get(prefix);
    const path = `/${rest.join('/')}`;
    if (!test) return void response.writeHead(500).end();
    test.seen.push({
      path,
      authorization: request.headers.authorization,
      closedEarly: new Promise((resolve) => response.on('close', () => resolve(!response.writableEnded))),
    });
    test.handle(request, response, path);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A homeserver answering with `handle`, and a requester for it that adds a token as the session's fetch does. */
function homeserver(handle: Handler): { requester: RoomRequester; seen: Seen[] } {
  const prefix = randomBytes(4).toString('hex');
  const seen: Seen[] = [];
  handlers.set(prefix, { handle, seen });
  const requester: RoomRequester = {
    homeserver: `${origin}/${prefix}`,
    fetch: (input, init) =>
      fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: 'Bearer t0k' } }),
  };
  return { requester, seen };
}

const json = (response: ServerResponse, status: number, body: unknown) =>
  void response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]);
const GIF = new TextEncoder().encode('GIF89a\x01\x00');
const WEBP = new TextEncoder().encode('RIFF\x10\x00\x00\x00WEBPVP8 ');
const SVG = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

const media = { serverName: 'example.org', mediaId: 'abc123' };
const V1_DOWNLOAD = '/_matrix/client/v1/media/download/example.org/abc123';
const LEGACY_DOWNLOAD = '/_matrix/media/v3/download/example.org/abc123';

/** Rejects with a MatrixChannelError of this kind, code and reason. */
async function failsWith(
  promise: Promise<unknown>,
  expected: { kind: string; code: string | undefined; reason: string },
) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof MatrixChannelError, String(error));
    assert.deepEqual({ kind: error.kind, code: error.code, reason: error.reason }, expected);
    return true;
  });
}

describe('media downloads', () => {
  it('asks for a thumbnail at the authenticated endpoint, with the token', async () => {
    const { requester, seen } = homeserver((_request, response) =>
      void response.writeHead(200, { 'content-type': 'image/png' }).end(PNG),
    );
    const thumbnail = await fetchThumbnail(requester, media, { width: 64, height: 47.6, method: 'crop' });
    assert.deepEqual(thumbnail, { bytes: PNG, mimetype: 'image/png' });
    assert.deepEqual(
      seen.map(({ path, authorization }) => ({ path, authorization })),
      [
        {
          path: '/_matrix/client/v1/media/thumbnail/example.org/abc123?width=64&height=48&method=crop',
          authorization: 'Bearer t0k',
        },
      ],
    );
  });

  it('keeps a port in the path as it is, and escapes what may not stand there', async () => {
    const { requester, seen } = homeserver((_request, response) => void response.writeHead(200).end('x'));
    await fetchMedia(requester, { serverName: 'example.org:8448', mediaId: 'a' }, { maxBytes: 10 });
    await fetchMedia(requester, { serverName: '[::1]:8448', mediaId: 'b' }, { maxBytes: 10 });
    assert.deepEqual(
      seen.map((request) => request.path),
      ['/_matrix/client/v1/media/download/example.org:8448/a', '/_matrix/client/v1/media/download/%5B::1%5D:8448/b'],
    );
  });

  for (const [what, status, body] of [
    ['404 M_UNRECOGNIZED', 404, { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' }],
    ['a bare 404', 404, undefined],
    ['a bare 405', 405, undefined],
  ] as const) {
    it(`falls back to the old endpoint on ${what}, and goes there straight after`, async () => {
      const { requester, seen } = homeserver((_request, response, path) => {
        if (path.startsWith('/_matrix/client/v1/')) {
          if (body) return json(response, status, body);
          return void response.writeHead(status, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
        }
        response.writeHead(200, { 'content-type': 'application/pdf; name="x.pdf"' }).end('%PDF-1.7');
      });
      const file = await fetchMedia(requester, media, { maxBytes: 1000 });
      assert.deepEqual(file, { bytes: new TextEncoder().encode('%PDF-1.7'), mimetype: 'application/pdf' });
      await fetchMedia(requester, media, { maxBytes: 1000 });
      assert.deepEqual(
        seen.map((request) => request.path),
        [V1_DOWNLOAD, LEGACY_DOWNLOAD, LEGACY_DOWNLOAD],
      );
    });
  }

  for (const [status, body, expected] of [
    [
      403,
      { errcode: 'M_FORBIDDEN', error: 'Not yours' },
      { kind: 'unexpected_response', code: 'M_FORBIDDEN', reason: 'The file could not be downloaded (M_FORBIDDEN: Not yours).' },
    ],
    [
      404,
      { errcode: 'M_NOT_FOUND', error: 'Not found' },
      { kind: 'unexpected_response', code: 'M_NOT_FOUND', reason: 'The file could not be downloaded (M_NOT_FOUND: Not found).' },
    ],
    [
      401,
      { errcode: 'M_MISSING_TOKEN', error: 'Missing access token' },
      {
        kind: 'session_expired',
        code: 'M_MISSING_TOKEN',
        reason: 'The file could not be downloaded: the homeserver refused the request (M_MISSING_TOKEN).',
      },
    ],
    [
      502,
      undefined,
      { kind: 'server_error', code: '502', reason: 'The file could not be downloaded: the homeserver failed (HTTP 502).' },
    ],
  ] as const) {
    it(`reports a ${status} ${body?.errcode ?? 'without a body'} without trying the old endpoint`, async () => {
      const { requester, seen } = homeserver((_request, response) =>
        body ? json(response, status, body) : void response.writeHead(status).end('Bad gateway'),
      );
      await failsWith(fetchMedia(requester, media, { maxBytes: 1000 }), expected);
      assert.deepEqual(
        seen.map((request) => request.path),
        [V1_DOWNLOAD],
      );
    });
  }

  it('waits out a short 429, and reports a long one', async () => {
    let answered = 0;
    const { requester, seen } = homeserver((_request, response) => {
      answered++;
      if (answered === 1) return json(response, 429, { errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 5 });
      if (answered === 2) return void response.writeHead(200, { 'content-type': 'image/gif' }).end(GIF);
      json(response, 429, { errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: 60_000 });
    });
    assert.deepEqual(await fetchMedia(requester, media, { maxBytes: 1000 }), { bytes: GIF, mimetype: 'image/gif' });
    await failsWith(fetchMedia(requester, media, { maxBytes: 1000 }), {
      kind: 'server_error',
      code: 'M_LIMIT_EXCEEDED',
      reason: 'The file could not be downloaded: the homeserver is limiting requests (HTTP 429); try again in 60 s.',
    });
    assert.equal(seen.length, 3);
  });

  it('cuts off a body that goes past the limit, ending the request', { timeout: 10_000 }, async () => {
    const chunk = Buffer.alloc(16 * 1024, 7);
    let sent = 0;
    const { requester, seen } = homeserver((_request, response) => {
      // No Content-Length, and no end: only the client stopping ends it.
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      const pump = () => {
        while (!response.destroyed && sent < 1024 ** 3) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', pump);
        }
      };
      pump();
    });
    await failsWith(fetchMedia(requester, media, { maxBytes: 100 * 1024 }), {
      kind: 'unexpected_response',
      code: 'M_TOO_LARGE',
      reason: 'The file could not be downloaded: it is larger than 100 KB.',
    });
    assert.equal(await seen[0]!.closedEarly, true, 'the server saw the request end');
    assert.ok(sent < 64 * 1024 * 1024, `stopped early (${sent} bytes sent)`);
  });

  it('refuses a declared length past the limit before reading, and limits thumbnails to 4 MB', { timeout: 10_000 }, async () => {
    const { requester, seen } = homeserver((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(5 * 1024 * 1024) });
      response.write(PNG);
    });
    await failsWith(fetchThumbnail(requester, media, { width: 32, height: 32, method: 'scale' }), {
      kind: 'unexpected_response',
      code: 'M_TOO_LARGE',
      reason: 'The image could not be loaded: it is larger than 4 MB.',
    });
    assert.equal(await seen[0]!.closedEarly, true);
  });

  it('says when the homeserver cannot be reached, and ends with the caller', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await failsWith(fetchMedia({ homeserver: `http://127.0.0.1:${port}`, fetch }, media, { maxBytes: 10 }), {
      kind: 'unreachable',
      code: undefined,
      reason: 'The file could not be downloaded: the homeserver could not be reached.',
    });

    const { requester } = homeserver(() => undefined);
    const controller = new AbortController();
    const fetching = fetchMedia(requester, media, { maxBytes: 10, signal: controller.signal });
    controller.abort(new Error('view closed'));
    await assert.rejects(fetching, /view closed/);
  });
});

describe('images shown inline', () => {
  it('only PNG, JPEG, GIF and WebP whose bytes are what the type says', () => {
    const cases: Array<[string, Uint8Array, string | undefined]> = [
      ['image/png', PNG, 'image/png'],
      ['IMAGE/PNG; charset=binary', PNG, 'image/png'],
      ['image/jpeg', JPEG, 'image/jpeg'],
      ['image/jpg', JPEG, 'image/jpeg'],
      ['image/gif', GIF, 'image/gif'],
      ['image/webp', WEBP, 'image/webp'],
      ['image/svg+xml', SVG, undefined],
      ['image/png', SVG, undefined],
      ['image/png', JPEG, undefined],
      ['image/jpeg', PNG, undefined],
      ['text/html', PNG, undefined],
      ['image/bmp', Uint8Array.from([0x42, 0x4d, 0, 0]), undefined],
      ['image/png', PNG.subarray(0, 7), undefined],
      ['image/webp', new TextEncoder().encode('RIFF\x10\x00\x00\x00WAVE'), undefined],
      ['', PNG, undefined],
    ];
    for (const [mimetype, bytes, expected] of cases) assert.equal(inlineImageType(mimetype, bytes), expected, mimetype);
  });

  it('makes data URIs, with a plain type only', () => {
    assert.equal(dataUri(PNG.subarray(0, 3), 'image/png'), 'data:image/png;base64,iVBO');
    assert.equal(dataUri(PNG.subarray(8, 11), 'Image/PNG'), 'data:image/png;base64,AQID');
    assert.equal(
      dataUri(Uint8Array.from([1]), 'image/png"><script>'),
      'data:application/octet-stream;base64,AQ==',
    );
  });

  it('says sizes as a person reads them', () => {
    assert.deepEqual(
      [sizeText(900), sizeText(100 * 1024), sizeText(1536), sizeText(4 * 1024 * 1024), sizeText(25.25 * 1024 * 1024)],
      ['900 bytes', '100 KB', '1.5 KB', '4 MB', '25.3 MB'],
    );
  });
});
