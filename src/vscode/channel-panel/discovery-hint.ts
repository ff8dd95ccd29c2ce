/**
 * The one-line hint under the homeserver field, from what discovery found: "OAuth supported",
 * "password only", "not a Matrix server", or why it could not tell.
 */
import type { Discovery } from '../../core/auth/sign-in-engine.ts';
import { MatrixChannelError } from '../../core/errors.ts';
import type { DiscoveryResult } from '../../shared/webviewProtocol.ts';

export function discoveryHint({ homeserver, capabilities }: Discovery): DiscoveryResult {
  const offers = { oauth: Boolean(capabilities.oauth), password: capabilities.password };
  const found = { offers, baseUrl: homeserver.baseUrl };
  if (offers.oauth) {
    return {
      verdict: 'oauth',
      message: offers.password
        ? 'OAuth supported: sign in with the browser (recommended). Password sign-in is offered too.'
        : 'OAuth supported: sign in with the browser (recommended).',
      ...found,
    };
  }
  if (offers.password)
    return {
      verdict: 'password',
      message: 'Password only: this homeserver does not offer OAuth 2.0 sign-in.',
      ...found,
    };
  return {
    verdict: 'token_only',
    message: 'Neither OAuth nor password sign-in is offered here; use an access token from another client.',
    ...found,
  };
}

/** The hint when discovery failed; the reason never echoes a URL (it may carry credentials). */
export function discoveryFailureHint(error: unknown): DiscoveryResult {
  const none = { offers: { oauth: false, password: false } };
  if (!(error instanceof MatrixChannelError))
    return { verdict: 'failed', message: 'Could not check this homeserver.', ...none };
  switch (error.kind) {
    case 'not_matrix':
      return { verdict: 'not_matrix', message: `Not a Matrix server: ${error.reason}`, ...none };
    case 'unreachable':
      return { verdict: 'unreachable', message: `Cannot reach this server: ${error.reason}`, ...none };
    case 'invalid_config':
      return { verdict: 'invalid', message: error.reason, ...none };
    default:
      return { verdict: 'failed', message: `Could not check this homeserver: ${error.reason}`, ...none };
  }
}
