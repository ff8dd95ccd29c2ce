/** Password sign-in (m.login.password with a user identifier) through matrix-js-sdk. */
import { MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';
import { concealTokens, type Logger } from '../log.ts';
import { retryingRateLimits } from '../rate-limit.ts';
import { createMatrixClient, toChannelError } from '../matrix/sdk.ts';
import type { Session } from '../session/session.ts';

export interface PasswordSignIn {
  homeserver: string;
  userId: string;
  password: string;
  /** Requested device id (signing in again keeps the device). */
  deviceId?: string;
  deviceDisplayName?: string;
  log: Logger;
}

export async function signInWithPassword(request: PasswordSignIn): Promise<Session> {
  const client = await createMatrixClient({
    baseUrl: request.homeserver,
    log: request.log,
    // A burst of sign-ins meets the homeserver's login rate limit: wait it out as it asks, briefly.
    fetchFn: retryingRateLimits(globalThis.fetch),
  });
  try {
    const response = await client.loginRequest({
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: request.userId },
      password: request.password,
      ...(request.deviceId ? { device_id: request.deviceId } : {}),
      ...(request.deviceDisplayName ? { initial_device_display_name: request.deviceDisplayName } : {}),
    });
    const session: Session = {
      homeserver: request.homeserver,
      userId: response.user_id,
      deviceId: response.device_id,
      authMode: 'password',
      accessToken: response.access_token,
      ...(response.refresh_token ? { refreshToken: response.refresh_token } : {}),
      ...(response.expires_in_ms ? { expiresAt: Date.now() + response.expires_in_ms } : {}),
    };
    concealTokens(request.log, session);
    request.log.info(`signed in ${session.userId} (password login)`);
    return session;
  } catch (error) {
    const failure = await toChannelError(error, 'password_sign_in');
    if (failure.code === 'M_FORBIDDEN') {
      throw new MatrixChannelError(
        'invalid_credentials',
        l10n.t('The homeserver did not accept this user ID and password.'),
        {
          code: failure.code,
          cause: error,
        },
      );
    }
    throw failure;
  }
}
