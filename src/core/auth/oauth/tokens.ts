/** Token endpoint results reduced to what a session keeps, and the openid-client configuration we use. */
import {
  Configuration,
  None,
  allowInsecureRequests,
  customFetch,
  type CustomFetchOptions,
  type ServerMetadata,
  type TokenEndpointResponse,
} from 'openid-client';
import { requestDeadline } from '../../abort.ts';
import type { AuthMetadata } from '../../discovery/types.ts';

/** How long one request to the authorization server may take, headers and body. */
export const OAUTH_REQUEST_TIMEOUT_MS = 30_000;

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
  // openid-client's own timeout is an AbortSignal.timeout, whose timer outlives the request by up to 30 s; ours
  // goes when the request is over.
  config.timeout = 0;
  config[customFetch] = (url, options) => fetchWithDeadline(url, options);
  return config;
}

/**
 * fetch with the whole exchange (headers and body) under a deadline that is cleared as soon as it is over; the
 * body is read here, so that the deadline covers it too. The caller's own signal still cancels.
 */
export async function fetchWithDeadline(
  url: string,
  options: CustomFetchOptions,
  timeoutMs = OAUTH_REQUEST_TIMEOUT_MS,
): Promise<Response> {
  const deadline = requestDeadline(timeoutMs, options.signal ?? undefined);
  try {
    const response = await fetch(url, { ...options, signal: deadline.signal });
    const body = await response.arrayBuffer();
    return new Response(body.byteLength > 0 ? body : null, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  } finally {
    deadline.dispose();
  }
}
