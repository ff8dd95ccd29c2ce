/**
 * The authorization-code flow with PKCE that the redirect-based flows share: register, open the browser,
 * wait for the redirect (delivered by the flow's receiver), exchange the code.
 */
import { authorizationCodeGrant, buildAuthorizationUrl, calculatePKCECodeChallenge, randomPKCECodeVerifier, randomState } from 'openid-client';
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
  /** The redirect_uri of this authorization request (no query: the token request repeats it verbatim). */
  redirectUri: string;
  /** Resolves with the callback URL for `state`; rejects on an error callback. */
  waitForCallback(state: string): Promise<URL>;
  /** Stops waiting for `state` (flow over for any reason). */
  forget(state: string): void;
}

export async function runAuthorizationCodeFlow(request: FlowRequest, receiver: RedirectReceiver): Promise<FlowResult> {
  const { metadata, signal, log } = request;
  const { clientId } = await registerClient(metadata, clientMetadataFor(request.identity, receiver.registeredRedirectUris, metadata), { signal, log });
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
    // The URL carries state and the PKCE challenge: never log it (reference §1.3 defect 9).
    log.info(`opening the browser to sign in at ${new URL(metadata.authorization_endpoint).host}`);
    await raceAbort(request.openBrowser(buildAuthorizationUrl(config, params).href), signal);
    const received = await raceAbort(callback, signal);
    // Rebuild the callback on our exact redirect_uri, which openid-client derives from the URL it is given.
    const current = new URL(receiver.redirectUri);
    for (const [key, value] of received.searchParams) current.searchParams.set(key, value);
    const exchange = authorizationCodeGrant(config, current, { pkceCodeVerifier: verifier, expectedState: state });
    const response = await raceAbort(exchange, signal)
      .catch((error: unknown) => { throw toChannelError(error, 'Exchanging the authorization code', signal); });
    return { clientId, tokens: toOAuthTokens(response) };
  } finally {
    receiver.forget(state);
  }
}
