/** What a failed sync means: the session is over (sign in again), or the connection was lost (retry), in words. */
import { MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';
import { describeError } from '../log.ts';
import type { SyncSession } from './types.ts';

/** Why the session is over for good after this failure, or undefined when retrying may help. */
export function sessionOverReason(error: unknown, session: SyncSession): string | undefined {
  const errcode =
    error instanceof MatrixChannelError ? error.code : (error as { errcode?: string } | undefined)?.errcode;
  const { endedReason: ended, renewable } = session;
  if (ended) return ended.reason;
  if (errcode === 'M_UNKNOWN_TOKEN' && !renewable) return l10n.t('The homeserver no longer accepts this session.');
  return undefined;
}

/** The words for a lost connection: what a person can act on, not the SDK's error chain. */
export function lostConnectionReason(error: unknown): string {
  const errcode = (error as { errcode?: unknown } | undefined)?.errcode;
  if (errcode === 'M_UNKNOWN_TOKEN')
    return l10n.t('Waiting to renew the session: the sign-in server is not answering.');
  const status = (error as { httpStatus?: unknown } | undefined)?.httpStatus;
  if (typeof status === 'number' && status >= 500)
    return l10n.t({
      message: 'The homeserver is having trouble (HTTP {0}).',
      args: [status],
      comment: ['{0} is an HTTP status number, such as 502'],
    });
  if (
    error instanceof Error &&
    (error.name === 'ConnectionError' || /fetch failed|ECONNREFUSED|network/i.test(error.message))
  ) {
    return l10n.t('The homeserver cannot be reached.');
  }
  return error === undefined
    ? l10n.t('The connection to the homeserver was lost.')
    : l10n.t({
        message: 'The connection to the homeserver was lost ({0}).',
        args: [describeError(error)],
        comment: ["{0} is the error's own text, in English"],
      });
}
