/** Refresh and revocation for OAuth sessions (openid-client), as the session manager and sign-out use them. */
import { refreshTokenGrant, tokenRevocation } from 'openid-client';
import type { AuthMetadata } from '../../discovery/types.ts';
import { MatrixChannelError } from '../../errors.ts';
import { l10n } from '../../l10n.ts';
import type { TokenRefreshFn } from '../../session/managed-session.ts';
import type { Session } from '../../session/session.ts';
import { toChannelError } from './oauth-errors.ts';
import { clientConfiguration, toOAuthTokens } from './tokens.ts';

/** Finds the authorization server's metadata for a session (discovery again, usually cached). */
export type MetadataLookup = (session: Session) => Promise<AuthMetadata>;

function oauthClientOf(session: Session): string {
  if (!session.clientId)
    throw new MatrixChannelError('session_expired', l10n.t('This OAuth session has no client registration.'));
  return session.clientId;
}

export function oauthTokenRefresher(metadataFor: MetadataLookup): TokenRefreshFn {
  return async (session) => {
    if (!session.refreshToken)
      throw new MatrixChannelError('session_expired', l10n.t('This session has no refresh token.'));
    const config = clientConfiguration(await metadataFor(session), oauthClientOf(session));
    try {
      return toOAuthTokens(await refreshTokenGrant(config, session.refreshToken));
    } catch (error) {
      throw toChannelError(error, l10n.t('Renewing the session failed'));
    }
  };
}

/**
 * RFC 7009 revocation with our client_id. Revoking the refresh token ends the whole session at MAS (and
 * its access token with it); without one, the access token is revoked.
 */
export async function revokeOAuthSession(metadata: AuthMetadata, session: Session): Promise<void> {
  if (!metadata.revocation_endpoint) {
    throw new MatrixChannelError(
      'unexpected_response',
      l10n.t('The sign-in server offers no way to revoke the session.'),
    );
  }
  const config = clientConfiguration(metadata, oauthClientOf(session));
  const [token, hint] = session.refreshToken
    ? [session.refreshToken, 'refresh_token']
    : [session.accessToken, 'access_token'];
  try {
    await tokenRevocation(config, token, { token_type_hint: hint });
  } catch (error) {
    throw toChannelError(error, l10n.t('Revoking the session failed'));
  }
}
