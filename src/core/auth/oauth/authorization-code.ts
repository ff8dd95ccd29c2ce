/**
 * The authorization-code flow with PKCE that the redirect-based flows share: register, open the browser,
 * wait for the redirect (delivered by the flow's receiver), exchange the code.
 */
import {
  buildAuthorizationUrl,
  calculatePKCECodeChallenge,
  genericGrantRequest,
  randomPKCECodeVerifier,
  randomState,
} from 'openid-client';
import { MatrixChannelError } from '../../errors.ts';
import { l10n } from '../../l10n.ts';
import type { AuthMetadata } from '../../discovery/types.ts';
import { raceAbort } from '../../abort.ts';
import { clientMetadataFor } from './client-identity.ts';
import type { FlowRequest, FlowResult } from './flows/flow.ts';
import { toChannelError } from './oauth-errors.ts';
import { registerClient } from './registration.ts';
import { matrixScope } from './scopes.ts';
import { clientConfiguration, toOAuthTokens } from './tokens.ts';

export interface RedirectReceiver {
  /** The URIs to register (a loopback without port matches any port at MAS). */
  registeredRedirectUris: string[];
  /** The redirect_uri of this authorization request; the token request repeats it verbatim (query included). */
  redirectUri: string;
  /** Resolves with the callback URL for `state`; rejects on an error callback. */
  waitForCallback(state: string): Promise<URL>;
  /** Stops waiting for `state` (flow over for any reason). */
  forget(state: string): void;
}

export async function runAuthorizationCodeFlow(request: FlowRequest, receiver: RedirectReceiver): Promise<FlowResult> {
  const { metadata, signal, log } = request;
  const { clientId } = await registerClient(
    metadata,
    clientMetadataFor(request.identity, receiver.registeredRedirectUris, metadata),
    { signal, log },
  );
  const config = clientConfiguration(metadata, clientId);
  const verifier = randomPKCECodeVerifier();
  const state = randomState();
  const params: Record<string, string> = {
    redirect_uri: receiver.redirectUri,
    scope: matrixScope(request.scopeForm, request.deviceId),
    code_challenge: await calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    // A local server never sees a fragment.
    response_mode: 'query',
  };
  if (request.userId) params.login_hint = `mxid:${request.userId}`;
  if (request.signUp && metadata.prompt_values_supported?.includes('create')) params.prompt = 'create';

  const callback = receiver.waitForCallback(state);
  callback.catch(() => {}); // observed below; a rejection before that point must not go unhandled
  try {
    // The URL carries state and the PKCE challenge: never log it.
    log.info(`opening the browser to sign in at ${new URL(metadata.authorization_endpoint).host}`);
    await raceAbort(request.openBrowser(buildAuthorizationUrl(config, params).href), signal);
    const received = await raceAbort(callback, signal);
    // State, error and code were checked when the callback was delivered (PendingAuthorizations).
    checkIssuer(metadata, received.searchParams.get('iss'));
    // The redirect URI may carry a query of its own (VS Code's asExternalUri adds one), so the exchange
    // names it explicitly instead of deriving it from the callback URL.
    const exchange = genericGrantRequest(config, 'authorization_code', {
      code: received.searchParams.get('code') ?? '',
      redirect_uri: receiver.redirectUri,
      code_verifier: verifier,
    });
    const response = await raceAbort(exchange, signal).catch((error: unknown) => {
      throw toChannelError(error, l10n.t('Exchanging the authorization code failed'), signal);
    });
    return { clientId, tokens: toOAuthTokens(response) };
  } finally {
    receiver.forget(state);
  }
}

/** RFC 9207: a callback that names another issuer (or omits it when promised) is an authorization mix-up. */
function checkIssuer(metadata: AuthMetadata, iss: string | null): void {
  const promised = metadata.authorization_response_iss_parameter_supported === true;
  if ((iss === null && promised) || (iss !== null && iss !== metadata.issuer)) {
    throw new MatrixChannelError(
      'authorization_failed',
      l10n.t('The sign-in answer was not valid: it came from an unexpected issuer.'),
      { code: 'invalid_issuer' },
    );
  }
}
