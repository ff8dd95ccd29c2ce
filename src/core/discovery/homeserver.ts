/**
 * From what the user typed (a homeserver URL, a server name or a Matrix user ID) to a validated
 * client-server API base URL, following the spec's client discovery (.well-known/matrix/client, then
 * /_matrix/client/versions).
 */
import { MatrixChannelError, isMatrixChannelError } from '../errors.ts';
import { assertSecureUrl, isLoopbackHost, requestJson } from '../http.ts';
import { l10n } from '../l10n.ts';
import { delayAsked, rateLimitedError } from '../rate-limit.ts';
import { silentLogger, type Logger } from '../log.ts';
import type { HomeserverInfo } from './types.ts';

export interface DiscoveryOptions {
  signal?: AbortSignal;
  fetch?: typeof fetch;
  log?: Logger;
}

export type HomeserverInput =
  | { kind: 'url'; url: string }
  | { kind: 'server_name'; serverName: string }
  | { kind: 'mxid'; userId: string; serverName: string };

/** `problem`, a sentence, followed by the forms the field takes. */
function invalid(problem: string): MatrixChannelError {
  const forms = l10n.t(
    'Enter a homeserver URL (https://matrix.example.org), a server name (example.org) or a Matrix user ID (@alice:example.org).',
  );
  return new MatrixChannelError(
    'invalid_config',
    l10n.t({
      message: '{0} {1}',
      args: [problem, forms],
      comment: [
        '{0} is a sentence saying what is wrong with the homeserver the person entered; {1} is a sentence listing the forms it may take',
      ],
    }),
  );
}

/**
 * Classifies the input and checks its syntax, without any network access. Error messages describe the
 * problem rather than echo the input: people paste the wrong thing (a token, a sign-in link) into this field.
 */
export function parseHomeserverInput(input: string): HomeserverInput {
  const text = input.trim();
  if (!text) throw invalid(l10n.t('The homeserver address is empty.'));
  if (/\s/.test(text)) throw invalid(l10n.t('The homeserver address contains spaces.'));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { kind: 'url', url: parseHomeserverUrl(text) };
  if (text.startsWith('@')) {
    const colon = text.indexOf(':');
    if (colon < 0) throw invalid(l10n.t('The Matrix user ID has no server name (expected @name:server).'));
    const localpart = text.slice(1, colon);
    // Historical user IDs allow any printable ASCII except ':'; anything else cannot be a user ID.
    if (!/^[\x21-\x39\x3B-\x7E]+$/.test(localpart))
      throw invalid(l10n.t('The Matrix user ID has an empty or invalid name before the ":".'));
    if (text.length > 255) throw invalid(l10n.t('The Matrix user ID is longer than 255 characters.'));
    const serverName = text.slice(colon + 1);
    checkServerName(serverName, true);
    return { kind: 'mxid', userId: text, serverName };
  }
  if (text.includes('/')) throw invalid(l10n.t('The homeserver address has a path but no https:// in front.'));
  checkServerName(text, false);
  return { kind: 'server_name', serverName: text };
}

function parseHomeserverUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(l10n.t('The homeserver URL is not a valid URL.'));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid(
      l10n.t({
        message: 'The homeserver URL uses {0}, not https.',
        args: [url.protocol.slice(0, -1)],
        comment: ['{0} is the scheme of the URL, such as http or ftp'],
      }),
    );
  }
  if (url.username || url.password)
    throw invalid(l10n.t('The homeserver URL must not contain a user name or password.'));
  if (url.search || url.hash)
    throw invalid(l10n.t('The homeserver URL must not contain a query (?…) or fragment (#…).'));
  assertSecureUrl(url);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

type ServerNameProblem = 'shape' | 'shape_with_colon' | 'port' | 'ipv6' | 'ipv4' | 'characters';

/**
 * The spec's server-name grammar: IPv4, [IPv6] or a DNS name, then an optional port. `inUserId`: the server name
 * is the one of a Matrix user ID.
 */
function checkServerName(serverName: string, inUserId: boolean): void {
  const bad = (problem: ServerNameProblem, port = '') => invalid(serverNameProblem(problem, inUserId, port));
  const match = /^(\[[^\]]*\]|[^:[\]]+)(?::(\d+))?$/.exec(serverName);
  if (!match) throw bad(serverName.includes(':') && !serverName.includes('[') ? 'shape_with_colon' : 'shape');
  const host = match[1]!;
  const port = match[2];
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    throw bad('port', port.slice(0, 10));
  }
  if (host.startsWith('[')) {
    try {
      new URL(`http://${host}/`);
    } catch {
      throw bad('ipv6');
    }
    return;
  }
  if (/^[\d.]+$/.test(host)) {
    const octets = host.split('.');
    if (octets.length !== 4 || octets.some((o) => !/^\d{1,3}$/.test(o) || Number(o) > 255)) throw bad('ipv4');
    return;
  }
  if (host.length > 255 || !/^[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*$/.test(host)) throw bad('characters');
}

/** What is wrong with a server name, in a sentence: the server name alone, or the one in a Matrix user ID. */
function serverNameProblem(problem: ServerNameProblem, inUserId: boolean, port: string): string {
  switch (problem) {
    case 'shape':
      return inUserId
        ? l10n.t('The server name in the Matrix user ID is not valid.')
        : l10n.t('The server name is not valid.');
    case 'shape_with_colon':
      return inUserId
        ? l10n.t(
            'The server name in the Matrix user ID is not valid (an IPv6 address must be in brackets, and a port must be digits after a single ":").',
          )
        : l10n.t(
            'The server name is not valid (an IPv6 address must be in brackets, and a port must be digits after a single ":").',
          );
    case 'port':
      return inUserId
        ? l10n.t({
            message: 'The server name in the Matrix user ID has an invalid port {0} (1–65535).',
            args: [port],
            comment: ['{0} is the port number as entered'],
          })
        : l10n.t({
            message: 'The server name has an invalid port {0} (1–65535).',
            args: [port],
            comment: ['{0} is the port number as entered'],
          });
    case 'ipv6':
      return inUserId
        ? l10n.t('The server name in the Matrix user ID has an invalid IPv6 address.')
        : l10n.t('The server name has an invalid IPv6 address.');
    case 'ipv4':
      return inUserId
        ? l10n.t('The server name in the Matrix user ID is not a valid IPv4 address.')
        : l10n.t('The server name is not a valid IPv4 address.');
    case 'characters':
      return inUserId
        ? l10n.t(
            'The server name in the Matrix user ID may only contain letters, digits, "-" and "." (no empty labels).',
          )
        : l10n.t('The server name may only contain letters, digits, "-" and "." (no empty labels).');
  }
}

/** Host and path of a URL, for logs and messages: never its query or fragment. */
export function describeUrl(url: string | URL): string {
  const parsed = new URL(url);
  return `${parsed.host}${parsed.pathname}`;
}

export interface LenientJson {
  status: number;
  /** The parsed body, or undefined when it was not JSON. */
  body: unknown;
  /** Absent for a non-JSON answer. */
  headers?: Headers;
}

/**
 * GET that reports a non-JSON answer as `body: undefined` instead of failing, because discovery must tell
 * "404 page from a web server" (keep going) from "garbage with 200" (fail). Network failures, timeouts and
 * cancellation still throw. Shared with capabilities.ts; not part of the public API.
 */
export async function getJsonLenient(url: string, options: DiscoveryOptions): Promise<LenientJson> {
  try {
    const response = await requestJson(url, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    return { status: response.status, body: response.body, headers: response.headers };
  } catch (error) {
    if (isMatrixChannelError(error, 'unexpected_response') && error.code !== undefined) {
      return { status: Number(error.code), body: undefined };
    }
    throw error;
  }
}

/**
 * A server in trouble (5xx) or busy (429) is not a server that is not Matrix: it passes, so it is a server_error
 * ("try again in a moment"), never a reason to give up on the address.
 */
/** A server in trouble (5xx) or limiting requests (a 429 left after waiting as it asked: see rate-limit.ts). */
export function serverTrouble(host: string, path: string, answer: LenientJson): MatrixChannelError | undefined {
  const { status } = answer;
  if (status === 429)
    return rateLimitedError(
      l10n.t({
        message: 'Looking up {0} failed',
        args: [host],
        comment: ['{0} is a server name, such as example.org'],
      }),
      delayAsked(answer.headers ?? new Headers(), answer.body),
    );
  if (status >= 500) {
    return new MatrixChannelError(
      'server_error',
      l10n.t({
        message: '{0} answered {1} with HTTP {2}.',
        args: [host, path, status],
        comment: [
          '{0} is a host name, such as matrix.example.org; {1} is the path it was asked for, such as /_matrix/client/versions; {2} is an HTTP status number, such as 502',
        ],
      }),
      {
        code: String(status),
      },
    );
  }
  return undefined;
}

export function errcodeOf(body: unknown): string | undefined {
  const errcode = isRecord(body) ? body.errcode : undefined;
  return typeof errcode === 'string' ? errcode : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resolves the input to a homeserver that answers /_matrix/client/versions. */
export async function resolveHomeserver(input: string, options: DiscoveryOptions = {}): Promise<HomeserverInfo> {
  const log = options.log ?? silentLogger;
  const parsed = parseHomeserverInput(input);
  const serverName = parsed.kind === 'url' ? undefined : parsed.serverName;
  const baseUrl = parsed.kind === 'url' ? parsed.url : await baseUrlFromWellKnown(parsed.serverName, options, log);
  const versions = await fetchVersions(baseUrl, options, log);
  log.debug(
    `discovery: homeserver ${describeUrl(baseUrl)} answers /versions (${versions.length} spec versions, last listed ${versions.at(-1) ?? 'none'})`,
  );
  return { baseUrl, ...(serverName === undefined ? {} : { serverName }), versions };
}

/**
 * https://<server>/.well-known/matrix/client. Loopback server names use http: local homeservers (the test
 * bed, a developer's Synapse) run without TLS and loopback traffic never leaves the machine; every other
 * host is https-only, with no downgrade.
 */
async function baseUrlFromWellKnown(serverName: string, options: DiscoveryOptions, log: Logger): Promise<string> {
  const host = new URL(`http://${serverName}/`).hostname;
  const origin = `${isLoopbackHost(host) ? 'http' : 'https'}://${serverName}`;
  const wellKnownUrl = `${origin}/.well-known/matrix/client`;
  let answer: LenientJson;
  try {
    answer = await getJsonLenient(wellKnownUrl, options);
  } catch (error) {
    if (!isMatrixChannelError(error, 'unreachable')) throw error;
    log.debug(`discovery: ${describeUrl(wellKnownUrl)} unreachable; trying ${origin} as the homeserver`);
    return origin;
  }
  if (answer.status === 404) {
    log.debug(`discovery: ${describeUrl(wellKnownUrl)} answered 404; trying ${origin} as the homeserver`);
    return origin;
  }
  const trouble = serverTrouble(serverName, '/.well-known/matrix/client', answer);
  if (trouble) throw trouble;
  // The spec's FAIL_PROMPT cases: any other status, a body that is not JSON, or no usable base_url.
  const notMatrix = (reason: string) => new MatrixChannelError('not_matrix', reason, { code: String(answer.status) });
  if (answer.status !== 200) {
    throw notMatrix(
      l10n.t({
        message: "{0}'s /.well-known/matrix/client answered HTTP {1}, so the homeserver cannot be found.",
        args: [serverName, answer.status],
        comment: ['{0} is a server name, such as example.org; {1} is an HTTP status number, such as 502'],
      }),
    );
  }
  if (answer.body === undefined) {
    throw notMatrix(
      l10n.t({
        message: "{0}'s /.well-known/matrix/client is not valid JSON, so the homeserver cannot be found.",
        args: [serverName],
        comment: ['{0} is a server name, such as example.org'],
      }),
    );
  }
  const homeserver = isRecord(answer.body) ? answer.body['m.homeserver'] : undefined;
  const baseUrl = isRecord(homeserver) ? homeserver.base_url : undefined;
  if (typeof baseUrl !== 'string' || !baseUrl) {
    throw notMatrix(
      l10n.t({
        message: "{0}'s /.well-known/matrix/client has no m.homeserver.base_url, so the homeserver cannot be found.",
        args: [serverName],
        comment: ['{0} is a server name, such as example.org'],
      }),
    );
  }
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw notMatrix(
      l10n.t({
        message:
          "{0}'s /.well-known/matrix/client has an m.homeserver.base_url that is not a URL, so the homeserver cannot be found.",
        args: [serverName],
        comment: ['{0} is a server name, such as example.org'],
      }),
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw notMatrix(
      l10n.t({
        message:
          "{0}'s /.well-known/matrix/client points to {1}, which does not use https, so the homeserver cannot be found.",
        args: [serverName, url.origin],
        comment: [
          '{0} is a server name, such as example.org; {1} is the address it points to, such as http://matrix.example.org',
        ],
      }),
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw notMatrix(
      l10n.t({
        message:
          "{0}'s /.well-known/matrix/client has an m.homeserver.base_url with credentials, a query or a fragment, so the homeserver cannot be found.",
        args: [serverName],
        comment: ['{0} is a server name, such as example.org'],
      }),
    );
  }
  const resolved = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  log.debug(`discovery: ${serverName} delegates to ${describeUrl(resolved)}`);
  return resolved;
}

async function fetchVersions(baseUrl: string, options: DiscoveryOptions, log: Logger): Promise<string[]> {
  const host = new URL(baseUrl).host;
  const answer = await getJsonLenient(`${baseUrl}/_matrix/client/versions`, options);
  log.debug(`discovery: ${describeUrl(`${baseUrl}/_matrix/client/versions`)} answered ${answer.status}`);
  const trouble = serverTrouble(host, '/_matrix/client/versions', answer);
  if (trouble) throw trouble;
  const versions = isRecord(answer.body) ? answer.body.versions : undefined;
  if (answer.status !== 200 || !Array.isArray(versions) || !versions.every((v) => typeof v === 'string')) {
    const reason =
      answer.status !== 200
        ? l10n.t({
            message: '{0} is not a Matrix homeserver (/_matrix/client/versions answered HTTP {1}).',
            args: [host, answer.status],
            comment: ['{0} is a host name, such as matrix.example.org; {1} is an HTTP status number, such as 502'],
          })
        : answer.body === undefined
          ? l10n.t({
              message: '{0} is not a Matrix homeserver (/_matrix/client/versions answered something that is not JSON).',
              args: [host],
              comment: ['{0} is a host name, such as matrix.example.org'],
            })
          : l10n.t({
              message:
                '{0} is not a Matrix homeserver (/_matrix/client/versions answered JSON without a versions list).',
              args: [host],
              comment: ['{0} is a host name, such as matrix.example.org'],
            });
    throw new MatrixChannelError('not_matrix', reason, { code: String(answer.status) });
  }
  return versions;
}
