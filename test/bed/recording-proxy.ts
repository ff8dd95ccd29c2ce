/**
 * Counting a client's requests at the bed, server side, without instrumenting the client. For a homeserver: a
 * reverse proxy that records the requests passing through it. It forwards method, headers and body as they are
 * and streams the answer back. What it records never carries a secret: no headers (the Authorization header
 * holds the access token) and, of the query, only the parameter names, plus the value of `timeout` (it tells a
 * long poll from an immediate sync). The OAuth server records its requests itself (`servedByOAuth`).
 *
 * It can also play a homeserver's rate limiter (the bed's Synapse has its limits relaxed): `rateLimit` answers
 * the next requests to a path with 429 as Synapse does, `M_LIMIT_EXCEEDED` with `retry_after_ms` and a
 * Retry-After header.
 */
import { createServer, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BedInfo } from './bed.ts';
import type { ServedRequest } from './oauth/served-requests.ts';

export interface RecordedRequest {
  method: string;
  /** The path, with the query reduced to its parameter names (and the value of `timeout`). */
  path: string;
  /** The status of the answer; 0 while it has not come (or never came: 502 is recorded when it failed). */
  status: number;
  /** Epoch milliseconds when the request arrived. */
  t: number;
  /** How long until the answer's headers (milliseconds); undefined while waiting. */
  ms?: number;
}

/** Query parameters whose values are shown: none of them can hold a secret. */
const SHOWN_VALUES = new Set(['timeout']);

/** `/a/b?since=…&timeout=0&filter=…` → `/a/b?filter&since&timeout=0` (names sorted, values dropped). */
export function redactedPath(url: string): string {
  const parsed = new URL(url, 'http://proxy.invalid');
  const names = [...new Set(parsed.searchParams.keys())].sort();
  if (names.length === 0) return parsed.pathname;
  const shown = names.map((name) => (SHOWN_VALUES.has(name) ? `${name}=${parsed.searchParams.get(name)}` : name));
  return `${parsed.pathname}?${shown.join('&')}`;
}

/** Requests to answer with 429 instead of passing them on. */
interface RateLimit {
  method: string;
  path: string;
  left: number;
  retryAfterMs: number;
}

export class RecordingProxy {
  readonly records: RecordedRequest[] = [];
  private readonly limits: RateLimit[] = [];
  private readonly target: URL;
  private server?: Server;

  constructor(targetBaseUrl: string) {
    this.target = new URL(targetBaseUrl);
  }

  /** The base URL to give the client instead of the target's. */
  get baseUrl(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the recording proxy is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const record: RecordedRequest = {
        method: req.method ?? 'GET',
        path: redactedPath(req.url ?? '/'),
        status: 0,
        t: Date.now(),
      };
      this.records.push(record);
      if (this.limited(req.method ?? 'GET', req.url ?? '/', record, res)) return;
      const upstream = httpRequest(
        {
          protocol: this.target.protocol,
          hostname: this.target.hostname,
          port: this.target.port,
          method: req.method,
          path: req.url,
          // The Host header stays the client's; the target (Synapse) does not look at it for routing.
          headers: req.headers,
        },
        (answer) => {
          record.status = answer.statusCode ?? 0;
          record.ms = Date.now() - record.t;
          res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (record.status === 0) {
          record.status = 502;
          record.ms = Date.now() - record.t;
        }
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      });
      // A client that gives up (an aborted long poll) ends the upstream request too.
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      req.pipe(upstream);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  }

  /** Answers the next `times` requests of `method` to `path` (the path before any query) with 429. */
  rateLimit(method: string, path: string, times: number, retryAfterMs: number): void {
    this.limits.push({ method, path, left: times, retryAfterMs });
  }

  private limited(method: string, url: string, record: RecordedRequest, res: ServerResponse): boolean {
    const path = url.split('?')[0];
    const limit = this.limits.find((l) => l.left > 0 && l.method === method && l.path === path);
    if (!limit) return false;
    limit.left -= 1;
    record.status = 429;
    record.ms = 0;
    res.writeHead(429, {
      'content-type': 'application/json',
      'retry-after': String(Math.ceil(limit.retryAfterMs / 1000)),
    });
    res.end(
      JSON.stringify({ errcode: 'M_LIMIT_EXCEEDED', error: 'Too Many Requests', retry_after_ms: limit.retryAfterMs }),
    );
    return true;
  }

  /** Forgets what was recorded so far. */
  clear(): void {
    this.records.length = 0;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** The requests the bed's OAuth server served after `after` (a sequence number), and where the next read starts. */
export async function servedByOAuth(bed: BedInfo, after = 0): Promise<{ records: ServedRequest[]; last: number }> {
  const response = await fetch(`${bed.oauth.issuer}/_bed/requests?after=${after}`, {
    headers: { authorization: `Bearer ${bed.oauth.controlToken}` },
  });
  if (!response.ok) throw new Error(`the OAuth server answered /_bed/requests with HTTP ${response.status}`);
  return (await response.json()) as { records: ServedRequest[]; last: number };
}
