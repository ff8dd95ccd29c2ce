/**
 * A refresh token presented again after it was rotated, answered as MAS answers it. MAS takes such a replay for a
 * client that lost the answer to its refresh ("double refresh") as long as the pair issued in its place was never
 * used: that pair is revoked and a new one issued. Otherwise the replay is refused (invalid_grant) and the session
 * lives on. oidc-provider's own rule is stricter (any replay revokes the whole grant); a test that wants it arms it
 * for one session: POST /_bed/refresh-replay/strict {token} (an access or refresh token of that session).
 */
import type { IncomingMessage } from 'node:http';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { GrantOf } from './faults.ts';
import { bodyOnce, readText, type ControlContext } from './http-util.ts';

/** The pair issued when a refresh token was rotated (opaque token values). */
interface Successor {
  refreshToken: string;
  accessToken: string;
}

/** The subset of a Koa context needed to answer a refresh here. */
interface RefreshContext {
  req: IncomingMessage & { body?: unknown };
  status: number;
  type: string;
  body: unknown;
}

export class RefreshReplays {
  /** Sessions (grant IDs) that get oidc-provider's strict rule. */
  private readonly strictSessions = new Set<string>();
  /** A rotated refresh token → the pair issued in its place, while that pair is the latest of its session. */
  private readonly successors = new Map<string, Successor>();
  /** Access tokens the homeserver asked about: MAS counts a token as used once it was introspected. */
  private readonly used = new Set<string>();
  /** Replays forgiven so far, by session (what a test checks it really met the rule). */
  private readonly forgiven = new Map<string, number>();

  constructor(
    private readonly provider: Provider,
    private readonly grantOf: GrantOf,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Before the provider sees a token request: a replay MAS forgives goes on as a plain refresh of the old token; a
   * replay MAS refuses is refused here without ending the session. True when answered here.
   */
  async intercept(ctx: RefreshContext): Promise<boolean> {
    const form = new URLSearchParams(await bodyOnce(ctx.req));
    if (form.get('grant_type') !== 'refresh_token') return false;
    const token = await this.provider.RefreshToken.find(form.get('refresh_token') ?? '', { ignoreExpiration: true });
    // Strict sessions get oidc-provider's answer: the replay revokes the grant.
    if (!token?.consumed || this.strictSessions.has(token.grantId ?? '')) return false;
    const successor = this.successors.get(token.jti);
    const next = successor && (await this.provider.RefreshToken.find(successor.refreshToken));
    if (!successor || !next || next.consumed || this.used.has(successor.accessToken)) {
      ctx.status = 400;
      ctx.type = 'application/json';
      ctx.body = { error: 'invalid_grant', error_description: 'refresh token already used' };
      return true;
    }
    await (await this.provider.AccessToken.find(successor.accessToken))?.destroy();
    await next.destroy();
    this.successors.delete(token.jti);
    // Good for one more rotation, which the provider now does as for any refresh.
    delete token.consumed;
    await token.save();
    const session = token.grantId ?? '';
    this.forgiven.set(session, (this.forgiven.get(session) ?? 0) + 1);
    this.log('refresh token replayed before its successor was used: successor revoked, token reissued');
    return false;
  }

  /** After a refresh answered 200: remembers the pair that replaced the rotated token. */
  recordRotation(ctx: KoaContextWithOIDC): void {
    const { RotatedRefreshToken: rotated, RefreshToken: issued, AccessToken: access } = ctx.oidc.entities;
    if (!rotated || !issued?.jti || !access?.jti) return;
    // Only the latest rotation of a session can be forgiven: older ones have a used successor by now.
    for (const [old, successor] of this.successors) {
      if (successor.refreshToken === rotated.jti) this.successors.delete(old);
    }
    this.successors.set(rotated.jti, { refreshToken: issued.jti, accessToken: access.jti });
  }

  /** After an introspection: the homeserver saw this access token. */
  markUsed(ctx: KoaContextWithOIDC): void {
    const token = ctx.oidc.params?.token;
    if ((ctx.body as { active?: boolean } | undefined)?.active && typeof token === 'string') this.used.add(token);
  }

  /**
   * The control routes (POST /_bed/refresh-replay/strict {token}; GET /_bed/refresh-replay?token=…, the replays
   * forgiven in that token's session); true when handled.
   */
  async route(ctx: ControlContext): Promise<boolean> {
    if (ctx.method === 'GET' && ctx.path === '/_bed/refresh-replay') {
      const session = await this.grantOf(typeof ctx.query.token === 'string' ? ctx.query.token : '');
      ctx.body = { forgiven: (session && this.forgiven.get(session)) ?? 0 };
      return true;
    }
    if (ctx.method !== 'POST' || ctx.path !== '/_bed/refresh-replay/strict') return false;
    const session = await this.grantOf(new URLSearchParams(await readText(ctx.req)).get('token') ?? '');
    if (session) this.strictSessions.add(session);
    ctx.status = session ? 204 : 400;
    return true;
  }
}
