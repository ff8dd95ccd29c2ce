/**
 * A MAS-like OAuth 2.0 authorization server for the test bed, built on oidc-provider.
 * Besides the provider it serves the login/consent/sign-up pages, provisions users and devices in Synapse
 * (as MAS does) and revokes the previous access token on refresh.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { AccountStore, type Account, type NewAccount } from './accounts.ts';
import { readBody } from './http-util.ts';
import { MATRIX_RESOURCE } from './matrix-scopes.ts';
import { consentPage, loginPage, messagePage, signupPage } from './pages.ts';
import { DeviceAnswers } from './device-answers.ts';
import { faultRoute, TokenFaults } from './faults.ts';
import { RefreshReplays } from './refresh-replays.ts';
import { RegistrationReuse } from './registration-reuse.ts';
import { ServedRequests } from './served-requests.ts';
import { loginHintUsername, requestedScopes } from './interaction-params.ts';
import { ROUTES, deviceIdOf, providerConfiguration } from './provider-config.ts';
import { SynapseAdmin, type HomeserverLink } from './synapse-admin.ts';

export interface OAuthServerOptions {
  port: number;
  /** Loopback address to serve on (see OAUTH_HOST). */
  host?: string;
  /** Default access-token lifetime in seconds (MAS default: 300). */
  accessTokenTtl?: number;
  /** Demo mode: finish every interaction without a page, as the login_hint user or the first user. */
  autoApprove?: boolean;
  /** People may create accounts (`prompt=create`); on unless false, as on matrix.org. */
  registration?: boolean;
  homeserver: HomeserverLink;
  introspectionClient: { id: string; secret: string };
  /** Bearer token guarding the bed's own control routes (/_bed/...). */
  controlToken: string;
  log: (line: string) => void;
}

/** oidc-provider's default device-flow interval (5 s), with a little slack for timer jitter. */
const DEVICE_POLL_INTERVAL_MS = 4_500;

/** The Koa context of middleware added with provider.use (oidc is only there once the provider ran). */
type Ctx = Parameters<Parameters<Provider['use']>[0]>[0];

interface SessionRecord {
  username: string;
  deviceId: string;
}

export class OAuthServer {
  readonly accounts = new AccountStore();
  readonly issuer: string;
  private readonly provider: Provider;
  private readonly admin: SynapseAdmin;
  /** grantId → the Matrix session (device) it represents. */
  private readonly sessions = new Map<string, SessionRecord>();
  /** grantId → access tokens issued for it, so a refresh can revoke its predecessor. */
  private readonly accessTokens = new Map<string, Set<string>>();
  /** device_code → time of its last poll. */
  private readonly devicePolls = new Map<string, number>();
  /** The latest requests served, for benchmarks that count a client's round trips at the server. */
  private readonly served = new ServedRequests();
  /** Device authorizations answered as MAS does (interval, no complete URI unless a test asks). */
  private readonly deviceAnswers = new DeviceAnswers();
  /** Outages a test can switch on at the token and revocation endpoints (POST /_bed/faults/token). */
  private readonly faults = new TokenFaults((token) => this.grantOf(token));
  /** Refresh-token replays answered as MAS does (or as strictly as oidc-provider, for a client that asks). */
  private readonly replays: RefreshReplays;
  /** Registrations with metadata seen before answered with the same client, as MAS does. */
  private readonly registrations: RegistrationReuse;
  private server?: Server;

  constructor(private readonly options: OAuthServerOptions) {
    this.issuer = `http://${options.host ?? '127.0.0.1'}:${options.port}`;
    this.admin = new SynapseAdmin(options.homeserver);
    this.provider = new Provider(
      this.issuer,
      providerConfiguration({
        issuer: this.issuer,
        accounts: this.accounts,
        accessTokenTtl: options.accessTokenTtl ?? 300,
        introspectionClient: options.introspectionClient,
        cookieKeys: [randomBytes(16).toString('hex')],
        signingKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
        registration: options.registration ?? true,
      }),
    );
    this.registrations = new RegistrationReuse(this.provider);
    this.replays = new RefreshReplays(this.provider, (token) => this.grantOf(token), options.log);
    this.provider.on('access_token.saved', (token: { grantId?: string; jti: string }) => {
      if (!token.grantId) return;
      const set = this.accessTokens.get(token.grantId) ?? new Set<string>();
      set.add(token.jti);
      this.accessTokens.set(token.grantId, set);
    });
    this.provider.on('grant.revoked', (_ctx: unknown, grantId: string) => void this.endSession(grantId));
    // Why a request was refused (no secrets in these), for the logs kept when a test fails.
    const logRefusal = (event: string) => (_ctx: unknown, error: { error?: string; error_description?: string }) =>
      options.log(`${event} ${error.error ?? ''}: ${error.error_description ?? ''}`);
    this.provider.on('authorization.error', logRefusal('authorization.error'));
    this.provider.on('grant.error', logRefusal('grant.error'));
    this.provider.on('registration_create.error', logRefusal('registration_create.error'));
    this.provider.on('server_error', (_ctx: unknown, error: Error) =>
      options.log(`server_error ${error.stack ?? error.message}`),
    );
    this.installMiddleware();
  }

  async start(): Promise<void> {
    const handle = this.provider.callback();
    const server = createServer((request, response) => void handle(request, response));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host ?? '127.0.0.1', () => resolve());
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? this.options.port;
  }

  /** Creates a user here and in Synapse, as MAS does on registration. */
  async createUser(input: NewAccount): Promise<Account> {
    const account = this.accounts.add(input);
    await this.admin.upsertUser(account.username, account.sub, account.displayName);
    return account;
  }

  private installMiddleware(): void {
    const { log } = this.options;
    this.provider.use(async (ctx, next) => {
      const started = Date.now();
      try {
        await next();
      } finally {
        // Path only: query strings carry codes and state.
        log(`${ctx.method} ${ctx.path} ${ctx.status} ${Date.now() - started}ms`);
        if (!ctx.path.startsWith('/_bed/')) this.recordServed(ctx, started);
      }
    });
    this.provider.use(async (ctx, next) => {
      if (ctx.path.startsWith('/interaction/')) return this.interaction(ctx);
      if (ctx.path.startsWith('/_bed/')) return this.control(ctx);
      if (ctx.path.startsWith('/account')) {
        ctx.type = 'html';
        ctx.body = messagePage('Your account', `Account management (action: ${String(ctx.query.action ?? 'none')}).`);
        return;
      }
      const faultable = ctx.path === ROUTES.token || ctx.path === ROUTES.revocation;
      if (faultable && ctx.method === 'POST' && (await this.faults.intercept(ctx))) return;
      if (ctx.path === ROUTES.token && ctx.method === 'POST' && (await this.replays.intercept(ctx))) return;
      const registering = ctx.path === ROUTES.registration && ctx.method === 'POST';
      if (registering && (await this.registrations.intercept(ctx))) return;
      await next();
      if (registering && ctx.status === 201) await this.registrations.record(ctx);
      if (ctx.path === ROUTES.token) {
        if (ctx.status === 200) await this.afterTokenIssued(ctx as KoaContextWithOIDC);
        else this.enforceDevicePollingInterval(ctx as KoaContextWithOIDC);
      }
      if (ctx.path === ROUTES.introspection && ctx.status === 200) {
        addExpiresIn(ctx);
        this.replays.markUsed(ctx as KoaContextWithOIDC);
      }
      if (ctx.path === ROUTES.device_authorization && ctx.status === 200)
        this.deviceAnswers.apply(ctx as KoaContextWithOIDC);
    });
  }

  /** Login, sign-up and consent pages for one pending authorization (or device) request. */
  private async interaction(ctx: Ctx): Promise<void> {
    const [, , uid, step] = ctx.path.split('/');
    const details = await this.provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== uid) ctx.throw(400, 'interaction mismatch');
    (ctx.state as { clientId?: string }).clientId = String(details.params.client_id);
    const client = await this.provider.Client.find(String(details.params.client_id));
    const clientName = client?.clientName ?? String(details.params.client_id);
    const base = `/interaction/${details.uid}`;
    const prompt = details.prompt.name;
    ctx.type = 'html';

    if (this.options.autoApprove && ctx.method === 'GET') {
      const hinted = loginHintUsername(details.params.login_hint);
      const account = (hinted && this.accounts.byName(hinted)) || this.accounts.byName('demo');
      if (account) return this.finish(ctx, details, account.sub, true);
    }
    if (ctx.method === 'GET') {
      if (prompt === 'create') ctx.body = signupPage(`${base}/signup`, clientName);
      else if (prompt === 'login') {
        ctx.body = loginPage(`${base}/login`, clientName, loginHintUsername(details.params.login_hint) ?? '');
      } else ctx.body = consentPage(`${base}/confirm`, `${base}/abort`, clientName, requestedScopes(details.params));
      return;
    }
    const form = await readBody(ctx.req);
    if (step === 'abort') {
      await this.provider.interactionFinished(
        ctx.req,
        ctx.res,
        {
          error: 'access_denied',
          error_description: 'The user denied the request',
        },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (step === 'login' || step === 'signup') {
      let account: Account | undefined;
      let error: string | undefined;
      if (step === 'login') {
        account = this.accounts.verify(form.username ?? '', form.password ?? '');
        if (!account) error = 'Wrong username or password.';
      } else {
        try {
          account = await this.createUser({ username: form.username ?? '', password: form.password ?? '' });
        } catch (e) {
          error = (e as Error).message;
        }
      }
      if (!account) {
        ctx.status = 400;
        ctx.body =
          step === 'login'
            ? loginPage(`${base}/login`, clientName, form.username ?? '', error)
            : signupPage(`${base}/signup`, clientName, error);
        return;
      }
      await this.provider.interactionFinished(
        ctx.req,
        ctx.res,
        {
          login: { accountId: account.sub },
          ...(step === 'signup' ? { create: {} } : {}),
        },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (step === 'confirm' && details.session?.accountId) {
      return this.finish(ctx, details, details.session.accountId, false);
    }
    ctx.status = 400;
    ctx.body = messagePage('Bad request', 'This step is not valid for the sign-in in progress.');
  }

  /** Grants the requested scopes (consent) and, when needed, logs the account in. */
  private async finish(
    ctx: Ctx,
    details: Awaited<ReturnType<Provider['interactionDetails']>>,
    accountId: string,
    withLogin: boolean,
  ): Promise<void> {
    // MAS starts a session of its own for every authorization, even for a client and an account it has seen.
    const grant = new this.provider.Grant({ accountId, clientId: String(details.params.client_id) });
    const scopes = requestedScopes(details.params);
    const oidcScopes = scopes.filter((s) => !s.startsWith('urn:matrix:'));
    const matrixScopes = scopes.filter((s) => s.startsWith('urn:matrix:'));
    if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
    if (matrixScopes.length) grant.addResourceScope(MATRIX_RESOURCE, matrixScopes.join(' '));
    const grantId = await grant.save();
    await this.provider.interactionFinished(
      ctx.req,
      ctx.res,
      {
        ...(withLogin ? { login: { accountId } } : {}),
        ...(details.prompt.name === 'create' ? { create: {} } : {}),
        consent: { grantId },
      },
      { mergeWithLastSubmission: true },
    );
  }

  /** Bookkeeping MAS does when it issues tokens: create the device; revoke the replaced access token. */
  private async afterTokenIssued(ctx: KoaContextWithOIDC): Promise<void> {
    const body = ctx.body as { access_token?: string } | undefined;
    if (!body?.access_token) return;
    const token = await this.provider.AccessToken.find(body.access_token);
    if (!token?.grantId || !token.accountId) return;
    const grantType = ctx.oidc.params?.grant_type;
    if (grantType === 'refresh_token') {
      this.replays.recordRotation(ctx);
      for (const jti of this.accessTokens.get(token.grantId) ?? []) {
        if (jti === token.jti) continue;
        await (await this.provider.AccessToken.find(jti))?.destroy();
      }
      this.accessTokens.set(token.grantId, new Set([token.jti]));
      return;
    }
    const account = this.accounts.bySubject(token.accountId);
    const deviceId = deviceIdOf(token.scope);
    if (!account || !deviceId) return;
    await this.admin.upsertDevice(account.username, deviceId);
    this.sessions.set(token.grantId, { username: account.username, deviceId });
  }

  /** The session (grant) a refresh or access token belongs to. */
  private async grantOf(token: string): Promise<string | undefined> {
    if (!token) return undefined;
    const refresh = await this.provider.RefreshToken.find(token, { ignoreExpiration: true });
    return refresh?.grantId ?? (await this.provider.AccessToken.find(token))?.grantId;
  }

  private recordServed(ctx: Ctx, started: number): void {
    const oidc = (ctx as Partial<KoaContextWithOIDC>).oidc;
    const registered = ctx.path === ROUTES.registration ? (ctx.body as { client_id?: unknown } | undefined) : undefined;
    const clientId =
      oidc?.client?.clientId ??
      (ctx.state as { clientId?: string }).clientId ??
      (typeof registered?.client_id === 'string' ? registered.client_id : undefined);
    this.served.record({
      t: started,
      method: ctx.method,
      path: ctx.path,
      status: ctx.status,
      ...(clientId ? { clientId } : {}),
    });
  }

  /** RFC 8628 §3.5: a device-code poll sooner than the interval after the previous one is told to slow down. */
  private enforceDevicePollingInterval(ctx: KoaContextWithOIDC): void {
    const body = ctx.body as { error?: string } | undefined;
    const deviceCode = ctx.oidc.params?.device_code;
    if (body?.error !== 'authorization_pending' || typeof deviceCode !== 'string') return;
    const now = Date.now();
    const previous = this.devicePolls.get(deviceCode);
    this.devicePolls.set(deviceCode, now);
    if (previous !== undefined && now - previous < DEVICE_POLL_INTERVAL_MS) {
      ctx.body = { error: 'slow_down', error_description: 'polling faster than the interval' };
    }
  }

  /** MAS deletes the device when its session ends, unless another live session uses it. */
  private async endSession(grantId: string): Promise<void> {
    const session = this.sessions.get(grantId);
    this.sessions.delete(grantId);
    this.accessTokens.delete(grantId);
    if (!session) return;
    const stillUsed = [...this.sessions.values()].some(
      (s) => s.username === session.username && s.deviceId === session.deviceId,
    );
    if (stillUsed) return;
    try {
      await this.admin.deleteDevice(session.username, session.deviceId);
    } catch (error) {
      this.options.log(`device cleanup failed: ${(error as Error).message}`);
    }
  }

  /** The bed's own API (not part of MAS): create users for tests and demos; read the requests served. */
  private async control(ctx: Ctx): Promise<void> {
    if (ctx.get('authorization') !== `Bearer ${this.options.controlToken}`) {
      ctx.status = 401;
      ctx.body = { error: 'unauthorized' };
      return;
    }
    if (ctx.method === 'POST' && ctx.path === '/_bed/users') {
      const form = await readBody(ctx.req);
      try {
        const account = await this.createUser({
          username: form.username ?? '',
          password: form.password ?? '',
          ...(form.displayName ? { displayName: form.displayName } : {}),
          ...(form.accessTokenTtl ? { accessTokenTtl: Number(form.accessTokenTtl) } : {}),
        });
        ctx.status = 201;
        ctx.body = { sub: account.sub, username: account.username, user_id: this.admin.mxid(account.username) };
      } catch (error) {
        ctx.status = 400;
        ctx.body = { error: (error as Error).message };
      }
      return;
    }
    if (await faultRoute(ctx, this.faults)) return;
    if (await this.deviceAnswers.route(ctx)) return;
    if (await this.replays.route(ctx)) return;
    if (this.served.route(ctx)) return;
    ctx.status = 404;
    ctx.body = { error: 'not found' };
  }
}

function addExpiresIn(ctx: Ctx): void {
  const body = ctx.body as { active?: boolean; exp?: number; expires_in?: number } | undefined;
  if (body?.active && typeof body.exp === 'number') {
    body.expires_in = Math.max(0, body.exp - Math.floor(Date.now() / 1000));
  }
}
