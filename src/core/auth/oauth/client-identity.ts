/**
 * How this client presents itself at dynamic registration (all of it: MAS refuses or mislabels a client that leaves fields out).
 * `client_uri` must be a public https page; logo, terms and policy must sit on its host.
 */
import type { AuthMetadata } from '../../discovery/types.ts';

export interface ClientIdentity {
  clientName: string;
  clientUri: string;
  logoUri?: string;
  tosUri?: string;
  policyUri?: string;
}

export type RedirectKind = 'loopback' | 'private_use' | 'none';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** Registration metadata for one flow: its redirect URIs, and the device grant when the server has it. */
export function clientMetadataFor(
  identity: ClientIdentity,
  redirectUris: string[],
  metadata: AuthMetadata,
): Record<string, unknown> {
  const grants = redirectUris.length ? ['authorization_code', 'refresh_token'] : ['refresh_token'];
  if (metadata.device_authorization_endpoint && supportsGrant(metadata, DEVICE_CODE_GRANT))
    grants.push(DEVICE_CODE_GRANT);
  return {
    client_name: identity.clientName,
    client_uri: identity.clientUri,
    ...(identity.logoUri ? { logo_uri: identity.logoUri } : {}),
    ...(identity.tosUri ? { tos_uri: identity.tosUri } : {}),
    ...(identity.policyUri ? { policy_uri: identity.policyUri } : {}),
    application_type: 'native',
    redirect_uris: redirectUris,
    grant_types: grants,
    response_types: redirectUris.length ? ['code'] : [],
    // Without it MAS registers a confidential client that we could not authenticate.
    token_endpoint_auth_method: 'none',
  };
}

export function supportsGrant(metadata: AuthMetadata, grant: string): boolean {
  // RFC 8414: absent means ["authorization_code", "implicit"].
  return (metadata.grant_types_supported ?? ['authorization_code', 'implicit']).includes(grant);
}

/** The private-use scheme MAS accepts for a native client: the reverse DNS of client_uri's host. */
export function privateUseScheme(identity: ClientIdentity): string {
  return new URL(identity.clientUri).hostname.split('.').reverse().join('.');
}
