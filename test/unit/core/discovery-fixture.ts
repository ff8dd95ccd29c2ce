/**
 * Small real HTTP servers on 127.0.0.1, one per test, for the discovery behaviours that need server answers the
 * bed's Synapse never gives (homeserver-input.test.ts, auth-capabilities.test.ts).
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMatrixChannelError, type ErrorKind } from '../../../src/core/errors.ts';
import { createLogger, type Logger } from '../../../src/core/log.ts';

/** What a route answers: JSON, raw text (for "not JSON"), and a status (default 200). */
export interface Reply {
  status?: number;
  json?: unknown;
  text?: string;
}

/** Runs fn against a fresh HTTP server on 127.0.0.1; unknown paths get a plain-text 404 like any web server. */
export async function withServer(
  routes: (origin: string) => Record<string, Reply>,
  fn: (origin: string, seen: string[]) => Promise<void>,
) {
  const seen: string[] = [];
  let table: Record<string, Reply> = {};
  const server = createServer((request, response) => {
    seen.push(request.url ?? '');
    const reply = table[request.url ?? ''];
    if (!reply) return void response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    const isJson = reply.text === undefined;
    response
      .writeHead(reply.status ?? 200, { 'content-type': isJson ? 'application/json' : 'text/html' })
      .end(isJson ? JSON.stringify(reply.json ?? {}) : reply.text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  table = routes(origin);
  try {
    await fn(origin, seen);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

export function capturingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger({ log: (level, message) => lines.push(`${level} ${message}`) }), lines };
}

export async function rejectsWith(promise: Promise<unknown>, kind: ErrorKind, message: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isMatrixChannelError(error, kind), `expected ${kind}, got ${String(error)}`);
    assert.match(error.message, message);
    return true;
  });
}
