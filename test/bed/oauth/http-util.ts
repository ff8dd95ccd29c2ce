import type { IncomingMessage } from 'node:http';

/** The subset of a Koa context the bed's control routes use. */
export interface ControlContext {
  method: string;
  path: string;
  query: Record<string, unknown>;
  req: IncomingMessage;
  status: number;
  body: unknown;
}

const MAX_BODY = 64 * 1024;

/** Reads a request body as text (bounded). */
export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The request's body as text, read once: whoever looks next (another middleware, or oidc-provider, which takes an
 * already read body) finds it on `req.body`.
 */
export async function bodyOnce(req: IncomingMessage & { body?: unknown }): Promise<string> {
  if (typeof req.body === 'string') return req.body;
  const text = await readText(req);
  req.body = text;
  return text;
}

/** Reads a urlencoded or JSON request body (bounded). */
export async function readBody(req: IncomingMessage): Promise<Record<string, string>> {
  const text = await readText(req);
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (typeof parsed !== 'object' || parsed === null) throw new Error('expected a JSON object');
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
  }
  return Object.fromEntries(new URLSearchParams(text));
}
