/**
 * The only door to matrix-js-sdk. It is large (hundreds of KB) and slow to load, so it is imported lazily:
 * activation stays fast and only a sign-in or a live account pays for it.
 */
import { rateLimitedError } from '../rate-limit.ts';
import { failedWithCode, MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';
import { silentLogger, type Logger } from '../log.ts';
import { guardRequests } from './sdk-requests.ts';

type Sdk = typeof import('matrix-js-sdk');
export type MatrixClient = import('matrix-js-sdk').MatrixClient;

let sdk: Promise<Sdk> | undefined;

/**
 * matrix-js-sdk uses Promise.withResolvers (its send queue, its reconnect keep-alive). VS Code's extension
 * host has it (Electron's V8), plain Node 20 does not: the standard behaviour, where missing.
 */
function ensurePromiseWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: unknown };
  if (typeof P.withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

export function loadSdk(): Promise<Sdk> {
  ensurePromiseWithResolvers();
  sdk ??= Promise.all([import('matrix-js-sdk'), import('matrix-js-sdk/lib/logger.js')]).then(([module, { logger }]) => {
    // Parts of the SDK (MatrixRTC) log through its root loglevel logger straight to the console: keep
    // warnings and errors only (child loggers copy the root's method factory when they are created).
    type Factory = (method: string, level: number, name: string) => (...args: unknown[]) => void;
    const root = logger as unknown as { methodFactory?: Factory; rebuild?(): void };
    const original = root.methodFactory;
    if (original) {
      root.methodFactory = (method, level, name) =>
        method === 'warn' || method === 'error' ? original(method, level, name) : () => {};
      root.rebuild?.();
    }
    return module;
  });
  return sdk;
}

export interface ClientOptions {
  baseUrl: string;
  accessToken?: string;
  userId?: string;
  deviceId?: string;
  /** An authenticated fetch (the managed session's) that keeps tokens fresh. */
  fetchFn?: typeof fetch;
  /** The SDK's store (default: a fresh MemoryStore). */
  store?: import('matrix-js-sdk').Store;
  /** Where the SDK's own chatter goes (through our redactor); silent by default, never the console. */
  log?: Logger;
  /**
   * Closes the client for good once aborted: its requests are cancelled and never answer, so nothing of the SDK
   * wakes up again (sdk-requests.ts). Stop the client as well (stopClient) to clear its own timers.
   */
  signal?: AbortSignal;
  /** How the crypto asks for keys it does not hold (the secret-storage key while a recovery runs). */
  cryptoCallbacks?: import('matrix-js-sdk/lib/crypto-api/index.js').CryptoCallbacks;
}

/** How long a request of the SDK may take unless it says otherwise (a /sync long poll does). */
const REQUEST_TIMEOUT_MS = 30_000;

type SdkLogger = NonNullable<Parameters<Sdk['createClient']>[0]['logger']>;

/** matrix-js-sdk's logger interface on top of ours: its request traces become trace lines. */
function sdkLogger(log: Logger, prefix = 'matrix-js-sdk'): SdkLogger {
  const line = (args: unknown[]) =>
    `${prefix}: ${args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`;
  return {
    trace: (...args: unknown[]) => log.trace(line(args)),
    debug: (...args: unknown[]) => log.trace(line(args)),
    info: (...args: unknown[]) => log.debug(line(args)),
    warn: (...args: unknown[]) => log.warn(line(args)),
    error: (...args: unknown[]) => log.error(line(args)),
    getChild: (namespace: string) => sdkLogger(log, `${prefix}${namespace}`),
  };
}

export async function createMatrixClient(options: ClientOptions): Promise<MatrixClient> {
  const { createClient } = await loadSdk();
  const client = createClient({
    baseUrl: options.baseUrl,
    ...(options.accessToken ? { accessToken: options.accessToken } : {}),
    ...(options.userId ? { userId: options.userId } : {}),
    ...(options.deviceId ? { deviceId: options.deviceId } : {}),
    ...(options.fetchFn ? { fetchFn: options.fetchFn } : {}),
    ...(options.store ? { store: options.store } : {}),
    ...(options.cryptoCallbacks ? { cryptoCallbacks: options.cryptoCallbacks } : {}),
    logger: sdkLogger(options.log ?? silentLogger),
  });
  // No `localTimeoutMs` above: the SDK would arm a timer for it that outlives the request.
  guardRequests(client.http, { timeoutMs: REQUEST_TIMEOUT_MS, closed: options.signal });
  return client;
}

/** What a matrix-js-sdk call of ours was doing, for the words of its failure. */
export type SdkCall = 'password_sign_in' | 'sign_out';

/** A call's failures, each in a sentence of its own (translators see the whole sentence). */
function callWords(call: SdkCall): {
  failed: string;
  refused(code: string): string;
  serverFailed(status: number): string;
  unsupported(): string;
} {
  switch (call) {
    case 'password_sign_in':
      return {
        failed: l10n.t('Signing in with a password failed'),
        refused: (code) =>
          l10n.t({
            message: 'Signing in with a password was refused by the homeserver ({0}).',
            args: [code],
            comment: [
              "{0} is the server's error code, such as M_FORBIDDEN or invalid_grant, or its HTTP status number",
            ],
          }),
        serverFailed: (status) =>
          l10n.t({
            message: 'Signing in with a password failed on the homeserver (HTTP {0}).',
            args: [status],
            comment: ['{0} is an HTTP status number, such as 502'],
          }),
        unsupported: () => l10n.t('Signing in with a password is not supported by this homeserver.'),
      };
    case 'sign_out':
      return {
        failed: l10n.t('Signing out failed'),
        refused: (code) =>
          l10n.t({
            message: 'Signing out was refused by the homeserver ({0}).',
            args: [code],
            comment: [
              "{0} is the server's error code, such as M_FORBIDDEN or invalid_grant, or its HTTP status number",
            ],
          }),
        serverFailed: (status) =>
          l10n.t({
            message: 'Signing out failed on the homeserver (HTTP {0}).',
            args: [status],
            comment: ['{0} is an HTTP status number, such as 502'],
          }),
        unsupported: () => l10n.t('Signing out is not supported by this homeserver.'),
      };
  }
}

/** matrix-js-sdk failures as errors a user can act on. */
export async function toChannelError(error: unknown, call: SdkCall): Promise<MatrixChannelError> {
  if (error instanceof MatrixChannelError) return error;
  const words = callWords(call);
  const { MatrixError, ConnectionError } = await loadSdk();
  if (error instanceof MatrixError) {
    const status = error.httpStatus ?? 0;
    const code = error.errcode ?? String(status);
    if (
      error.errcode === 'M_FORBIDDEN' ||
      error.errcode === 'M_UNKNOWN_TOKEN' ||
      error.errcode === 'M_MISSING_TOKEN' ||
      status === 401
    ) {
      return new MatrixChannelError('invalid_credentials', words.refused(code), { code, cause: error });
    }
    if (status === 429) {
      const delay = typeof error.data?.retry_after_ms === 'number' ? error.data.retry_after_ms : undefined;
      return rateLimitedError(words.failed, delay);
    }
    if (status >= 500)
      return new MatrixChannelError('server_error', words.serverFailed(status), { code, cause: error });
    if (error.errcode === 'M_UNRECOGNIZED' || status === 404) {
      return new MatrixChannelError('password_not_offered', words.unsupported(), { code, cause: error });
    }
    return new MatrixChannelError('unexpected_response', failedWithCode(words.failed, code, error.error), {
      code,
      cause: error,
    });
  }
  if (error instanceof ConnectionError || (error instanceof Error && error.name === 'ConnectionError')) {
    return new MatrixChannelError(
      'unreachable',
      l10n.t({
        message: '{0}: the homeserver could not be reached.',
        args: [words.failed],
        comment: ['{0} says what did not happen, a clause such as "Joining the room failed"'],
      }),
      {
        cause: error,
      },
    );
  }
  return new MatrixChannelError(
    'unexpected_response',
    l10n.t({
      message: '{0}: {1}',
      args: [words.failed, error instanceof Error ? error.message : String(error)],
      comment: [
        '{0} says what did not happen, a clause such as "Signing out failed"; {1} is the error\'s own text, often in English',
      ],
    }),
    { cause: error },
  );
}
