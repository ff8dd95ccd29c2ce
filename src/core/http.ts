/**
 * JSON over fetch with the failures a user can act on: unreachable, timed out, cancelled, not JSON.
 */
import { MatrixChannelError, abortError } from './errors.ts';
import { l10n } from './l10n.ts';
import { requestDeadline } from './abort.ts';
import { retryingRateLimits } from './rate-limit.ts';

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** A JSON body (objects) or a form body (URLSearchParams). */
  body?: unknown;
  signal?: AbortSignal;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export async function requestJson<T = unknown>(
  url: string | URL,
  options: RequestOptions = {},
): Promise<JsonResponse<T>> {
  const deadline = requestDeadline(options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, options.signal);
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: string | undefined;
  if (options.body instanceof URLSearchParams) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = options.body.toString();
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const target = new URL(url);
  let response: Response;
  let text: string;
  try {
    // A 429 is waited out here (briefly), so every caller gets the answer that came after it.
    response = await retryingRateLimits(options.fetch ?? fetch)(target, {
      method: options.method ?? 'GET',
      headers,
      body,
      signal: deadline.signal,
      redirect: 'follow',
    });
    // The body comes after the headers, under the same signal: a timeout, cancellation or broken connection
    // while reading it must end as the same actionable errors, not as a bare DOMException or "terminated".
    text = await response.text();
  } catch (error) {
    if (options.signal?.aborted) throw abortError(options.signal);
    if (deadline.timedOut()) {
      throw new MatrixChannelError(
        'unreachable',
        l10n.t({
          message: '{0} did not answer in time.',
          args: [target.host],
          comment: ['{0} is a host name, such as matrix.example.org'],
        }),
        { cause: error },
      );
    }
    throw new MatrixChannelError(
      'unreachable',
      l10n.t({
        message: 'Cannot reach {0}.',
        args: [target.host],
        comment: ['{0} is a host name, such as matrix.example.org'],
      }),
      { cause: error },
    );
  } finally {
    deadline.dispose();
  }
  if (!text) return { status: response.status, body: {} as T, headers: response.headers };
  try {
    return { status: response.status, body: JSON.parse(text) as T, headers: response.headers };
  } catch (error) {
    throw new MatrixChannelError(
      'unexpected_response',
      l10n.t({
        message: '{0} answered {1} with something that is not JSON (HTTP {2}).',
        args: [target.host, target.pathname, response.status],
        comment: [
          '{0} is a host name, such as matrix.example.org; {1} is the path it was asked for, such as /_matrix/client/versions; {2} is an HTTP status number, such as 502',
        ],
      }),
      { code: String(response.status), cause: error },
    );
  }
}

export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127(?:\.\d{1,3}){3}$/.test(hostname)
  );
}

/** A homeserver URL: https everywhere, http only for loopback hosts (local test servers and sandboxes). */
export function assertSecureUrl(url: URL): void {
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return;
  throw new MatrixChannelError(
    'invalid_config',
    l10n.t({
      message: 'The homeserver URL {0} must use https.',
      args: [url.origin],
      comment: ['{0} is the address, such as http://matrix.example.org'],
    }),
  );
}
