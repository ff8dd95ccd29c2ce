/**
 * Failures the bed's token endpoint (and its revocation endpoint, which a sign-out meets) can be told to answer
 * with, as a real authorization server does when it is in trouble: a 5xx with an HTML or a JSON body, a 429 with Retry-After, or a connection dropped without an
 * answer. A fault is armed for one OAuth client, so a test can play an outage without disturbing the tests that
 * share the bed.
 */
import type { IncomingMessage } from 'node:http';
import { readText } from './http-util.ts';

export interface TokenFault {
  clientId: string;
  /** The HTTP status to answer with (500, 502, 503, 429…); unused when `drop`. */
  status?: number;
  /** An HTML error page (a proxy's, say) or an OAuth-style JSON error. */
  body?: 'html' | 'json';
  retryAfterSeconds?: number;
  /** Close the connection without an answer. */
  drop?: boolean;
}

/** The subset of a Koa context the faults need. */
interface FaultContext {
  req: IncomingMessage & { body?: string };
  status: number;
  type: string;
  body: unknown;
  set(field: string, value: string): void;
  respond?: boolean;
}

export class TokenFaults {
  private readonly byClient = new Map<string, TokenFault>();
  /** Token requests answered with a fault, by client (what a test checks it really met the outage). */
  readonly answered = new Map<string, number>();

  arm(fault: TokenFault): void {
    this.byClient.set(fault.clientId, fault);
  }

  disarm(clientId: string): void {
    this.byClient.delete(clientId);
  }

  /**
   * Answers a token request with its client's fault, if one is armed; true when it did. Otherwise the body it had
   * to read is left on the request for the provider, which takes an already read body.
   */
  async intercept(ctx: FaultContext): Promise<boolean> {
    if (this.byClient.size === 0) return false;
    const text = await readText(ctx.req);
    ctx.req.body = text;
    const clientId = new URLSearchParams(text).get('client_id') ?? '';
    const fault = this.byClient.get(clientId);
    if (!fault) return false;
    this.answered.set(clientId, (this.answered.get(clientId) ?? 0) + 1);
    if (fault.drop) {
      ctx.respond = false;
      ctx.req.socket.destroy();
      return true;
    }
    const status = fault.status ?? 503;
    ctx.status = status;
    if (fault.retryAfterSeconds !== undefined) ctx.set('retry-after', String(fault.retryAfterSeconds));
    if (fault.body === 'json') {
      ctx.type = 'application/json';
      ctx.body = { error: status === 429 ? 'slow_down' : 'server_error', error_description: 'The bed is down.' };
    } else {
      ctx.type = 'html';
      ctx.body = `<html><body><h1>${status}</h1><p>The bed's sign-in server is having a bad day.</p></body></html>`;
    }
    return true;
  }
}

/**
 * The control routes: POST /_bed/faults/token {clientId, status?, body?, retryAfterSeconds?, drop?} arms a fault,
 * GET /_bed/faults/token?clientId=… answers how many requests it failed so far, DELETE disarms it and answers the
 * same. True when handled.
 */
export async function faultRoute(
  ctx: {
    method: string;
    path: string;
    query: Record<string, unknown>;
    req: IncomingMessage;
    status: number;
    body: unknown;
  },
  faults: TokenFaults,
): Promise<boolean> {
  if (ctx.path !== '/_bed/faults/token') return false;
  if (ctx.method === 'POST') {
    const form = new URLSearchParams(await readText(ctx.req));
    const clientId = form.get('clientId');
    if (!clientId) {
      ctx.status = 400;
      ctx.body = { error: 'clientId is required' };
      return true;
    }
    const body = form.get('body');
    faults.arm({
      clientId,
      ...(form.get('status') ? { status: Number(form.get('status')) } : {}),
      ...(body === 'json' || body === 'html' ? { body } : {}),
      ...(form.get('retryAfterSeconds') ? { retryAfterSeconds: Number(form.get('retryAfterSeconds')) } : {}),
      ...(form.get('drop') === 'true' ? { drop: true } : {}),
    });
    ctx.status = 204;
    return true;
  }
  if (ctx.method === 'GET' || ctx.method === 'DELETE') {
    const clientId = typeof ctx.query.clientId === 'string' ? ctx.query.clientId : '';
    if (ctx.method === 'DELETE') faults.disarm(clientId);
    ctx.body = { answered: faults.answered.get(clientId) ?? 0 };
    return true;
  }
  return false;
}
