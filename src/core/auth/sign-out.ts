/**
 * Sign-out: end the session at the server (OAuth revocation with our client_id, or /logout), then delete the
 * secrets. The secrets are deleted even when the server cannot be reached; the failure is reported, so the
 * user knows the server-side session may linger.
 */
import { MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';
import type { Logger } from '../log.ts';
import { createMatrixClient, toChannelError } from '../matrix/sdk.ts';
import type { SessionStore } from '../session/session-store.ts';
import type { Session } from '../session/session.ts';
import { revokeOAuthSession, type MetadataLookup } from './oauth/token-lifecycle.ts';

export interface SignOutResult {
  /** The server ended the session. */
  revoked: boolean;
  /** Why it did not (the local secrets are gone regardless). */
  error?: MatrixChannelError;
}

interface SignOutOptions {
  accountId: string;
  session: Session;
  store: SessionStore;
  metadataFor: MetadataLookup;
  log: Logger;
}

export async function signOut(options: SignOutOptions): Promise<SignOutResult> {
  try {
    return await endAtServer(options);
  } finally {
    await options.store.delete(options.accountId);
  }
}

/**
 * Ends a session at its server only, leaving the stored secret alone: for a session that a new sign-in of
 * the same account has replaced (another homeserver, user or device), whose secret slot now holds the new one.
 */
export function endAtServer(options: Omit<SignOutOptions, 'store'>): Promise<SignOutResult> {
  const { session, log } = options;
  return (async (): Promise<SignOutResult> => {
    try {
      if (session.authMode === 'oidc') {
        await revokeOAuthSession(await options.metadataFor(session), session);
      } else {
        const client = await createMatrixClient({ baseUrl: session.homeserver, accessToken: session.accessToken, log });
        await client.logout().catch(async (error: unknown) => {
          throw await toChannelError(error, 'sign_out');
        });
      }
      log.info(`account ${options.accountId}: signed out at ${new URL(session.homeserver).host}`);
      return { revoked: true };
    } catch (error) {
      const failure =
        error instanceof MatrixChannelError
          ? error
          : new MatrixChannelError(
              'unexpected_response',
              l10n.t({
                message: '{0}: {1}',
                args: [l10n.t('Signing out failed'), String(error)],
                comment: [
                  '{0} says what did not happen, a clause such as "Signing out failed"; {1} is the error\'s own text, often in English',
                ],
              }),
            );
      log.warn(`account ${options.accountId}: the server did not confirm the sign-out: ${failure.reason}`);
      return { revoked: false, error: failure };
    }
  })();
}
