/**
 * Sessions in the host's secret storage: one key per account, JSON. Nothing here ever reaches settings,
 * global state or logs. A stored value that does not parse is treated as absent (and reported), never as
 * a half-valid session.
 */
import { concealTokens, type Logger } from '../log.ts';
import type { AuthMode, SecretStore, Session } from './session.ts';

const KEY_PREFIX = 'matrix-channels.session.';
const AUTH_MODES: readonly AuthMode[] = ['password', 'access_token', 'oidc'];

export function sessionKey(accountId: string): string {
  return `${KEY_PREFIX}${accountId}`;
}

export function accountIdOfKey(key: string): string | undefined {
  return key.startsWith(KEY_PREFIX) ? key.slice(KEY_PREFIX.length) : undefined;
}

export class SessionStore {
  constructor(
    private readonly secrets: SecretStore,
    private readonly log: Logger,
  ) {}

  async load(accountId: string): Promise<Session | undefined> {
    const raw = await this.secrets.get(sessionKey(accountId));
    if (raw === undefined) return undefined;
    const session = parseSession(raw);
    if (!session) this.log.warn(`stored session of account ${accountId} is unreadable; ignoring it`);
    else concealTokens(this.log, session);
    return session;
  }

  async save(accountId: string, session: Session): Promise<void> {
    concealTokens(this.log, session);
    await this.secrets.store(sessionKey(accountId), JSON.stringify(session));
  }

  async delete(accountId: string): Promise<void> {
    await this.secrets.delete(sessionKey(accountId));
  }
}

export function parseSession(raw: string): Session | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const str = (key: string) => (typeof v[key] === 'string' && v[key] !== '' ? v[key] : undefined);
  const homeserver = str('homeserver');
  const userId = str('userId');
  const deviceId = str('deviceId');
  const accessToken = str('accessToken');
  const authMode = v.authMode as AuthMode;
  if (!homeserver || !userId || !deviceId || !accessToken || !AUTH_MODES.includes(authMode)) return undefined;
  const refreshToken = str('refreshToken');
  const clientId = str('clientId');
  const issuer = str('issuer');
  const generation = str('generation');
  return {
    homeserver,
    userId,
    deviceId,
    authMode,
    accessToken,
    ...(refreshToken ? { refreshToken } : {}),
    ...(typeof v.expiresAt === 'number' ? { expiresAt: v.expiresAt } : {}),
    ...(clientId ? { clientId } : {}),
    ...(issuer ? { issuer } : {}),
    ...(generation ? { generation } : {}),
  };
}
