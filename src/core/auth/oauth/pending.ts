/**
 * Authorization requests waiting for their redirect, keyed by `state`. A state is single-use: the first
 * callback carrying it settles the request and removes it, so a replayed or forged callback never completes
 * a sign-in. Used by the loopback server and by the host's URI handler.
 */
import { MatrixChannelError } from '../../errors.ts';
import { l10n } from '../../l10n.ts';

export type CallbackOutcome = { status: 'accepted' } | { status: 'rejected'; httpStatus: number; message: string };

interface Waiter {
  resolve(url: URL): void;
  reject(error: MatrixChannelError): void;
}

export class PendingAuthorizations {
  private readonly waiters = new Map<string, Waiter>();

  /** Waits for the callback of `state`; the returned promise settles once. Call `cancel` when giving up. */
  expect(state: string): Promise<URL> {
    if (this.waiters.has(state)) throw new Error('state already pending');
    return new Promise<URL>((resolve, reject) => this.waiters.set(state, { resolve, reject }));
  }

  cancel(state: string): void {
    this.waiters.delete(state);
  }

  get size(): number {
    return this.waiters.size;
  }

  /**
   * Delivers a redirect. Only a known state settles anything: the code goes to the waiting flow; an `error`
   * from the server ends it with a reason (a denied consent at once, not after a timeout).
   */
  deliver(callback: URL): CallbackOutcome {
    const params = callback.searchParams;
    const state = params.get('state');
    const waiter = state ? this.waiters.get(state) : undefined;
    if (!state || !waiter) {
      return {
        status: 'rejected',
        httpStatus: 400,
        message: l10n.t('This sign-in link is not valid or was already used. Start signing in again from the editor.'),
      };
    }
    this.waiters.delete(state);
    const error = params.get('error');
    if (error) {
      const failure = callbackError(error, params.get('error_description'));
      waiter.reject(failure);
      return { status: 'rejected', httpStatus: 400, message: failure.message };
    }
    if (!params.get('code')) {
      const failure = new MatrixChannelError(
        'authorization_failed',
        l10n.t('The sign-in server sent no authorization code.'),
      );
      waiter.reject(failure);
      return { status: 'rejected', httpStatus: 400, message: failure.message };
    }
    waiter.resolve(callback);
    return { status: 'accepted' };
  }
}

function callbackError(error: string, description: string | null): MatrixChannelError {
  if (error === 'access_denied') {
    return new MatrixChannelError('consent_denied', l10n.t('Access was denied on the sign-in page.'), { code: error });
  }
  const reason = description
    ? l10n.t({
        message: 'The sign-in server reported {0}: {1}.',
        args: [error, description],
        comment: [
          "{0} is the server's error code, such as invalid_request; {1} is the server's description of it, in its words",
        ],
      })
    : l10n.t({
        message: 'The sign-in server reported {0}.',
        args: [error],
        comment: ["{0} is the server's error code, such as invalid_request"],
      });
  return new MatrixChannelError('authorization_failed', reason, { code: error });
}
