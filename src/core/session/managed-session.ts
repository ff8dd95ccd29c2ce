/**
 * A live session that keeps its access token valid: a proactive refresh before expiry, a reactive one on
 * 401 M_UNKNOWN_TOKEN, never two in flight (and, through RefreshLock, never two across windows), the rotated
 * pair persisted before it is used, transient failures retried with backoff on the same refresh token, and a
 * refused refresh ending the session with its reason.
 */
import { MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';
import type { Logger } from '../log.ts';
import { nextGeneration } from './generation.ts';
import type { SessionStore } from './session-store.ts';
import type { Session } from './session.ts';

export interface RefreshedTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds. */
  expiresAt?: number;
}

/** Exchanges the session's refresh token; throws MatrixChannelError ('unreachable'/'server_error' = try later). */
export type TokenRefreshFn = (session: Session) => Promise<RefreshedTokens>;

/** Cross-process coordination (VS Code windows share secrets): run `fn` while no other process refreshes `key`. */
export interface RefreshLock {
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

export const noCrossProcessLock: RefreshLock = { withLock: (_key, fn) => fn() };

export interface ManagedSessionOptions {
  accountId: string;
  session: Session;
  store: SessionStore;
  refreshTokens?: TokenRefreshFn;
  lock?: RefreshLock;
  log: Logger;
  fetch?: typeof fetch;
  /** New tokens (ours or adopted from another window). */
  onChange?(session: Session): void;
  /** The session is over; the reason says what to do (sign in again). */
  onEnded?(reason: MatrixChannelError): void;
  /** Backoff for transient refresh failures, doubling from `initialMs` to `maxMs`. */
  retry?: { initialMs: number; maxMs: number };
  /** Renewals started failing (and are retried at `retryAt`), or work again (undefined). */
  onRenewalTrouble?(trouble: RenewalTrouble | undefined): void;
  /**
   * Another window owns the session and renews it: this one never spends the refresh token, it only takes what
   * the store holds (see `follow`).
   */
  passive?: boolean;
  /**
   * Asked right before the refresh token is spent: whether this window may (it still owns the session, and its
   * token pair is the current one). When not, it takes what the store holds instead.
   */
  mayRenew?(): Promise<boolean>;
}

/** Renewals that keep failing for a passing reason: what the person sees while the session waits. */
export interface RenewalTrouble {
  /** A few words for a tree row or status bar ("sign-in server unavailable"). */
  summary: string;
  /** The last failure, in a sentence. */
  reason: string;
  /** When the next attempt happens (epoch ms). */
  retryAt: number;
  /** Failed attempts in a row. */
  failures: number;
}

/** The few words that say why renewing fails, for a place with no room for a sentence. */
export function renewalTroubleSummary(failure: MatrixChannelError): string {
  if (failure.kind === 'unreachable' || failure.kind === 'timed_out') return l10n.t('sign-in server unreachable');
  if (failure.kind === 'server_error') {
    return failure.code === '429' ? l10n.t('sign-in server busy') : l10n.t('sign-in server unavailable');
  }
  if (failure.kind === 'storage_failed') return l10n.t('renewed session could not be saved');
  return l10n.t('session renewal failing');
}

/**
 * The answers that end a session: the authorization server refused this grant or this client. Anything else (no
 * network, a timeout, a 5xx or 429, an HTML error page, a keychain that failed) passes, so the same refresh token
 * is tried again later and the session, and the secret, stay.
 */
const REFUSALS = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client']);

export function isRefusal(failure: MatrixChannelError): boolean {
  return (
    (failure.code !== undefined && REFUSALS.has(failure.code)) ||
    failure.kind === 'session_expired' ||
    failure.kind === 'session_revoked'
  );
}

/** A retry delay: `backoffMs` less up to a quarter at random (windows do not retry in step), or what the server asked. */
function jitteredDelay(backoffMs: number, failure: MatrixChannelError, maxMs: number): number {
  const jittered = backoffMs - Math.random() * (backoffMs / 4);
  return Math.min(Math.max(jittered, failure.retryAfterMs ?? 0), Math.max(maxMs, failure.retryAfterMs ?? 0));
}

const RENEWED_ELSEWHERE = 'renewed_elsewhere';

/** What a session that was put away answers (made when needed: its words are the person's language then). */
function disposedError(): MatrixChannelError {
  return new MatrixChannelError('session_expired', l10n.t('This session was put away (signed out or replaced).'));
}

export class ManagedSession {
  private current: Session;
  private ended?: MatrixChannelError;
  private inFlight?: Promise<Session>;
  private timer?: ReturnType<typeof setTimeout>;
  private retryDelay: number;
  private trouble?: RenewalTrouble;
  private disposed = false;
  private passive: boolean;
  private readonly lock: RefreshLock;
  private readonly baseFetch: typeof fetch;

  constructor(private readonly options: ManagedSessionOptions) {
    this.current = options.session;
    this.lock = options.lock ?? noCrossProcessLock;
    this.baseFetch = options.fetch ?? globalThis.fetch;
    this.retryDelay = options.retry?.initialMs ?? 1_000;
    this.passive = options.passive ?? false;
  }

  get session(): Session {
    return this.current;
  }

  get endedReason(): MatrixChannelError | undefined {
    return this.ended;
  }

  /** Whether an expired token can still be renewed (not ended, and a refresh token to spend). */
  get renewable(): boolean {
    return !this.ended && !this.disposed && !!this.current.refreshToken && !!this.options.refreshTokens;
  }

  /** Renewals failing for a passing reason, retried at `retryAt`; undefined while they work. */
  get renewalTrouble(): RenewalTrouble | undefined {
    return this.trouble;
  }

  /** Tries a failing renewal at once rather than at its scheduled time (a person's "Retry Now"). */
  async retryNow(): Promise<void> {
    if (!this.trouble || this.ended) return;
    this.clearTimer();
    await this.refresh().catch(() => undefined);
  }

  /** Whether another window renews this session (see ManagedSessionOptions.passive). */
  get following(): boolean {
    return this.passive;
  }

  /**
   * Another window renews the session from now on (true), or this one does (false: it owns the session now, and
   * only a window that proved its refresh token current may take it).
   */
  follow(passive: boolean): void {
    if (this.passive === passive) return;
    this.passive = passive;
    if (passive) this.setTrouble(undefined);
    this.schedule();
  }

  /** Starts proactive refreshing. */
  start(): this {
    this.schedule();
    return this;
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }

  /** Takes tokens another window stored (it refreshed first); ignores what we already have. */
  adopt(session: Session): void {
    if (this.ended || session.accessToken === this.current.accessToken) return;
    this.options.log.debug(`account ${this.options.accountId}: adopted tokens refreshed elsewhere`);
    this.setCurrent(session);
  }

  /** Refreshes now (single flight); resolves with the session that holds the new tokens. */
  refresh(): Promise<Session> {
    if (this.ended) return Promise.reject(this.ended);
    if (this.disposed) return Promise.reject(disposedError());
    if (this.passive) return this.takeStored();
    this.inFlight ??= this.refreshUnderLock()
      .then(
        (session) => {
          this.retryDelay = this.options.retry?.initialMs ?? 1_000;
          this.setTrouble(undefined);
          return session;
        },
        (error: unknown) => {
          const failure =
            error instanceof MatrixChannelError
              ? error
              : new MatrixChannelError(
                  'unexpected_response',
                  l10n.t({
                    message: 'Refreshing the session failed: {0}',
                    args: [String(error)],
                    comment: ["{0} is the error's own text, often in English"],
                  }),
                );
          if (!isRefusal(failure)) {
            const maxMs = this.options.retry?.maxMs ?? 60_000;
            const delay = jitteredDelay(this.retryDelay, failure, maxMs);
            this.options.log.warn(
              `account ${this.options.accountId}: refresh failed (${failure.reason}); retrying in ${Math.round(delay / 1000)}s`,
            );
            this.schedule(delay);
            this.retryDelay = Math.min(this.retryDelay * 2, maxMs);
            // Renewing is another window's job now: nothing wrong to show.
            if (!this.disposed && failure.code !== RENEWED_ELSEWHERE) {
              this.setTrouble({
                summary: renewalTroubleSummary(failure),
                reason: failure.reason,
                retryAt: Date.now() + delay,
                failures: (this.trouble?.failures ?? 0) + 1,
              });
            }
            throw failure;
          }
          throw this.end(
            new MatrixChannelError(
              'session_expired',
              l10n.t({
                message: 'The server refused to renew the session ({0}).',
                args: [failure.code ?? failure.kind],
                comment: ["{0} is the server's error code, such as invalid_grant, or a word for the kind of failure"],
              }),
              { cause: failure, ...(failure.code ? { code: failure.code } : {}) },
            ),
          );
        },
      )
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** An authenticated fetch for matrix-js-sdk (`fetchFn`) and direct calls: always the current token. */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (this.ended) return unknownTokenResponse(this.ended);
    // A session that was put away (signed out, replaced) sends nothing more: whatever still holds its fetch
    // (a sync loop being stopped) gets the answer that makes it stop.
    if (this.disposed) return unknownTokenResponse(disposedError());
    if (this.expiresSoon(1_000) && this.current.refreshToken) await this.refresh().catch(() => undefined);
    const token = this.current.accessToken;
    const response = await this.baseFetch(input, withToken(input, init, token));
    if (response.status !== 401) return response;
    const body = (await response
      .clone()
      .json()
      .catch(() => ({}))) as { errcode?: string; soft_logout?: boolean };
    if (body.errcode !== 'M_UNKNOWN_TOKEN') return response;
    if (!this.current.refreshToken) {
      this.end(
        body.soft_logout
          ? new MatrixChannelError('session_expired', l10n.t('The homeserver logged this session out (soft logout).'), {
              code: 'M_UNKNOWN_TOKEN',
            })
          : new MatrixChannelError('session_revoked', l10n.t('The homeserver no longer accepts this session.'), {
              code: 'M_UNKNOWN_TOKEN',
            }),
      );
      return response;
    }
    // Someone may have refreshed while this request was on the wire: only refresh for the token that failed.
    if (this.current.accessToken === token) await this.refresh().catch(() => undefined);
    if (this.ended || this.current.accessToken === token) return response;
    return this.baseFetch(input, withToken(input, init, this.current.accessToken));
  };

  private async refreshUnderLock(): Promise<Session> {
    const refreshTokens = this.options.refreshTokens;
    if (!refreshTokens || !this.current.refreshToken) {
      throw new MatrixChannelError('session_expired', l10n.t('This session cannot be renewed.'));
    }
    return this.lock.withLock(this.options.accountId, async () => {
      const before = this.current;
      // Another window may have refreshed while we waited for the lock: its tokens are in the store.
      const stored = await this.options.store.load(this.options.accountId);
      if (stored && stored.refreshToken && stored.refreshToken !== before.refreshToken) {
        this.setCurrent(stored);
        return stored;
      }
      if (this.options.mayRenew && !(await this.options.mayRenew())) return this.takeStored();
      const tokens = await refreshTokens(before);
      const next: Session = {
        ...before,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken ?? before.refreshToken,
        generation: nextGeneration(before.generation),
      };
      if (tokens.expiresAt === undefined) delete next.expiresAt;
      else next.expiresAt = tokens.expiresAt;
      // Persist the rotated pair before anything uses it. If that fails the new pair is dropped unused, and
      // the old refresh token is tried again later (MAS accepts a replay whose successor was never used).
      await this.options.store.save(this.options.accountId, next).catch((error: unknown) => {
        throw new MatrixChannelError('storage_failed', l10n.t('The renewed session could not be saved.'), {
          cause: error,
        });
      });
      this.setCurrent(next);
      this.options.log.debug(`account ${this.options.accountId}: tokens refreshed`);
      return next;
    });
  }

  /** A follower's "refresh": the tokens the owner stored, if they are newer than ours. */
  private async takeStored(): Promise<Session> {
    const stored = await this.options.store.load(this.options.accountId);
    if (stored && !this.disposed && stored.accessToken !== this.current.accessToken) {
      this.setCurrent(stored);
      return stored;
    }
    throw new MatrixChannelError('server_error', l10n.t('The window that owns this session has not renewed it yet.'), {
      code: RENEWED_ELSEWHERE,
    });
  }

  private setCurrent(session: Session): void {
    this.current = session;
    this.schedule();
    // Tokens another window renewed end the trouble here too.
    this.setTrouble(undefined);
    this.options.onChange?.(session);
  }

  private setTrouble(trouble: RenewalTrouble | undefined): void {
    if (!trouble && !this.trouble) return;
    this.trouble = trouble;
    this.options.onRenewalTrouble?.(trouble);
  }

  private end(reason: MatrixChannelError): MatrixChannelError {
    if (this.ended) return this.ended;
    // Put away: whatever it meets now is no news about the account.
    if (this.disposed) return reason;
    this.ended = reason;
    this.trouble = undefined;
    this.clearTimer();
    this.options.log.warn(`account ${this.options.accountId}: session ended: ${reason.reason}`);
    this.options.onEnded?.(reason);
    return reason;
  }

  private expiresSoon(withinMs: number): boolean {
    return this.current.expiresAt !== undefined && this.current.expiresAt - Date.now() < withinMs;
  }

  /** Next refresh: a quarter of the remaining lifetime early (1 s to 60 s), or after `delayMs`. */
  private schedule(delayMs?: number): void {
    this.clearTimer();
    const { expiresAt, refreshToken } = this.current;
    if (this.disposed || this.ended || this.passive || !refreshToken || !this.options.refreshTokens) return;
    if (delayMs === undefined) {
      if (expiresAt === undefined) return;
      const remaining = expiresAt - Date.now();
      delayMs = Math.max(0, remaining - Math.min(60_000, Math.max(1_000, remaining / 4)));
    }
    this.timer = setTimeout(() => void this.refresh().catch(() => undefined), delayMs);
    // A pending refresh must not keep a Node process (tests, CLI) alive.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function withToken(input: string | URL | Request, init: RequestInit | undefined, token: string): RequestInit {
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  headers.set('authorization', `Bearer ${token}`);
  return { ...init, headers };
}

/** What the homeserver would answer an ended session: lets matrix-js-sdk report it the usual way. */
function unknownTokenResponse(reason: MatrixChannelError): Response {
  return new Response(JSON.stringify({ errcode: 'M_UNKNOWN_TOKEN', error: reason.reason, soft_logout: true }), {
    status: 401,
    headers: { 'content-type': 'application/json' },
  });
}
