/**
 * The host's gate for everything the webview posts. A webview is a web page: treat its messages as untrusted
 * input. A message passes only if it is exactly one the protocol defines — known kind and type, every field
 * of the right type, no unknown fields, strings within PROTOCOL_LIMITS, no control characters, no markup in
 * names. Anything else is refused with a reason for the log, before it can change anything.
 */
import { AUTO_JOIN, MENTION_MODES, POLICIES } from '../../core/channel/config.ts';
import type { AuthMode } from '../../core/session/session.ts';
import {
  PROTOCOL_LIMITS,
  type ChannelForm,
  type RequestType,
  type Requests,
  type SecretInput,
  type WebviewNotifications,
  type WebviewToHost,
} from '../../shared/webviewProtocol.ts';
import { boolean, id, list, object, oneOf, text, type Schema } from './schema.ts';

const AUTH_MODES = ['', 'oidc', 'password', 'access_token'] as const satisfies ReadonlyArray<AuthMode | ''>;

const plain = text({ max: PROTOCOL_LIMITS.string });
const name = text({ max: PROTOCOL_LIMITS.string, name: true });

const form: Schema<ChannelForm> = object({
  label: name,
  homeserver: plain,
  authMode: oneOf(AUTH_MODES),
  userId: plain,
  deviceId: plain,
  deviceDisplayName: name,
  dmPolicy: oneOf(POLICIES),
  roomPolicy: oneOf(POLICIES),
  mentionMode: oneOf(MENTION_MODES),
  autoJoin: oneOf(AUTO_JOIN),
  notifications: boolean,
  roomAllowlist: list(plain, PROTOCOL_LIMITS.list),
  userAllowlist: list(plain, PROTOCOL_LIMITS.list),
});

const secrets: Schema<SecretInput> = object({ password: plain, accessToken: plain }, ['password', 'accessToken']);

/** One schema per request the protocol defines: a request added there does not compile until it has one here. */
const REQUEST_PARAMS: { [T in RequestType]: Schema<Requests[T]['params']> } = {
  discover: object({ homeserver: plain }),
  save: object({ form, secrets }),
  signIn: object({ form, secrets }),
  pickRooms: object({}),
};

/** One schema per notification the protocol defines (as for requests). */
const NOTIFICATION_PARAMS: { [T in keyof WebviewNotifications]: Schema<WebviewNotifications[T]> } = {
  ready: object({}),
  cancel: object({ requestId: id }),
  draft: object({ form }, ['form']),
};

export type ValidatedMessage =
  | { ok: true; message: WebviewToHost }
  /** `requestId`: the refused message was a request with a usable id, so the webview can be answered. */
  | { ok: false; reason: string; requestId?: number };

export function validateWebviewMessage(raw: unknown): ValidatedMessage {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, reason: 'message: not an object' };
  const record = raw as Record<string, unknown>;
  const { kind, type } = record;
  const table: Record<string, Schema<unknown>> | undefined =
    kind === 'request' ? REQUEST_PARAMS : kind === 'notification' ? NOTIFICATION_PARAMS : undefined;
  if (!table) return { ok: false, reason: `message.kind: unknown kind ${shown(kind)}` };
  const requestId = kind === 'request' ? id(record['id'], 'message.id') : undefined;
  const answerable = requestId?.ok ? { requestId: requestId.value } : {};
  if (typeof type !== 'string' || !Object.hasOwn(table, type)) {
    return { ok: false, reason: `message.type: unknown ${String(kind)} type ${shown(type)}`, ...answerable };
  }
  if (requestId && !requestId.ok) return { ok: false, reason: requestId.reason };

  const envelope = object(
    kind === 'request'
      ? { kind: plain, id, type: plain, params: table[type]! }
      : { kind: plain, type: plain, params: table[type]! },
  );
  const checked = envelope(raw, 'message');
  if (!checked.ok) return { ok: false, reason: checked.reason, ...answerable };
  return { ok: true, message: checked.value as unknown as WebviewToHost };
}

/** A value for a log line: short, and never a long string a webview chose. */
function shown(value: unknown): string {
  if (typeof value !== 'string') return value === undefined ? '(none)' : `(${typeof value})`;
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
}
