/**
 * The requests the OAuth server answered, kept for GET /_bed/requests: benchmarks and tests count a client's
 * round trips at the server with them. Paths only: query strings carry codes and state.
 */

/** One request the server answered, as GET /_bed/requests reports it. */
export interface ServedRequest {
  /** Increases by one per request: a reader asks for those after the last it saw. */
  seq: number;
  /** Epoch milliseconds when the request arrived. */
  t: number;
  method: string;
  path: string;
  status: number;
  /** The OAuth client the request was for, when the server knows it (not a secret: clients are public). */
  clientId?: string;
}

/** Served requests kept (the oldest are dropped). */
const KEPT = 5_000;

export class ServedRequests {
  private readonly served: ServedRequest[] = [];
  private seq = 0;

  record(request: Omit<ServedRequest, 'seq'>): void {
    this.served.push({ seq: ++this.seq, ...request });
    if (this.served.length > KEPT) this.served.splice(0, this.served.length - KEPT);
  }

  /** GET /_bed/requests?after=<seq>: the requests served since, oldest first; `last` is where to read on. */
  route(ctx: { method: string; path: string; query: Record<string, unknown>; body: unknown }): boolean {
    if (ctx.method !== 'GET' || ctx.path !== '/_bed/requests') return false;
    const after = Number(ctx.query.after ?? 0);
    ctx.body = { records: this.served.filter((r) => r.seq > after), last: this.seq };
    return true;
  }
}
