/**
 * OAuth 2.0 sign-in through the homeserver's authorization server (MSC3861): pick the flows that work on
 * this host and that the server offers, run them in order (falling back when the server refuses one at
 * registration), then confirm the token with /whoami and return the session.
 */
import { flowSignal } from '../../abort.ts';
import type { HomeserverInfo, OAuthCapability } from '../../discovery/types.ts';
import { MatrixChannelError } from '../../errors.ts';
import { l10n } from '../../l10n.ts';
import { concealTokens, type Logger } from '../../log.ts';
import { whoami } from '../whoami.ts';
import type { Session } from '../../session/session.ts';
import type { ClientIdentity } from './client-identity.ts';
import { getFlows, grantsOf } from './flows/choose-flows.ts';
import type { FlowResult, HostKind, SignInFlow } from './flows/flow.ts';
import { generateDeviceId, isValidOAuthDeviceId } from './scopes.ts';

export interface OAuthSignInOptions {
  homeserver: HomeserverInfo;
  oauth: OAuthCapability;
  identity: ClientIdentity;
  /** The flows this editor can run; getFlows picks which and in what order. */
  flows: SignInFlow[];
  host: HostKind;
  /** The `signIn.flow` setting, or one flow picked to try another way (default 'auto'). */
  flowChoice?: string;
  /** Reuse a device id (signing in again after expiry keeps the device); generated otherwise. */
  deviceId?: string;
  userId?: string;
  signUp?: boolean;
  openBrowser: (url: string) => Promise<void>;
  signal?: AbortSignal;
  /** Default 5 minutes for the whole sign-in. */
  timeoutMs?: number;
  log: Logger;
  /** Told which flow is being tried (progress, "having trouble? try another way"). */
  onFlow?: (flow: SignInFlow) => void;
}

/** The flows getFlows chooses for this host, server and choice, among those this editor can run. */
export function usableFlows(
  options: Pick<OAuthSignInOptions, 'flows' | 'host' | 'oauth' | 'flowChoice'>,
): SignInFlow[] {
  const chosen = getFlows({
    host: options.host,
    grants: grantsOf(options.oauth.metadata),
    setting: options.flowChoice ?? 'auto',
  });
  // Each chosen kind of flow, every implementation of it given, in the order given.
  return chosen.flatMap((declared) => options.flows.filter((flow) => flow.id === declared.id));
}

export async function signInWithOAuth(options: OAuthSignInOptions): Promise<Session> {
  const { homeserver, oauth, log } = options;
  const deviceId = options.deviceId ?? generateDeviceId();
  if (!isValidOAuthDeviceId(deviceId)) {
    throw new MatrixChannelError(
      'invalid_config',
      l10n.t('The device ID must be at least 10 letters, digits or URL-safe symbols for OAuth sign-in.'),
    );
  }
  const candidates = usableFlows(options);
  if (candidates.length === 0) {
    throw new MatrixChannelError(
      'authorization_failed',
      l10n.t('No OAuth sign-in method works in this environment for this server.'),
    );
  }
  const { signal, dispose } = flowSignal(options.signal, options.timeoutMs);
  try {
    let result: FlowResult | undefined;
    for (const [index, flow] of candidates.entries()) {
      options.onFlow?.(flow);
      log.info(`OAuth sign-in to ${homeserver.baseUrl} via ${flow.id}`);
      try {
        result = await flow.run({
          metadata: oauth.metadata,
          scopeForm: oauth.scopeForm,
          identity: options.identity,
          deviceId,
          ...(options.userId ? { userId: options.userId } : {}),
          ...(options.signUp ? { signUp: true } : {}),
          signal,
          log,
          openBrowser: options.openBrowser,
        });
        break;
      } catch (error) {
        const next = candidates[index + 1];
        // A refused redirect URI is the server's policy for that flow, not the user's answer: try the next.
        if (next && error instanceof MatrixChannelError && error.kind === 'registration_refused' && !signal.aborted) {
          log.warn(`${flow.id} is not accepted by the server (${error.reason}); trying ${next.id}`);
          continue;
        }
        throw error;
      }
    }
    if (!result) throw new MatrixChannelError('authorization_failed', l10n.t('No sign-in method completed.'));
    concealTokens(log, result.tokens);
    const identity = await whoami(homeserver.baseUrl, result.tokens.accessToken);
    if (identity.deviceId && identity.deviceId !== deviceId) {
      log.warn(`the homeserver reports device ${identity.deviceId}, not the requested ${deviceId}`);
    }
    return {
      homeserver: homeserver.baseUrl,
      userId: identity.userId,
      deviceId: identity.deviceId ?? deviceId,
      authMode: 'oidc',
      accessToken: result.tokens.accessToken,
      ...(result.tokens.refreshToken ? { refreshToken: result.tokens.refreshToken } : {}),
      ...(result.tokens.expiresAt ? { expiresAt: result.tokens.expiresAt } : {}),
      clientId: result.clientId,
      issuer: oauth.metadata.issuer,
    };
  } finally {
    dispose();
  }
}
