/**
 * The one-line hint under the homeserver field, from what discovery found: "OAuth supported",
 * "password only", "not a Matrix server", or why it could not tell.
 */
import type { Discovery } from '../../core/auth/sign-in-engine.ts';
import { isMatrixChannelError, type ErrorKind } from '../../core/errors.ts';
import { l10n } from '../../core/l10n.ts';
import type { DiscoveryResult } from '../../shared/webviewProtocol.ts';

export function discoveryHint({ homeserver, capabilities }: Discovery): DiscoveryResult {
  const offers = { oauth: Boolean(capabilities.oauth), password: capabilities.password };
  const found = { offers, baseUrl: homeserver.baseUrl };
  if (offers.oauth) {
    return {
      verdict: 'oauth',
      message: offers.password
        ? l10n.t('OAuth supported: sign in with the browser (recommended). Password sign-in is offered too.')
        : l10n.t('OAuth supported: sign in with the browser (recommended).'),
      ...found,
    };
  }
  if (offers.password)
    return {
      verdict: 'password',
      message: l10n.t('Password only: this homeserver does not offer OAuth 2.0 sign-in.'),
      ...found,
    };
  return {
    verdict: 'token_only',
    message: l10n.t('Neither OAuth nor password sign-in is offered here; use an access token from another client.'),
    ...found,
  };
}

/**
 * The hint when discovery failed, in the words the palette's sign-in uses for the same failure (the error's own
 * message). The reason never echoes a URL (it may carry credentials).
 */
export function discoveryFailureHint(error: unknown): DiscoveryResult {
  const none = { offers: { oauth: false, password: false } };
  if (!isMatrixChannelError(error))
    return {
      verdict: 'failed',
      message: l10n.t('Looking up this homeserver failed unexpectedly (see the Matrix log).'),
      ...none,
    };
  const verdicts: Partial<Record<ErrorKind, DiscoveryResult['verdict']>> = {
    not_matrix: 'not_matrix',
    unreachable: 'unreachable',
    invalid_config: 'invalid',
  };
  return { verdict: verdicts[error.kind] ?? 'failed', message: error.message, ...none };
}
