/**
 * A deliberately plain OAuth 2.0 client (fetch only) that the bed's own tests use to prove the servers behave
 * like MAS. The product's client lives in src/core; this one must not share code with it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BedInfo } from './bed.ts';
import { Browser, type BrowserResponse } from './browser.ts';

export interface AuthMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  registration_endpoint: string;
  revocation_endpoint: string;
  introspection_endpoint?: string;
  device_authorization_endpoint?: string;
  prompt_values_supported?: string[];
  account_management_uri?: string;
  account_management_actions_supported?: string[];
  code_challenge_methods_supported?: string[];
  grant_types_supported?: string[];
  [key: string]: unknown;
}

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
  token_type?: string;
}

export const CLIENT_URI = 'https://matrix-channels.example.org/';

export function nativeClientMetadata(
  redirectUris: string[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    client_name: 'Bed test client',
    client_uri: CLIENT_URI,
    application_type: 'native',
    redirect_uris: redirectUris,
    grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    ...extra,
  };
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function newDeviceId(): string {
  return `BED${randomBytes(8).toString('hex').toUpperCase()}`;
}

export function matrixScope(deviceId: string, form: 'stable' | 'unstable' = 'stable'): string {
  const ns = form === 'stable' ? 'urn:matrix:client' : 'urn:matrix:org.matrix.msc2967.client';
  return `${ns}:api:* ${ns}:device:${deviceId}`;
}

async function json<T>(response: Response): Promise<JsonResponse<T>> {
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

function form(url: string, params: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(params).toString(),
  });
}

export class BedOAuthClient {
  constructor(readonly metadata: AuthMetadata) {}

  /** Discovery the way a Matrix client does it: from the homeserver's auth_metadata. */
  static async fromHomeserver(baseUrl: string): Promise<BedOAuthClient> {
    const response = await fetch(`${baseUrl}/_matrix/client/v1/auth_metadata`);
    if (!response.ok) throw new Error(`auth_metadata answered ${response.status}`);
    return new BedOAuthClient((await response.json()) as AuthMetadata);
  }

  /** Plain OAuth discovery, for an authorization server with no homeserver in front. */
  static async fromIssuer(issuer: string): Promise<BedOAuthClient> {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`);
    if (!response.ok) throw new Error(`openid-configuration answered ${response.status}`);
    return new BedOAuthClient((await response.json()) as AuthMetadata);
  }

  async register(
    metadata: Record<string, unknown>,
  ): Promise<JsonResponse<{ client_id?: string; error?: string; error_description?: string }>> {
    return json(
      await fetch(this.metadata.registration_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(metadata),
      }),
    );
  }

  async registerNative(redirectUris: string[], extra: Record<string, unknown> = {}): Promise<string> {
    const { status, body } = await this.register(nativeClientMetadata(redirectUris, extra));
    if (status !== 201 || !body.client_id) throw new Error(`registration failed: ${status} ${JSON.stringify(body)}`);
    return body.client_id;
  }

  authorizationUrl(params: Record<string, string>): string {
    const url = new URL(this.metadata.authorization_endpoint);
    for (const [key, value] of Object.entries({ response_type: 'code', response_mode: 'query', ...params })) {
      url.searchParams.set(key, value);
    }
    return url.href;
  }

  async exchangeCode(
    clientId: string,
    code: string,
    redirectUri: string,
    verifier: string,
  ): Promise<JsonResponse<TokenSet & { error?: string }>> {
    return json(
      await form(this.metadata.token_endpoint, {
        grant_type: 'authorization_code',
        client_id: clientId,
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      }),
    );
  }

  async refresh(clientId: string, refreshToken: string): Promise<JsonResponse<TokenSet & { error?: string }>> {
    return json(
      await form(this.metadata.token_endpoint, {
        grant_type: 'refresh_token',
        client_id: clientId,
        refresh_token: refreshToken,
      }),
    );
  }

  async revoke(clientId: string, token: string, hint: 'access_token' | 'refresh_token'): Promise<number> {
    const response = await form(this.metadata.revocation_endpoint, {
      client_id: clientId,
      token,
      token_type_hint: hint,
    });
    await response.arrayBuffer();
    return response.status;
  }

  async deviceAuthorization(
    clientId: string,
    scope: string,
  ): Promise<
    JsonResponse<{
      device_code: string;
      user_code: string;
      verification_uri: string;
      verification_uri_complete?: string;
      expires_in: number;
      interval?: number;
      error?: string;
    }>
  > {
    return json(await form(this.metadata.device_authorization_endpoint!, { client_id: clientId, scope }));
  }

  async pollDeviceToken(clientId: string, deviceCode: string): Promise<JsonResponse<TokenSet & { error?: string }>> {
    return json(
      await form(this.metadata.token_endpoint, {
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        client_id: clientId,
        device_code: deviceCode,
      }),
    );
  }
}

/** A one-shot loopback listener on an ephemeral port that records the query of each callback. */
export class LoopbackListener {
  readonly callbacks: URLSearchParams[] = [];
  private constructor(private readonly server: Server) {}

  static async open(): Promise<LoopbackListener> {
    const server = createServer();
    const listener = new LoopbackListener(server);
    server.on('request', (req, res) => {
      listener.callbacks.push(new URL(req.url ?? '/', 'http://127.0.0.1').searchParams);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('You can close this window.');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return listener;
  }

  get redirectUri(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callback`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface CodeFlowResult {
  clientId: string;
  deviceId: string;
  tokens: TokenSet;
}

/**
 * The whole authorization-code flow as a person would do it: registration (without a port, as MAS allows),
 * the login page, the consent page, the code on a loopback listener, the exchange.
 */
export async function signInWithBrowser(
  client: BedOAuthClient,
  credentials: { username: string; password: string },
  options: { browser?: Browser; deviceId?: string; consent?: 'allow' | 'deny'; loginHint?: string } = {},
): Promise<CodeFlowResult & { callback: URLSearchParams }> {
  const listener = await LoopbackListener.open();
  try {
    const clientId = await client.registerNative(['http://127.0.0.1/callback']);
    const deviceId = options.deviceId ?? newDeviceId();
    const { verifier, challenge } = pkcePair();
    const state = randomBytes(12).toString('base64url');
    const browser = options.browser ?? new Browser();
    const url = client.authorizationUrl({
      client_id: clientId,
      redirect_uri: listener.redirectUri,
      scope: matrixScope(deviceId),
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...(options.loginHint ? { login_hint: options.loginHint } : {}),
    });
    let page: BrowserResponse = await browser.navigate(url);
    if (page.body.includes('id="login"')) {
      page = await browser.submit(page, credentials, { formId: 'login' });
    }
    // (A bed started with --auto-approve answers at once: no login or consent page.)
    if (listener.callbacks.length === 0) {
      page = await browser.submit(page, {}, { formId: options.consent === 'deny' ? 'deny' : 'consent' });
    }
    const callback = listener.callbacks[0];
    if (!callback)
      throw new Error(`no callback reached the loopback listener; last page ${page.status} ${page.body.slice(0, 300)}`);
    if (callback.get('state') !== state) throw new Error('state mismatch');
    const code = callback.get('code');
    if (!code) return { clientId, deviceId, tokens: { access_token: '' }, callback };
    const exchanged = await client.exchangeCode(clientId, code, listener.redirectUri, verifier);
    if (exchanged.status !== 200) throw new Error(`token exchange failed: ${exchanged.status} ${exchanged.body.error}`);
    return { clientId, deviceId, tokens: exchanged.body, callback };
  } finally {
    await listener.close();
  }
}

export interface Introspection {
  active: boolean;
  client_id?: string;
  [claim: string]: unknown;
}

/**
 * What the OAuth server says of a token, asked as the homeserver asks it (its confidential introspection client).
 * This is where a revocation is decided: the homeserver refuses the token once its own cache of the previous
 * answer lapses (Synapse keeps a positive answer for up to 2 minutes).
 */
export async function introspectToken(
  bed: BedInfo,
  token: string,
  options: { hint?: string; client?: { id: string; secret: string } } = {},
): Promise<Introspection> {
  const { metadata } = await BedOAuthClient.fromHomeserver(bed.delegated.baseUrl);
  const { id, secret } = options.client ?? bed.oauth.introspectionClient;
  const response = await fetch(metadata.introspection_endpoint!, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token, ...(options.hint ? { token_type_hint: options.hint } : {}) }).toString(),
  });
  if (response.status !== 200) throw new Error(`introspection answered HTTP ${response.status}`);
  return (await response.json()) as Introspection;
}

/** Device authorizations for this client carry verification_uri_complete (the bed, like MAS, sends none). */
export async function offerCompleteUri(bed: BedInfo, clientId: string): Promise<void> {
  const response = await bedControl(bed, 'POST', '/_bed/device/complete-uri', { clientId });
  if (response.status !== 204) throw new Error(`offering the complete URI answered HTTP ${response.status}`);
}

/**
 * Makes the bed's token and revocation endpoints fail for one session (the one `token`, an access or refresh token
 * of it, belongs to; see test/bed/oauth/faults.ts) until disarmed. Resolves with the fault's handle.
 */
export async function armTokenFault(
  bed: BedInfo,
  fault: { token: string; status?: number; body?: 'html' | 'json'; retryAfterSeconds?: number; drop?: boolean },
): Promise<string> {
  const response = await bedControl(bed, 'POST', '/_bed/faults/token', fault);
  if (response.status !== 201) throw new Error(`arming the fault answered HTTP ${response.status}`);
  return ((await response.json()) as { fault: string }).fault;
}

/** Ends the fault; resolves with how many requests it failed. */
export function disarmTokenFault(bed: BedInfo, fault: string): Promise<number> {
  return tokenFaultCall(bed, fault, 'DELETE');
}

/** How many requests the fault has failed so far. */
export function tokenFaultCount(bed: BedInfo, fault: string): Promise<number> {
  return tokenFaultCall(bed, fault, 'GET');
}

async function tokenFaultCall(bed: BedInfo, fault: string, method: 'GET' | 'DELETE'): Promise<number> {
  const response = await bedControl(bed, method, `/_bed/faults/token?fault=${encodeURIComponent(fault)}`);
  return ((await response.json()) as { answered: number }).answered;
}

/**
 * From now on a replay of a rotated refresh token of this session (the one `token` belongs to) ends the whole
 * session, as oidc-provider does, instead of MAS's forgiving rule (see test/bed/oauth/refresh-replays.ts).
 */
export async function strictRefreshReplay(bed: BedInfo, token: string): Promise<void> {
  const response = await bedControl(bed, 'POST', '/_bed/refresh-replay/strict', { token });
  if (response.status !== 204) throw new Error(`the strict rule answered HTTP ${response.status}`);
}

/** How many refresh-token replays the bed has forgiven (MAS's rule) in the session `token` belongs to. */
export async function forgivenRefreshReplays(bed: BedInfo, token: string): Promise<number> {
  const response = await bedControl(bed, 'GET', `/_bed/refresh-replay?token=${encodeURIComponent(token)}`);
  return ((await response.json()) as { forgiven: number }).forgiven;
}

/** A call to the bed's own control routes (not part of MAS). */
function bedControl(
  bed: BedInfo,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  form?: Record<string, unknown>,
): Promise<Response> {
  return fetch(`${bed.oauth.issuer}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${bed.oauth.controlToken}`,
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(form
      ? {
          body: new URLSearchParams(
            Object.entries(form).map(([key, value]): [string, string] => [key, String(value)]),
          ).toString(),
        }
      : {}),
  });
}
