/** What discovery learns about a homeserver and how it lets clients sign in. */

export interface HomeserverInfo {
  /** Client-server API base URL, without a trailing slash. */
  baseUrl: string;
  /** The server name when known (from the MXID or the server-name input). */
  serverName?: string;
  /** Spec versions from /_matrix/client/versions. */
  versions: string[];
}

/** RFC 8414 authorization-server metadata as Matrix serves it (spec v1.15 `auth_metadata`). */
export interface AuthMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  registration_endpoint?: string;
  revocation_endpoint?: string;
  device_authorization_endpoint?: string;
  response_types_supported?: string[];
  response_modes_supported?: string[];
  grant_types_supported?: string[];
  code_challenge_methods_supported?: string[];
  prompt_values_supported?: string[];
  account_management_uri?: string;
  account_management_actions_supported?: string[];
  [key: string]: unknown;
}

/** Which Matrix scope names a server understands (MSC2967): stable, or only the unstable prefix. */
export type ScopeForm = 'stable' | 'unstable';

export interface OAuthCapability {
  metadata: AuthMetadata;
  /** Where the metadata came from: v1 auth_metadata, the MSC2965 unstable endpoint, or auth_issuer + OIDC discovery. */
  source: 'stable' | 'unstable' | 'auth_issuer';
  scopeForm: ScopeForm;
}

export interface AuthCapabilities {
  /** Present when the homeserver delegates auth to an OAuth 2.0 server. */
  oauth?: OAuthCapability;
  /** The legacy /login API offers m.login.password. */
  password: boolean;
  /** The legacy /login API offers m.login.sso. */
  sso: boolean;
  /** /login's SSO flow carries `oauth_aware_preferred` (or the MSC3824 unstable flag): "use OAuth". */
  oauthAwarePreferred: boolean;
}
