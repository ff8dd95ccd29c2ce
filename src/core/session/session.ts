/** A signed-in Matrix session and where it is kept. Secrets live only behind a SecretStore. */

export type AuthMode = 'password' | 'access_token' | 'oidc';

export interface Session {
  homeserver: string;
  userId: string;
  deviceId: string;
  authMode: AuthMode;
  accessToken: string;
  refreshToken?: string;
  /** Access-token expiry, epoch milliseconds. */
  expiresAt?: number;
  /** OAuth only: the dynamically registered client and its issuer. */
  clientId?: string;
  issuer?: string;
  /**
   * Which token pair of the session this is (generation.ts). Not a secret: other windows compare it with the
   * one the session's owner published to know whether their refresh token is current.
   */
  generation?: string;
}

/** The host's secret storage (VS Code: ExtensionContext.secrets). */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}
