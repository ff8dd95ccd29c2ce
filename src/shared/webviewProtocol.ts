/**
 * The one message protocol between the extension host and the channel-configuration webview, imported by
 * both sides (keep it free of `vscode` and DOM imports). The webview sends requests (with ids, answered by
 * exactly one response) and notifications; the host sends responses and `panel` notifications.
 *
 * Secrets flow one way only: the webview sends a password or token the user typed with a save or sign-in;
 * nothing the host sends ever contains one (the panel shows "stored" instead).
 */
import type { AccountState } from '../core/account/state.ts';
import type { AutoJoin, FieldError, MentionMode, Policy } from '../core/channel/config.ts';
import type { AuthMode } from '../core/session/session.ts';

export type { AccountState, AuthMode, AutoJoin, FieldError, MentionMode, Policy };

/** Bounds the host enforces on every incoming message before looking at its meaning. */
export const PROTOCOL_LIMITS = Object.freeze({
  /** Longest string of any field (secrets included); the config model's own limits are tighter. */
  string: 4096,
  /** Most entries in one allowlist. */
  list: 1000,
});

/** What the form edits: a channel's configuration as text fields, without its id and without secrets. */
export interface ChannelForm {
  label: string;
  homeserver: string;
  /** '' = not chosen (a new channel) or not recorded (a hand-written settings entry). */
  authMode: AuthMode | '';
  userId: string;
  deviceId: string;
  deviceDisplayName: string;
  dmPolicy: Policy;
  roomPolicy: Policy;
  mentionMode: MentionMode;
  autoJoin: AutoJoin;
  notifications: boolean;
  roomAllowlist: string[];
  userAllowlist: string[];
}

/** Typed by the user and sent with a save or sign-in; never sent back, never kept in webview state. */
export interface SecretInput {
  password?: string;
  accessToken?: string;
}

/** The homeserver hint under the field: what discovery found out. */
export type DiscoveryVerdict =
  'oauth' | 'password' | 'token_only' | 'not_matrix' | 'unreachable' | 'invalid' | 'failed';

export interface DiscoveryResult {
  verdict: DiscoveryVerdict;
  /** One sentence for the hint. */
  message: string;
  offers: { oauth: boolean; password: boolean };
  /** The client-server API base URL that the input resolved to. */
  baseUrl?: string;
}

/** The account being edited, as the tree shows it. */
export interface AccountSummary {
  state: AccountState;
  userId?: string;
  deviceId?: string;
  reason?: string;
}

export type PanelMode = 'add' | 'edit';

/** Everything the webview needs to render the panel, except the user's unsaved edits (which it keeps). */
export interface PanelInfo {
  mode: PanelMode;
  /** The channel being edited (edit mode). */
  accountId?: string;
  /** The saved configuration (edit) or the defaults (add); the form's changes are relative to it. */
  baseline: ChannelForm;
  /** Whether a session is in secret storage, and its method; the secrets themselves stay in the host. */
  stored: { session: boolean; authMode?: AuthMode };
  /** The edited channel's connection state (edit mode). */
  account?: AccountSummary;
  /** Edit mode: the channel was removed elsewhere; nothing can be saved any more. */
  removed?: boolean;
  /** A save or sign-in still running in the host (e.g. when the webview was re-created while hidden). */
  busy?: { requestId: number; type: 'save' | 'signIn' };
  /** Edits the person closed the panel on, brought back by "Reopen": the form starts from them. */
  draft?: ChannelForm;
  /** The channel is signed in, so its joined rooms can be picked for the room allowlist. */
  canPickRooms?: boolean;
}

export interface SaveResult {
  panel: PanelInfo;
  /** What happened, for the panel's status line ("Saved.", "Signed in as …"). */
  message: string;
}

export interface ProtocolError {
  message: string;
  /** Problems with particular fields (the host's own validation), shown next to them. */
  fields?: FieldError[];
  /** The user cancelled (or a newer request superseded this one). */
  cancelled?: boolean;
}

/** Requests the webview may make, their parameters and results. */
export interface Requests {
  /** What the homeserver offers; a newer discover request cancels the older one. */
  discover: { params: { homeserver: string }; result: DiscoveryResult };
  /** Saves the form; signs in when required (new channel, changed homeserver / method / user / device, new secret). */
  save: { params: { form: ChannelForm; secrets: SecretInput }; result: SaveResult };
  /** Saves the form and signs in, whether or not anything changed ("Sign in with browser", "Sign in again"). */
  signIn: { params: { form: ChannelForm; secrets: SecretInput }; result: SaveResult };
  /** Asks the person which of the channel's joined rooms to allow (a picker in the editor); their room IDs. */
  pickRooms: { params: Record<string, never>; result: { roomIds: string[] } };
}
export type RequestType = keyof Requests;

export type WebviewRequest = {
  [T in RequestType]: { kind: 'request'; id: number; type: T; params: Requests[T]['params'] };
}[RequestType];

/**
 * Notifications from the webview: ready (send me the panel), cancel (a running request), draft (the form's
 * unsaved edits, without secrets, or no `form` once it matches the saved channel: offered back if the panel
 * is closed on them).
 */
export interface WebviewNotifications {
  ready: Record<string, never>;
  cancel: { requestId: number };
  draft: { form?: ChannelForm };
}
export type WebviewNotification = {
  [T in keyof WebviewNotifications]: { kind: 'notification'; type: T; params: WebviewNotifications[T] };
}[keyof WebviewNotifications];

export type WebviewToHost = WebviewRequest | WebviewNotification;

/** The one answer to a request (named so it does not shadow the global fetch `Response`). */
export type RequestResponse<T extends RequestType = RequestType> =
  | { kind: 'response'; id: number; ok: true; result: Requests[T]['result'] }
  | { kind: 'response'; id: number; ok: false; error: ProtocolError };

/** The host's only notification: the panel as it is now (on ready, after sign-in, on account changes). */
export interface PanelNotification {
  kind: 'notification';
  type: 'panel';
  params: { panel: PanelInfo };
}

export type HostToWebview = RequestResponse | PanelNotification;
