/**
 * Shared by the two halves of the reload test: test/extension/suite/restore.test.ts signs accounts in and
 * hands them over (`registerAfterReload`); test/extension/suite-after-reload/restore.test.ts, run by the harness
 * after reloading the workbench, checks that they came back without prompting.
 */

/** The name the hand-over is registered under. */
export const RESTORE_KEY = 'restore';

export interface RestoredAccount {
  id: string;
  userId: string;
}

/** What phase 1 hands to phase 2. */
export interface RestoreState {
  /** Signed in with a password on the classic homeserver. */
  password: RestoredAccount;
  /** Signed in through OAuth on the delegated homeserver, with 5-second access tokens. */
  oauth: RestoredAccount;
  /** A room of the password account left open in its view, with a message in it and a draft in the composer. */
  openRoom: { roomId: string; name: string; message: string; draft: string };
}
