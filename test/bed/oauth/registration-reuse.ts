/**
 * MAS gives a public client that registers again with identical metadata the client it already has, instead of
 * minting a new client_id: every sign-in of one app then shares one client, each in its own session.
 */
import type { IncomingMessage } from 'node:http';
import type Provider from 'oidc-provider';
import { bodyOnce } from './http-util.ts';

/** The subset of a Koa context needed to answer a registration here. */
interface RegistrationContext {
  req: IncomingMessage & { body?: unknown };
  status: number;
  type: string;
  body: unknown;
}

export class RegistrationReuse {
  /** Metadata (canonical JSON) → the client registered with it. */
  private readonly byMetadata = new Map<string, string>();

  constructor(private readonly provider: Provider) {}

  /** Answers a registration with the client already registered with the same metadata; true when it did. */
  async intercept(ctx: RegistrationContext): Promise<boolean> {
    const key = await this.keyOf(ctx);
    const clientId = key && this.byMetadata.get(key);
    const client = clientId ? await this.provider.Client.find(clientId) : undefined;
    if (!client) return false;
    ctx.status = 201;
    ctx.type = 'application/json';
    ctx.body = client.metadata();
    return true;
  }

  /** After a registration answered 201: remembers the client for its metadata. */
  async record(ctx: RegistrationContext): Promise<void> {
    const key = await this.keyOf(ctx);
    const clientId = (ctx.body as { client_id?: unknown } | undefined)?.client_id;
    if (key && typeof clientId === 'string') this.byMetadata.set(key, clientId);
  }

  /** The metadata of a public client's registration as canonical JSON; undefined for any other request. */
  private async keyOf(ctx: RegistrationContext): Promise<string | undefined> {
    let metadata: unknown;
    try {
      metadata = JSON.parse(await bodyOnce(ctx.req));
    } catch {
      return undefined;
    }
    const isPublic = (metadata as { token_endpoint_auth_method?: unknown }).token_endpoint_auth_method === 'none';
    return isPublic ? canonicalJson(metadata) : undefined;
  }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
