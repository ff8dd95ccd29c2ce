/** Access-token sign-in: the token is checked with /whoami, which also tells whose it is. */
import type { Logger } from '../log.ts';
import { whoami } from './whoami.ts';
import type { Session } from '../session/session.ts';
import { MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';

export async function signInWithAccessToken(request: {
  homeserver: string;
  accessToken: string;
  /** When given, the token must belong to this user. */
  userId?: string;
  log: Logger;
}): Promise<Session> {
  const { homeserver, accessToken: token, log } = request;
  log.conceal(token);
  const identity = await whoami(homeserver, token);
  if (request.userId && request.userId !== identity.userId) {
    throw new MatrixChannelError(
      'invalid_credentials',
      l10n.t({
        message: 'The access token belongs to {0}, not {1}.',
        args: [identity.userId, request.userId],
        comment: ['{0} is the Matrix ID the token belongs to; {1} is the Matrix ID in the channel settings'],
      }),
    );
  }
  if (!identity.deviceId) {
    throw new MatrixChannelError(
      'invalid_credentials',
      l10n.t('The homeserver did not say which device this access token belongs to.'),
    );
  }
  log.info(`signed in ${identity.userId} (token login)`);
  return {
    homeserver,
    userId: identity.userId,
    deviceId: identity.deviceId,
    authMode: 'access_token',
    accessToken: token,
  };
}
