/**
 * Test helpers against the bed's homeservers: create users, log in, create rooms, invite, join, send.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { BedInfo } from './bed.ts';
import { BedOAuthClient, signInWithBrowser } from './oauth-client.ts';

export interface MatrixUser {
  userId: string;
  /** The base URL of the homeserver the user is on (classic homeservers; absent: the bed's Synapse). */
  homeserver?: string;
  accessToken: string;
  deviceId: string;
  password: string;
  /** OAuth users only. */
  refreshToken?: string;
  clientId?: string;
}

export class MatrixError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** A minimal client-server API caller for tests. */
export class MatrixApi {
  constructor(
    readonly baseUrl: string,
    readonly accessToken?: string,
  ) {}

  async request<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(this.accessToken ? { authorization: `Bearer ${this.accessToken}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const parsed = (text ? JSON.parse(text) : {}) as T & { errcode?: string; error?: string };
    if (!response.ok) {
      throw new MatrixError(
        response.status,
        parsed.errcode,
        `${method} ${path}: ${response.status} ${parsed.errcode ?? ''} ${parsed.error ?? ''}`,
      );
    }
    return parsed;
  }

  /** Uploads bytes to the media repository; answers their `mxc://` address. */
  async upload(bytes: Uint8Array, contentType: string, filename: string): Promise<string> {
    const response = await fetch(`${this.baseUrl}/_matrix/media/v3/upload?filename=${encodeURIComponent(filename)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.accessToken ?? ''}`, 'content-type': contentType },
      body: bytes,
    });
    const answer = (await response.json()) as { content_uri?: string; error?: string };
    if (!response.ok || !answer.content_uri)
      throw new MatrixError(response.status, undefined, `upload: ${response.status} ${answer.error ?? ''}`);
    return answer.content_uri;
  }

  whoami(): Promise<{ user_id: string; device_id?: string }> {
    return this.request('GET', '/_matrix/client/v3/account/whoami');
  }

  async createRoom(
    options: { name?: string; invite?: string[]; isDirect?: boolean; encrypted?: boolean } = {},
  ): Promise<string> {
    const { room_id } = await this.request<{ room_id: string }>('POST', '/_matrix/client/v3/createRoom', {
      ...(options.name ? { name: options.name } : {}),
      invite: options.invite ?? [],
      is_direct: options.isDirect ?? false,
      preset: 'private_chat',
      ...(options.encrypted
        ? {
            initial_state: [
              { type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } },
            ],
          }
        : {}),
    });
    return room_id;
  }

  async invite(roomId: string, userId: string): Promise<void> {
    await this.request('POST', `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/invite`, { user_id: userId });
  }

  async join(roomIdOrAlias: string): Promise<void> {
    await this.request('POST', `/_matrix/client/v3/join/${encodeURIComponent(roomIdOrAlias)}`, {});
  }

  async sendText(roomId: string, body: string, extra: Record<string, unknown> = {}): Promise<string> {
    const txn = randomBytes(8).toString('hex');
    const { event_id } = await this.request<{ event_id: string }>(
      'PUT',
      `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${txn}`,
      { msgtype: 'm.text', body, ...extra },
    );
    return event_id;
  }
}

/** The same user signed in again with a password: a second device of theirs. */
export async function anotherDevice(user: MatrixUser): Promise<MatrixUser> {
  const api = new MatrixApi(user.homeserver ?? '');
  const login = await api.request<{ access_token: string; device_id: string }>('POST', '/_matrix/client/v3/login', {
    type: 'm.login.password',
    identifier: { type: 'm.id.user', user: user.userId },
    password: user.password,
  });
  return { ...user, accessToken: login.access_token, deviceId: login.device_id };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Classic homeserver: register through the shared-secret admin API (what `register_new_matrix_user` does). */
export function createClassicUser(
  bed: BedInfo,
  username = uniqueName('user'),
  password = randomBytes(9).toString('base64url'),
): Promise<MatrixUser> {
  return registerUser(bed.classic, username, password);
}

/**
 * The same on any classic homeserver with Synapse's shared-secret registration (a test's private SynapseServer,
 * the bed's Dendrite): its URL and registration secret.
 */
export async function registerUser(
  server: { baseUrl: string; registrationSecret: string },
  username = uniqueName('user'),
  password = randomBytes(9).toString('base64url'),
): Promise<MatrixUser> {
  const api = new MatrixApi(server.baseUrl);
  const { nonce } = await api.request<{ nonce: string }>('GET', '/_synapse/admin/v1/register');
  const mac = createHmac('sha1', server.registrationSecret)
    .update(`${nonce}\0${username}\0${password}\0notadmin`)
    .digest('hex');
  const result = await api.request<{ user_id: string; access_token: string; device_id: string }>(
    'POST',
    '/_synapse/admin/v1/register',
    { nonce, username, password, admin: false, mac },
  );
  return {
    userId: result.user_id,
    homeserver: server.baseUrl,
    accessToken: result.access_token,
    deviceId: result.device_id,
    password,
  };
}

/** Delegated homeserver: the user is created at the OAuth server, which provisions it in Synapse (as MAS does). */
export async function createOAuthAccount(
  bed: BedInfo,
  options: { username?: string; password?: string; accessTokenTtl?: number } = {},
): Promise<{ username: string; password: string; userId: string }> {
  const username = options.username ?? uniqueName('user');
  const password = options.password ?? randomBytes(9).toString('base64url');
  const response = await fetch(`${bed.oauth.issuer}/_bed/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bed.oauth.controlToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      username,
      password,
      ...(options.accessTokenTtl ? { accessTokenTtl: options.accessTokenTtl } : {}),
    }),
  });
  const body = (await response.json()) as { user_id?: string; error?: string };
  if (response.status !== 201 || !body.user_id) throw new Error(`could not create ${username}: ${body.error}`);
  return { username, password, userId: body.user_id };
}

/** Delegated homeserver: a new account signed in through the real authorization endpoint. */
export async function createDelegatedUser(
  bed: BedInfo,
  options: { accessTokenTtl?: number } = {},
): Promise<MatrixUser> {
  const account = await createOAuthAccount(bed, options);
  const client = await BedOAuthClient.fromHomeserver(bed.delegated.baseUrl);
  const { tokens, deviceId, clientId } = await signInWithBrowser(client, account);
  return {
    userId: account.userId,
    accessToken: tokens.access_token,
    deviceId,
    password: account.password,
    clientId,
    ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}),
  };
}
