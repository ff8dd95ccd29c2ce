/**
 * The sign-in engine: from a channel's configuration and secrets to a stored, live session, whatever the
 * method. Discovery, auth-mode resolution, the sign-in itself, then persistence — and only then: a failed or
 * abandoned sign-in leaves nothing behind (no account, settings entry or secret).
 */
import type { ChannelConfig, ChannelSecrets } from '../channel/config.ts';
import { detectAuthCapabilities, parseHomeserverInput, resolveHomeserver } from '../discovery/index.ts';
import type { AuthCapabilities, AuthMetadata, HomeserverInfo } from '../discovery/types.ts';
import { MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';
import type { Logger } from '../log.ts';
import { ManagedSession, type ManagedSessionOptions, type RefreshLock } from '../session/managed-session.ts';
import { firstGeneration } from '../session/generation.ts';
import type { SessionStore } from '../session/session-store.ts';
import type { AuthMode, Session } from '../session/session.ts';
import { signInWithAccessToken } from './access-token.ts';
import { resolveAuthMode } from './mode.ts';
import type { ClientIdentity } from './oauth/client-identity.ts';
import type { HostKind, SignInFlow } from './oauth/flows/flow.ts';
import { signInWithOAuth } from './oauth/oauth-sign-in.ts';
import { oauthTokenRefresher } from './oauth/token-lifecycle.ts';
import { signInWithPassword } from './password.ts';
import { endAtServer, signOut, type SignOutResult } from './sign-out.ts';

export interface SignInEnvironment {
  identity: ClientIdentity;
  host: HostKind;
  /** The OAuth flows this editor can run (which of them to try is getFlows' answer). */
  flows: SignInFlow[];
  openBrowser: (url: string) => Promise<void>;
  store: SessionStore;
  log: Logger;
  lock?: RefreshLock;
}

export interface SignInRequest {
  accountId: string;
  config: Pick<ChannelConfig, 'homeserver' | 'authMode' | 'userId' | 'deviceId' | 'deviceDisplayName'>;
  secrets: ChannelSecrets;
  signUp?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** The account's earlier session: its device is reused on the same homeserver (keys, history, trust). */
  previous?: Session;
  /** Flows this attempt can run; the environment's by default. */
  flows?: SignInFlow[];
  /** The `signIn.flow` setting, or the flow the person picked to try another way (default 'auto'). */
  flowChoice?: string;
  /** Where the editor runs now (the setting may have changed since the engine was made); the environment's. */
  host?: HostKind;
  onFlow?: (flow: SignInFlow) => void;
}

export interface Discovery {
  homeserver: HomeserverInfo;
  capabilities: AuthCapabilities;
}

/**
 * How long a lookup stays good for the sign-in that follows it: the Sign In command and the channel form look
 * the server up to offer its methods, then the person picks one and types a password.
 */
const DISCOVERY_REUSE_MS = 5 * 60_000;

export class SignInEngine {
  /** Authorization-server metadata by homeserver, for refresh and revocation. */
  private readonly metadataCache = new Map<string, Promise<AuthMetadata>>();
  /** The latest lookup the UI asked for, until a sign-in of the same input takes it. */
  private recent?: { input: string; at: number; discovery: Discovery };

  constructor(private readonly env: SignInEnvironment) {}

  /**
   * What the server is and how it lets us sign in (for the UI's "OAuth supported" hints too). A sign-in of the
   * same input soon after uses this answer instead of asking the server again.
   */
  async discover(input: string, signal?: AbortSignal): Promise<Discovery> {
    const discovery = await this.lookUp(input, signal);
    this.recent = { input: input.trim(), at: Date.now(), discovery };
    return discovery;
  }

  private async lookUp(input: string, signal?: AbortSignal): Promise<Discovery> {
    const options = { log: this.env.log, ...(signal ? { signal } : {}) };
    const homeserver = await resolveHomeserver(input, options);
    const capabilities = await detectAuthCapabilities(homeserver, options);
    if (capabilities.oauth) this.metadataCache.set(homeserver.baseUrl, Promise.resolve(capabilities.oauth.metadata));
    return { homeserver, capabilities };
  }

  /** The UI's lookup of this input, if it is recent; taken once, so that trying again looks again. */
  private takeRecent(input: string): Discovery | undefined {
    const recent = this.recent;
    if (!recent || recent.input !== input.trim()) return undefined;
    this.recent = undefined;
    return Date.now() - recent.at <= DISCOVERY_REUSE_MS ? recent.discovery : undefined;
  }

  /** Signs in and stores the session; nothing is stored unless it succeeds. */
  async signIn(request: SignInRequest): Promise<{ session: Session; mode: AuthMode }> {
    const { secrets, signal } = request;
    const config = { ...request.config, userId: request.config.userId || userIdIn(request.config.homeserver) };
    const input = config.homeserver || config.userId || '';
    const { homeserver, capabilities } = this.takeRecent(input) ?? (await this.lookUp(input, signal));
    const mode = resolveAuthMode(config, secrets, capabilities);
    const log = this.env.log;
    const previous = request.previous;
    if (
      !config.deviceId &&
      previous?.homeserver === homeserver.baseUrl &&
      (!config.userId || config.userId === previous.userId)
    ) {
      config.deviceId = previous.deviceId;
    }
    let session: Session;
    if (mode === 'oidc') {
      if (!capabilities.oauth)
        throw new MatrixChannelError('oauth_not_offered', l10n.t('This homeserver does not offer OAuth 2.0 sign-in.'));
      session = await signInWithOAuth({
        homeserver,
        oauth: capabilities.oauth,
        identity: this.env.identity,
        flows: request.flows ?? this.env.flows,
        host: request.host ?? this.env.host,
        ...(request.flowChoice ? { flowChoice: request.flowChoice } : {}),
        openBrowser: this.env.openBrowser,
        log,
        ...(config.deviceId ? { deviceId: config.deviceId } : {}),
        ...(config.userId ? { userId: config.userId } : {}),
        ...(request.signUp ? { signUp: true } : {}),
        ...(signal ? { signal } : {}),
        ...(request.timeoutMs ? { timeoutMs: request.timeoutMs } : {}),
        ...(request.onFlow ? { onFlow: request.onFlow } : {}),
      });
    } else if (mode === 'password') {
      if (!config.userId || !secrets.password) {
        throw new MatrixChannelError(
          'invalid_config',
          l10n.t('This homeserver signs in with a password: enter your user ID and password.'),
          { code: 'credentials_required' },
        );
      }
      session = await signInWithPassword({
        homeserver: homeserver.baseUrl,
        userId: config.userId,
        password: secrets.password,
        log,
        ...(config.deviceId ? { deviceId: config.deviceId } : {}),
        ...(config.deviceDisplayName ? { deviceDisplayName: config.deviceDisplayName } : {}),
      });
    } else {
      session = await signInWithAccessToken({
        homeserver: homeserver.baseUrl,
        accessToken: secrets.accessToken ?? '',
        log,
        ...(config.userId ? { userId: config.userId } : {}),
      });
    }
    if (signal?.aborted) throw new MatrixChannelError('cancelled', l10n.t('Signing in was cancelled.'));
    session = { ...session, generation: firstGeneration() };
    await this.env.store.save(request.accountId, session);
    return { session, mode };
  }

  /** A live session that refreshes itself (OAuth) and reports when it ends. */
  manage(
    accountId: string,
    session: Session,
    hooks: Pick<
      ManagedSessionOptions,
      'onChange' | 'onEnded' | 'onRenewalTrouble' | 'retry' | 'passive' | 'mayRenew'
    > = {},
  ): ManagedSession {
    return new ManagedSession({
      accountId,
      session,
      store: this.env.store,
      log: this.env.log,
      ...(this.env.lock ? { lock: this.env.lock } : {}),
      ...(session.authMode === 'oidc' ? { refreshTokens: oauthTokenRefresher((s) => this.metadataFor(s)) } : {}),
      ...hooks,
    }).start();
  }

  /** The stored session of an account, without any prompt. */
  restore(accountId: string): Promise<Session | undefined> {
    return this.env.store.load(accountId);
  }

  signOut(accountId: string, session: Session): Promise<SignOutResult> {
    return signOut({
      accountId,
      session,
      store: this.env.store,
      metadataFor: (s) => this.metadataFor(s),
      log: this.env.log,
    });
  }

  /** Keeps the session stored for one account under another's key instead (the same person's existing account). */
  async moveSession(from: string, to: string): Promise<void> {
    const session = await this.env.store.load(from);
    if (!session) return;
    await this.env.store.save(to, session);
    await this.env.store.delete(from);
  }

  /** Ends a replaced session at its server, keeping the account's stored (new) session. */
  endReplacedSession(accountId: string, session: Session): Promise<SignOutResult> {
    return endAtServer({ accountId, session, metadataFor: (s) => this.metadataFor(s), log: this.env.log });
  }

  /** The authorization server of an OAuth session, discovered again when not cached; it must not have changed. */
  metadataFor(session: Session): Promise<AuthMetadata> {
    let cached = this.metadataCache.get(session.homeserver);
    if (!cached) {
      cached = this.lookUp(session.homeserver).then(({ capabilities }) => {
        if (!capabilities.oauth)
          throw new MatrixChannelError(
            'oauth_not_offered',
            l10n.t('The homeserver no longer offers OAuth 2.0 sign-in.'),
          );
        return capabilities.oauth.metadata;
      });
      cached.catch(() => this.metadataCache.delete(session.homeserver));
      this.metadataCache.set(session.homeserver, cached);
    }
    return cached.then((metadata) => {
      if (session.issuer && metadata.issuer !== session.issuer) {
        throw new MatrixChannelError('session_expired', l10n.t('The homeserver now uses a different sign-in server.'));
      }
      return metadata;
    });
  }
}

/** A homeserver typed as an MXID also says who is signing in (login_hint, password user). */
function userIdIn(homeserverInput: string): string | undefined {
  try {
    const parsed = parseHomeserverInput(homeserverInput);
    return parsed.kind === 'mxid' ? parsed.userId : undefined;
  } catch {
    return undefined;
  }
}
