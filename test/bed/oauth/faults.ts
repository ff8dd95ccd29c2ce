/**
 * Failures the bed's token endpoint (and its revocation endpoint, which a sign-out meets) can be told to answer
 * with, as a real authorization server does when it is in trouble: a 5xx with an HTML or a JSON body, a 429 with
 * Retry-After, or a connection dropped without an answer. A fault is armed for one session (the grant behind a
 * token the test holds), so a test can play an outage without disturbing the tests that share the bed, even
 * when their sign-ins share one OAuth client (the server reuses a client registered with identical metadata).
 */
import type { IncomingMessage } from 'node:http';
import { bodyOnce, readText, type ControlContext } from './http-util.ts';

export interface TokenFault {
  /** The HTTP status to answer with (500, 502, 503, 429…); unused when `drop`. */
  status?: number;
  /** An HTML error page (a proxy's, say) or an OAuth-style JSON error. */
  body?: 'html' | 'json';
  retryAfterSeconds?: number;
  /** Close the connection without an answer. */
  drop?: boolean;
}

/** The session (grant ID) a token belongs to, if the server knows the token. */
export type GrantOf = (token: string) => Promise<string | undefined>;

/** The subset of a Koa context the faults need. */
interface FaultContext {
  req: IncomingMessage & { body?: unknown };
  status: number;
  type: string;
  body: unknown;
  set(field: string, value: string): void;
  respond?: boolean;
}

export class TokenFaults {
  private readonly bySession = new Map<string, TokenFault>();
  /** Requests answered with a fault, by session (what a test checks it really met the outage). */
  readonly answered = new Map<string, number>();

  constructor(readonly grantOf: GrantOf) {}

  arm(session: string, fault: TokenFault): void {
    this.bySession.set(session, fault);
  }

  disarm(session: string): void {
    this.bySession.delete(session);
  }

  /** Answers a refresh or revocation with its session's fault, if one is armed; true when it did. */
  async intercept(ctx: FaultContext): Promise<boolean> {
    if (this.bySession.size === 0) return false;
    const form = new URLSearchParams(await bodyOnce(ctx.req));
    const token = form.get('refresh_token') ?? form.get('token');
    const session = token ? await this.grantOf(token) : undefined;
    const fault = session && this.bySession.get(session);
    if (!session || !fault) return false;
    this.answered.set(session, (this.answered.get(session) ?? 0) + 1);
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
 * The control routes: POST /_bed/faults/token {token, status?, body?, retryAfterSeconds?, drop?} arms a fault for
 * the session of `token` and answers {fault}, the handle of the others: GET /_bed/faults/token?fault=… answers how
 * many requests it failed so far, DELETE disarms it and answers the same. True when handled.
 */
export async function faultRoute(ctx: ControlContext, faults: TokenFaults): Promise<boolean> {
  if (ctx.path !== '/_bed/faults/token') return false;
  if (ctx.method === 'POST') {
    const form = new URLSearchParams(await readText(ctx.req));
    const session = await faults.grantOf(form.get('token') ?? '');
    if (!session) {
      ctx.status = 400;
      ctx.body = { error: 'token is required: an access or refresh token of a live session' };
      return true;
    }
    const body = form.get('body');
    faults.arm(session, {
      ...(form.get('status') ? { status: Number(form.get('status')) } : {}),
      ...(body === 'json' || body === 'html' ? { body } : {}),
      ...(form.get('retryAfterSeconds') ? { retryAfterSeconds: Number(form.get('retryAfterSeconds')) } : {}),
      ...(form.get('drop') === 'true' ? { drop: true } : {}),
    });
    ctx.status = 201;
    ctx.body = { fault: session };
    return true;
  }
  if (ctx.method === 'GET' || ctx.method === 'DELETE') {
    const session = typeof ctx.query.fault === 'string' ? ctx.query.fault : '';
    if (ctx.method === 'DELETE') faults.disarm(session);
    ctx.body = { answered: faults.answered.get(session) ?? 0 };
    return true;
  }
  return false;
}
