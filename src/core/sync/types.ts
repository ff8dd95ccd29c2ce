/** The shapes a live channel (ChannelSync) takes and gives: its session, its states, messages and invites. */
import type { MatrixChannelError } from '../errors.ts';

/** What the channel needs of a session: where, who, and an authenticated fetch that keeps tokens fresh. */
export interface SyncSession {
  readonly session: { homeserver: string; userId: string; deviceId: string };
  readonly fetch: typeof fetch;
  /** Set once the session is over for good (the managed session could not renew it). */
  readonly endedReason?: MatrixChannelError | undefined;
  /**
   * The session can still be renewed: a token the homeserver refuses is then expired, not ended, and the renewal
   * is retried (the sign-in server may be down for a while).
   */
  readonly renewable?: boolean;
}

export type ChannelSyncState =
  | { state: 'syncing' }
  | { state: 'connected' }
  | { state: 'reconnecting'; reason: string; retryAt: number }
  | { state: 'needs_sign_in'; reason: string }
  | { state: 'stopped' };

export interface ChannelMessage {
  accountId: string;
  roomId: string;
  roomName: string;
  eventId: string;
  sender: string;
  senderName: string;
  /** The text; "encrypted message" for an encrypted event. */
  body: string;
  encrypted: boolean;
  /** An action ("* Bob waves", `m.emote`) or a notice from a bot (`m.notice`); absent for ordinary text. */
  kind?: 'emote' | 'notice';
  isDirect: boolean;
  /** It mentions the account's user by name (not only `@room`). */
  mentionsMe?: true;
  ts: number;
}

export interface ChannelInvite {
  accountId: string;
  roomId: string;
  roomName: string;
  inviter: string;
  isDirect: boolean;
  joined: boolean;
  /** Not joined: the person is to be asked (Accept / Decline). */
  ask: boolean;
  reason: string;
}

export interface SendOptions {
  /** The event this message answers (`m.relates_to.m.in_reply_to`). */
  replyTo?: string;
  /** An HTML rendering of the text (`org.matrix.custom.html`), for clients that show formatting. */
  html?: string;
  /** Into a thread (its first message), after its latest message known (`replyTo` then answers one in it). */
  thread?: { rootId: string; latest: string };
}
