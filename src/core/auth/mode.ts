/**
 * Which way a channel signs in. The inherited rule — an explicit mode wins, else a token,
 * else a password — is kept; beyond it, with no credentials we follow what the server offers, preferring
 * OAuth 2.0, and every combination that cannot work fails here with a precise message instead of at the
 * server with a vague one.
 */
import type { ChannelConfig, ChannelSecrets } from '../channel/config.ts';
import type { AuthCapabilities } from '../discovery/types.ts';
import { MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';
import type { AuthMode } from '../session/session.ts';

export function describeAuthMode(mode: AuthMode): string {
  switch (mode) {
    case 'oidc':
      return l10n.t('OAuth 2.0 (browser)');
    case 'password':
      return l10n.t('Password');
    case 'access_token':
      return l10n.t('Access token');
  }
}

/**
 * @param capabilities what discovery learned about the homeserver; omit when it has not been asked (then
 *   only the configuration and the secrets decide, and a channel without credentials is an error).
 * @throws MatrixChannelError `invalid_config`, `oauth_not_offered` or `password_not_offered`.
 */
export function resolveAuthMode(
  config: Pick<ChannelConfig, 'authMode' | 'userId'>,
  secrets: ChannelSecrets,
  capabilities?: AuthCapabilities,
): AuthMode {
  // Blank values (an emptied form field) count as absent.
  const token = Boolean(secrets.accessToken?.trim());
  const password = Boolean(secrets.password?.trim());
  const userId = Boolean(config.userId?.trim());
  const mode: AuthMode | undefined = config.authMode;

  switch (mode) {
    case 'oidc':
      if (capabilities && !capabilities.oauth) {
        throw new MatrixChannelError(
          'oauth_not_offered',
          l10n.t('OAuth 2.0 sign-in is selected, but this homeserver does not offer it.'),
        );
      }
      return 'oidc';
    case 'access_token':
      if (!token)
        throw new MatrixChannelError(
          'invalid_config',
          l10n.t('Access-token sign-in is selected, but no access token is set.'),
        );
      return 'access_token';
    case 'password':
      requirePasswordOffered(capabilities, 'selected');
      if (!userId && !password) {
        throw new MatrixChannelError(
          'invalid_config',
          l10n.t('Password sign-in is selected, but neither a user ID nor a password is set.'),
        );
      }
      if (!userId)
        throw new MatrixChannelError('invalid_config', l10n.t('A user ID is required to sign in with a password.'));
      if (!password)
        throw new MatrixChannelError('invalid_config', l10n.t('Password sign-in is selected, but no password is set.'));
      return 'password';
    case undefined:
      break;
    default:
      // Settings are untrusted input; a typo must not silently pick another method.
      throw new MatrixChannelError(
        'invalid_config',
        l10n.t({
          message: 'The sign-in method "{0}" is not one of oidc, password or access_token.',
          args: [String(mode)],
          comment: ['{0} is the value in the settings'],
        }),
      );
  }

  // A token beats a password: it is the more specific instruction, and needs no server round trip.
  if (token) return 'access_token';
  if (password) {
    requirePasswordOffered(capabilities, 'set');
    if (!userId)
      throw new MatrixChannelError('invalid_config', l10n.t('A user ID is required to sign in with a password.'));
    return 'password';
  }
  if (!capabilities) {
    throw new MatrixChannelError(
      'invalid_config',
      l10n.t(
        'Either an access token or a password is required, or let the extension ask the server how to sign in (discovery).',
      ),
    );
  }
  // OAuth whenever it is offered: servers that delegate to MAS (oauthAwarePreferred) want it, and the
  // legacy password login on such servers is only a compatibility layer that may go away.
  if (capabilities.oauth) return 'oidc';
  // The caller asks for the user ID and password.
  if (capabilities.password) return 'password';
  throw new MatrixChannelError(
    'oauth_not_offered',
    capabilities.sso
      ? l10n.t(
          'This homeserver offers neither OAuth 2.0 nor password sign-in (only legacy single sign-on, which this extension does not support).',
        )
      : l10n.t('This homeserver offers neither OAuth 2.0 nor password sign-in.'),
  );
}

/**
 * Refuses password sign-in on a server whose /login does not offer it, pointing at what it does offer. `password`:
 * password sign-in was selected, or a password is set.
 */
function requirePasswordOffered(capabilities: AuthCapabilities | undefined, password: 'selected' | 'set'): void {
  if (!capabilities || capabilities.password) return;
  if (capabilities.oauth) {
    throw new MatrixChannelError(
      'password_not_offered',
      password === 'selected'
        ? l10n.t(
            'Password sign-in is selected, but this homeserver does not accept passwords; it signs in through OAuth 2.0.',
          )
        : l10n.t('A password is set, but this homeserver does not accept passwords; it signs in through OAuth 2.0.'),
    );
  }
  // Neither password nor OAuth: only a token can work, so this is a settings problem ("use an access token").
  throw new MatrixChannelError(
    'invalid_config',
    password === 'selected'
      ? l10n.t(
          'Password sign-in is selected, but this homeserver accepts neither passwords nor OAuth 2.0 sign-in; use an access token instead.',
        )
      : l10n.t(
          'A password is set, but this homeserver accepts neither passwords nor OAuth 2.0 sign-in; use an access token instead.',
        ),
  );
}
