/**
 * Matrix Authentication Service's client-registration policy, reproduced for the test bed.
 * Pure: takes the submitted metadata, returns the first violation or undefined.
 * A violation whose message starts with "redirect_uris" is answered as `invalid_redirect_uri`.
 */
export interface ClientMetadataInput {
  client_uri?: unknown;
  logo_uri?: unknown;
  tos_uri?: unknown;
  policy_uri?: unknown;
  redirect_uris?: unknown;
  application_type?: unknown;
  grant_types?: unknown;
  token_endpoint_auth_method?: unknown;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A few public suffixes: enough to show the rule; MAS uses the full Public Suffix List. */
const PUBLIC_SUFFIXES = new Set([
  'com',
  'org',
  'net',
  'io',
  'dev',
  'app',
  'eu',
  'de',
  'fr',
  'uk',
  'co.uk',
  'org.uk',
  'github.io',
  'gitlab.io',
  'netlify.app',
  'vercel.app',
  'pages.dev',
  'herokuapp.com',
  'blogspot.com',
]);

export function checkClientRegistration(metadata: ClientMetadataInput): string | undefined {
  const clientUri = parseHttpsUrl(metadata.client_uri);
  if (metadata.client_uri === undefined) return 'client_uri is required';
  if (!clientUri) return 'client_uri must be a valid https URL';
  const hostProblem = publicHostProblem(clientUri.hostname);
  if (hostProblem) return `client_uri ${hostProblem}`;

  for (const field of ['logo_uri', 'tos_uri', 'policy_uri'] as const) {
    if (metadata[field] === undefined) continue;
    const url = parseHttpsUrl(metadata[field]);
    if (!url) return `${field} must be a valid https URL`;
    if (!isSameOrSubdomain(url.hostname, clientUri.hostname)) return `${field} must be on the host of client_uri`;
  }

  const isPublic = metadata.token_endpoint_auth_method === 'none';
  const grantTypes = Array.isArray(metadata.grant_types) ? metadata.grant_types : ['authorization_code'];
  if (grantTypes.includes('client_credentials') && isPublic) {
    return 'client_credentials grant is only allowed for confidential clients';
  }

  const redirectUris = Array.isArray(metadata.redirect_uris) ? metadata.redirect_uris : [];
  if (grantTypes.includes('authorization_code') && redirectUris.length === 0) {
    return 'redirect_uris are required for the authorization_code grant';
  }
  const native = metadata.application_type === 'native';
  for (const uri of redirectUris) {
    const problem = native
      ? nativeRedirectProblem(uri, clientUri.hostname)
      : webRedirectProblem(uri, clientUri.hostname);
    if (problem) return `redirect_uris: ${String(uri)} ${problem}`;
  }
  return undefined;
}

function parseHttpsUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  const url = URL.parse(value);
  return url?.protocol === 'https:' ? url : undefined;
}

function publicHostProblem(host: string): string | undefined {
  if (LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost')) return 'must not be localhost';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host) || host.startsWith('[')) return 'must not be an IP address';
  if (!host.includes('.') || PUBLIC_SUFFIXES.has(host)) return 'must not be a public suffix';
  return undefined;
}

function isSameOrSubdomain(host: string, base: string): boolean {
  return host === base || host.endsWith(`.${base}`);
}

function nativeRedirectProblem(value: unknown, clientHost: string): string | undefined {
  if (typeof value !== 'string') return 'is not a string';
  const url = URL.parse(value);
  if (!url) return 'is not a valid URL';
  if (url.hash || value.includes('#')) return 'must not have a fragment';
  if (url.protocol === 'http:') {
    return LOOPBACK_HOSTS.has(url.hostname) ? undefined : 'uses http on a host that is not a loopback';
  }
  // A claimed https URL on the app's own site (where the app's page hands the code on) is accepted, as by MAS.
  if (url.protocol === 'https:')
    return isSameOrSubdomain(url.hostname, clientHost) ? undefined : 'must be on the host of client_uri';
  const scheme = url.protocol.slice(0, -1);
  if (value.startsWith(`${scheme}://`)) return 'must not have an authority in a private-use scheme';
  const reversed = clientHost.split('.').reverse().join('.');
  return scheme === reversed ? undefined : `must use the private-use scheme ${reversed}`;
}

function webRedirectProblem(value: unknown, clientHost: string): string | undefined {
  if (typeof value !== 'string') return 'is not a string';
  const url = URL.parse(value);
  if (!url) return 'is not a valid URL';
  if (url.hash || value.includes('#')) return 'must not have a fragment';
  if (url.protocol !== 'https:') return 'must use https for web clients';
  return isSameOrSubdomain(url.hostname, clientHost) ? undefined : 'must be on the host of client_uri';
}
