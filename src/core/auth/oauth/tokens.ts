/** Token endpoint results reduced to what a session keeps, and the openid-client configuration we use. */
import {
  Configuration,
  None,
  allowInsecureRequests,
  type ServerMetadata,
  type TokenEndpointResponse,
} from 'openid-client';
import type { AuthMetadata } from '../../discovery/types.ts';

export interface OAuthTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds. */
  expiresAt?: number;
  scope?: string;
}

export function toOAuthTokens(response: TokenEndpointResponse, now = Date.now()): OAuthTokens {
  const expiresIn = typeof response.expires_in === 'number' ? response.expires_in : undefined;
  return {
    accessToken: response.access_token,
    ...(response.refresh_token ? { refreshToken: response.refresh_token } : {}),
    ...(expiresIn !== undefined ? { expiresAt: now + expiresIn * 1000 } : {}),
    ...(typeof response.scope === 'string' ? { scope: response.scope } : {}),
  };
}

/**
 * openid-client configuration for a public client. Discovery already refused plain http except on loopback
 * hosts (local servers), so allowing insecure requests here only ever concerns those.
 */
export function clientConfiguration(metadata: AuthMetadata, clientId: string): Configuration {
  const config = new Configuration(
    metadata as unknown as ServerMetadata,
    clientId,
    { token_endpoint_auth_method: 'none' },
    None(),
  );
  const endpoints = [
    metadata.issuer,
    metadata.token_endpoint,
    metadata.authorization_endpoint,
    metadata.revocation_endpoint,
  ];
  if (endpoints.some((url) => url?.startsWith('http:'))) allowInsecureRequests(config);
  return config;
}
