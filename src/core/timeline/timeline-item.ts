/**
 * What a room view shows of one message: the latest text of it (edits applied), what it answers, its reactions
 * and thread, or why it shows no text (deleted, not decrypted). Built from the room's events by timeline-fold.ts;
 * plain data, so the host can hand it to the webview as it is.
 */

/** An event as the client-server API gives it (a decrypted one carries its clear type and content). */
export interface RoomEvent {
  event_id: string;
  type: string;
  sender: string;
  origin_server_ts: number;
  content: Record<string, unknown>;
  state_key?: string;
  /** The redaction's target (room versions before 11 put it here, later ones in `content.redacts`). */
  redacts?: string;
  unsigned?: { redacted_because?: unknown; transaction_id?: string };
  /** Set by the crypto layer for an encrypted event it could not decrypt: why. */
  undecryptable?: string;
}

export type ItemKind = 'text' | 'emote' | 'notice' | 'image' | 'file' | 'deleted' | 'undecryptable';

export interface MediaSummary {
  /** The media's `mxc://` URI (of its encrypted form in an encrypted room). */
  url: string;
  name: string;
  mimetype?: string;
  /** In bytes, as the sender said. */
  size?: number;
  /** An image's size in pixels, as the sender said (the view keeps room for its thumbnail). */
  width?: number;
  height?: number;
  /** An image the view shows as a thumbnail. */
  thumbnail?: boolean;
}

export interface ReactionCount {
  key: string;
  count: number;
  /** The account's user is among those who reacted (their reaction's event, to take it back). */
  mine?: string;
}

export interface TimelineItem {
  eventId: string;
  sender: string;
  ts: number;
  kind: ItemKind;
  /** Plain text: the body, without the quoted reply fallback; the reason for an undecryptable one. */
  body: string;
  /** The formatted body, sanitized (absent when the message has none). */
  html?: string;
  /** For images and files: what the view shows of the media (the host fetches it by the message's ID). */
  media?: MediaSummary;
  edited: boolean;
  /** The message this one answers; its sender and text when that message is in the window. */
  replyTo?: { eventId: string; sender?: string; body?: string };
  reactions: ReactionCount[];
  /** Replies in the thread this message starts (0 in the thread's own view, which shows them). */
  threadReplies: number;
  /** Sent by the account's user (it may be edited and deleted). */
  mine: boolean;
  /** It mentions the account's user (the view marks it). */
  mentionsMe?: boolean;
}
