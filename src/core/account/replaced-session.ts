/** Which earlier session a sign-in replaces. */
import type { Session } from '../session/session.ts';

/**
 * The old session is not the new one and must be ended at its server: another server, user or device, or, on
 * the same device, another OAuth grant (the authorization server keeps each sign-in as a session of its own;
 * ending the old one leaves the device to the new one). A password or token sign-in on the same device is not
 * ended: logging out would delete the device, and the new session with it.
 */
export function isReplaced(previous: Session, next: Session): boolean {
  if (previous.homeserver !== next.homeserver || previous.userId !== next.userId || previous.deviceId !== next.deviceId)
    return true;
  // A grant is known by its refresh token; one without (a server that issues none) by its access token.
  const grant = (session: Session) => session.refreshToken ?? session.accessToken;
  return previous.authMode === 'oidc' && grant(previous) !== grant(next);
}
