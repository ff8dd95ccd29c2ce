/**
 * How a homeserver lets clients sign in: OAuth 2.0 (next-gen auth, MSC3861; metadata from the stable
 * v1 auth_metadata endpoint, the MSC2965 unstable one, or the oldest auth_issuer + OIDC discovery) and the
 * legacy /login flows (password, SSO and its "prefer OAuth" hint).
 */
import { isLoopbackHost } from '../http.ts';
import { silentLogger, type Logger } from '../log.ts';
import {
  describeUrl,
  errcodeOf,
  getJsonLenient,
  isRecord,
  serverTrouble,
  type DiscoveryOptions,
  type LenientJson,
} from './homeserver.ts';
import type { AuthCapabilities, AuthMetadata, HomeserverInfo, OAuthCapability, ScopeForm } from './types.ts';

const STABLE_METADATA_PATH = '/_matrix/client/v1/auth_metadata';
const UNSTABLE_METADATA_PATH = '/_matrix/client/unstable/org.matrix.msc2965/auth_metadata';
const AUTH_ISSUER_PATH = '/_matrix/client/unstable/org.matrix.msc2965/auth_issuer';
const LOGIN_PATH = '/_matrix/client/v3/login';

/** Endpoints the client uses as they are; without them OAuth cannot work at all. */
const REQUIRED_URLS = ['issuer', 'authorization_endpoint', 'token_endpoint'] as const;
/** Endpoints used only for some features; an unusable one is dropped, not fatal. */
const OPTIONAL_URLS = [
  'registration_endpoint',
  'revocation_endpoint',
  'device_authorization_endpoint',
  'account_management_uri',
] as const;
const OPTIONAL_LISTS = [
  'response_modes_supported',
  'grant_types_supported',
  'prompt_values_supported',
  'account_management_actions_supported',
] as const;

export async function detectAuthCapabilities(
  homeserver: HomeserverInfo,
  options: DiscoveryOptions = {},
): Promise<AuthCapabilities> {
  const log = options.log ?? silentLogger;
  // When one lookup fails the whole detection fails: stop the other request rather than leave it running.
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const inner: DiscoveryOptions = { ...options, signal, log };
  try {
    const [oauth, login] = await Promise.all([
      discoverOAuth(homeserver, inner, log),
      discoverLoginFlows(homeserver, inner, log),
    ]);
    log.debug(
      `discovery: ${new URL(homeserver.baseUrl).host} sign-in: ` +
        `oauth ${oauth ? `${oauth.source} (${oauth.scopeForm} scopes)` : 'no'}, password ${login.password ? 'yes' : 'no'}, ` +
        `sso ${login.sso ? 'yes' : 'no'}${login.oauthAwarePreferred ? ' (prefers OAuth)' : ''}`,
    );
    return { ...(oauth ? { oauth } : {}), ...login };
  } catch (error) {
    controller.abort();
    throw error;
  }
}

/**
 * 200 with JSON → 'found'. 404 or M_UNRECOGNIZED (Synapse answers 404, some servers 400 or 405) → 'absent'.
 * 5xx or 429 (once waited out as the server asked) → server_error, since a retry may well succeed. Anything else
 * is odd but should not block the other sign-in methods: 'absent', with a warning.
 */
function classify(answer: LenientJson, url: string, log: Logger): 'found' | 'absent' {
  if (answer.status === 200 && answer.body !== undefined) return 'found';
  const trouble = serverTrouble(new URL(url).host, new URL(url).pathname, answer);
  if (trouble) throw trouble;
  const errcode = errcodeOf(answer.body);
  if (answer.status === 404 || errcode === 'M_UNRECOGNIZED') {
    log.debug(`discovery: ${describeUrl(url)} answered ${answer.status}${errcode ? ` ${errcode}` : ''}: not offered`);
  } else {
    log.warn(
      `discovery: ${describeUrl(url)} answered ${answer.status}${answer.body === undefined ? ' (not JSON)' : ''}; ` +
        'treating it as not offered',
    );
  }
  return 'absent';
}

async function discoverOAuth(
  homeserver: HomeserverInfo,
  options: DiscoveryOptions,
  log: Logger,
): Promise<OAuthCapability | undefined> {
  const sources = [
    [STABLE_METADATA_PATH, 'stable'],
    [UNSTABLE_METADATA_PATH, 'unstable'],
  ] as const;
  for (const [path, source] of sources) {
    const url = `${homeserver.baseUrl}${path}`;
    const answer = await getJsonLenient(url, options);
    if (classify(answer, url, log) === 'absent') continue;
    // A server that serves broken metadata will not serve better metadata elsewhere: stop here.
    return capability(validateMetadata(answer.body, describeUrl(url), log), source, homeserver.versions);
  }

  const issuerUrl = `${homeserver.baseUrl}${AUTH_ISSUER_PATH}`;
  const issuerAnswer = await getJsonLenient(issuerUrl, options);
  if (classify(issuerAnswer, issuerUrl, log) === 'absent') return undefined;
  const issuer = isRecord(issuerAnswer.body) ? issuerAnswer.body.issuer : undefined;
  if (!isUsableUrl(issuer)) {
    log.warn(`discovery: ${describeUrl(issuerUrl)} names no usable https issuer; OAuth sign-in will not be offered`);
    return undefined;
  }
  const configUrl = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const config = await getJsonLenient(configUrl, options);
  if (classify(config, configUrl, log) === 'absent') {
    log.warn(
      `discovery: the issuer ${new URL(issuer).host} has no OpenID configuration; OAuth sign-in will not be offered`,
    );
    return undefined;
  }
  // OpenID Connect Discovery 1.0 §4.3: the document must be for exactly the issuer we asked about.
  if (isRecord(config.body) && config.body.issuer !== issuer) {
    log.warn(`discovery: ${describeUrl(configUrl)} is for another issuer; OAuth sign-in will not be offered`);
    return undefined;
  }
  return capability(validateMetadata(config.body, describeUrl(configUrl), log), 'auth_issuer', homeserver.versions);
}

function capability(
  metadata: AuthMetadata | undefined,
  source: OAuthCapability['source'],
  versions: string[],
): OAuthCapability | undefined {
  return metadata ? { metadata, source, scopeForm: scopeFormFor(source, versions) } : undefined;
}

/**
 * The stable scope names (urn:matrix:client:…) came with spec v1.15, like the stable auth_metadata
 * endpoint; a server without either only knows the MSC2967 unstable names.
 */
export function scopeFormFor(source: OAuthCapability['source'], versions: string[]): ScopeForm {
  if (source === 'stable') return 'stable';
  return versions.some((version) => {
    const match = /^v(\d+)\.(\d+)$/.exec(version);
    return match !== null && (Number(match[1]) > 1 || (Number(match[1]) === 1 && Number(match[2]) >= 15));
  })
    ? 'stable'
    : 'unstable';
}

/** https, or http on a loopback host (local servers); absolute and parseable. */
function isUsableUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  } catch {
    return false;
  }
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/**
 * Just enough checking that later code can use the metadata without second-guessing it. A problem with
 * what OAuth needs makes OAuth unusable (a warning, not an error: password login may still work);
 * a broken optional field is dropped. Logs name fields, never their values.
 */
export function validateMetadata(body: unknown, where: string, log: Logger): AuthMetadata | undefined {
  const problems: string[] = [];
  if (!isRecord(body)) {
    problems.push('it is not a JSON object');
  } else {
    for (const key of REQUIRED_URLS) {
      if (body[key] === undefined) problems.push(`${key} is missing`);
      else if (!isUsableUrl(body[key])) problems.push(`${key} is not an https URL`);
    }
    if (isUsableUrl(body.issuer) && /[?#]/.test(body.issuer)) problems.push('issuer has a query or fragment');
    // RFC 8414 lets both lists be absent; when present they must allow what this client does (code + PKCE S256).
    const pkce = body.code_challenge_methods_supported;
    if (pkce !== undefined && !(isStringList(pkce) && pkce.includes('S256')))
      problems.push('PKCE S256 is not supported');
    const responseTypes = body.response_types_supported;
    if (responseTypes !== undefined && !(isStringList(responseTypes) && responseTypes.includes('code'))) {
      problems.push('response type "code" is not supported');
    }
  }
  if (problems.length > 0 || !isRecord(body)) {
    log.warn(
      `discovery: OAuth metadata from ${where} is unusable (${problems.join('; ')}); OAuth sign-in will not be offered`,
    );
    return undefined;
  }
  const metadata: Record<string, unknown> = { ...body };
  for (const key of OPTIONAL_URLS) {
    if (metadata[key] !== undefined && !isUsableUrl(metadata[key])) {
      log.warn(`discovery: OAuth metadata from ${where}: ignoring ${key}, which is not an https URL`);
      delete metadata[key];
    }
  }
  for (const key of OPTIONAL_LISTS) {
    if (metadata[key] !== undefined && !isStringList(metadata[key])) {
      log.warn(`discovery: OAuth metadata from ${where}: ignoring ${key}, which is not a list of strings`);
      delete metadata[key];
    }
  }
  return metadata as AuthMetadata;
}

async function discoverLoginFlows(
  homeserver: HomeserverInfo,
  options: DiscoveryOptions,
  log: Logger,
): Promise<Pick<AuthCapabilities, 'password' | 'sso' | 'oauthAwarePreferred'>> {
  const none = { password: false, sso: false, oauthAwarePreferred: false };
  const url = `${homeserver.baseUrl}${LOGIN_PATH}`;
  const answer = await getJsonLenient(url, options);
  // Synapse delegating to an OAuth server answers 404 M_UNRECOGNIZED here (no compatibility layer).
  if (classify(answer, url, log) === 'absent') return none;
  const flows =
    isRecord(answer.body) && Array.isArray(answer.body.flows) ? answer.body.flows.filter(isRecord) : undefined;
  if (!flows) {
    log.warn(`discovery: ${describeUrl(url)} has no flows list; treating legacy login as not offered`);
    return none;
  }
  const ssoFlows = flows.filter((flow) => flow.type === 'm.login.sso');
  return {
    password: flows.some((flow) => flow.type === 'm.login.password'),
    sso: ssoFlows.length > 0,
    oauthAwarePreferred: ssoFlows.some(
      (flow) => flow.oauth_aware_preferred === true || flow['org.matrix.msc3824.delegated_oidc_compatibility'] === true,
    ),
  };
}
