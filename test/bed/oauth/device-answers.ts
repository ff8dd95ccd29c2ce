/**
 * Device authorizations as MAS answers them: with the polling `interval` (5 s) spelled out, and without
 * `verification_uri_complete` unless configured to, so the person types the code. A test that wants the
 * complete URI (some servers send it) arms it for its client: POST /_bed/device/complete-uri {clientId}.
 */
import type { IncomingMessage } from 'node:http';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { readText } from './http-util.ts';

export class DeviceAnswers {
  private readonly clients = new Set<string>();

  /** Makes a device authorization answer MAS's. */
  apply(ctx: KoaContextWithOIDC): void {
    const body = ctx.body as { verification_uri_complete?: string; interval?: number } | undefined;
    if (!body) return;
    body.interval ??= 5;
    if (!this.clients.has(ctx.oidc?.client?.clientId ?? '')) delete body.verification_uri_complete;
  }

  /** The control route; true when handled. */
  async route(ctx: { method: string; path: string; req: IncomingMessage; status: number }): Promise<boolean> {
    if (ctx.method !== 'POST' || ctx.path !== '/_bed/device/complete-uri') return false;
    const clientId = new URLSearchParams(await readText(ctx.req)).get('clientId');
    if (clientId) this.clients.add(clientId);
    ctx.status = clientId ? 204 : 400;
    return true;
  }
}
