/**
 * The channel (account) configuration model: types, defaults and per-field validation (the grammar of Matrix
 * identifiers it checks against is in identifiers.ts).
 * Pure TypeScript with no Node or DOM APIs, so the configuration webview can validate with the same rules.
 * Secrets are deliberately not part of ChannelConfig: they live only in secret storage (ChannelSecrets).
 */
import type { AuthMode } from '../session/session.ts';
import { l10n } from '../l10n.ts';
import { FIELD_WORDS, homeserverProblem, quote, type AllowlistWords, type TextWords } from './config-words.ts';
import { charLength, isRoomAlias, isRoomId, isUserId, MAX_IDENTIFIER_BYTES, UNSAFE_TEXT } from './identifiers.ts';

export { charLength } from './identifiers.ts';

export type Policy = 'open' | 'allowlist' | 'disabled';
export type MentionMode = 'mention' | 'always' | 'none';
/** `ask`: the person is asked (Accept / Decline) about each invite the policies let through. */
export type AutoJoin = 'always' | 'allowlist' | 'ask' | 'off';

export interface ChannelConfig {
  /** Stable key of the channel (also keys its secrets). */
  id: string;
  label?: string;
  /** A client-server API URL, a server name or an MXID; discovery resolves it to a base URL. */
  homeserver: string;
  /** Absent: decided from the secrets and the server's capabilities (see auth/mode.ts). */
  authMode?: AuthMode;
  userId?: string;
  deviceId?: string;
  deviceDisplayName?: string;
  dmPolicy: Policy;
  roomPolicy: Policy;
  mentionMode: MentionMode;
  roomAllowlist: string[];
  userAllowlist: string[];
  autoJoin: AutoJoin;
  notifications: boolean;
}

export interface ChannelSecrets {
  password?: string;
  accessToken?: string;
}

export interface FieldError {
  /** The config key; allowlist entries are `roomAllowlist[i]` (0-based, while messages count from 1). */
  field: string;
  message: string;
}

export type ParsedChannelConfig = { ok: true; config: ChannelConfig } | { ok: false; errors: FieldError[] };

type ChannelDefaults = {
  readonly dmPolicy: Policy;
  readonly roomPolicy: Policy;
  readonly mentionMode: MentionMode;
  readonly roomAllowlist: readonly string[];
  readonly userAllowlist: readonly string[];
  readonly autoJoin: AutoJoin;
  readonly notifications: boolean;
};

/**
 * The values of fields a stored channel leaves out: the gateway's, made for a bot (allowlists, empty lists =
 * nobody). Kept as they are, so a stored configuration means what it always meant.
 */
export const CHANNEL_DEFAULTS: ChannelDefaults = Object.freeze({
  dmPolicy: 'allowlist',
  roomPolicy: 'allowlist',
  mentionMode: 'mention',
  roomAllowlist: Object.freeze([]),
  userAllowlist: Object.freeze([]),
  autoJoin: 'always',
  notifications: true,
});

/**
 * A channel a person adds in the editor, for a person: direct messages notify, mentions of them in joined rooms
 * notify, other room messages do not, and each invite is asked about, never joined on its own. Written out in
 * full when the channel is saved, so later changes to these defaults change no existing channel.
 */
export const NEW_CHANNEL_DEFAULTS: ChannelDefaults = Object.freeze({
  dmPolicy: 'open',
  roomPolicy: 'open',
  mentionMode: 'mention',
  roomAllowlist: Object.freeze([]),
  userAllowlist: Object.freeze([]),
  autoJoin: 'ask',
  notifications: true,
});

export const LIMITS = Object.freeze({
  id: 255,
  label: 100,
  homeserver: 2048,
  identifier: MAX_IDENTIFIER_BYTES,
  deviceId: 255,
  /** Synapse refuses longer device display names. */
  deviceDisplayName: 100,
  allowlistEntry: 255,
  secret: 4096,
});

const AUTH_MODES: readonly AuthMode[] = ['password', 'access_token', 'oidc'];
/** The values of each choice, for every validator of a channel (settings and the form's messages alike). */
export const POLICIES = ['open', 'allowlist', 'disabled'] as const satisfies readonly Policy[];
export const MENTION_MODES = ['mention', 'always', 'none'] as const satisfies readonly MentionMode[];
export const AUTO_JOIN = ['always', 'allowlist', 'ask', 'off'] as const satisfies readonly AutoJoin[];
/** Keys that would put a secret into plain settings (which sync and get shared); refused outright. */
const SECRET_KEYS = ['password', 'accessToken', 'access_token', 'refreshToken', 'refresh_token'];

/** MAS accepts a device scope only for IDs like this. */
const OAUTH_DEVICE_ID = /^[A-Za-z0-9._~!$&'()*+,;=:@/-]{10,}$/;

/** A `*` glob that can still match something of the right kind (it starts with a sigil or `*`). */
function isGlob(value: string, sigils: string): boolean {
  const first = value.charAt(0);
  return (
    value.includes('*') && (first === '*' || sigils.includes(first)) && !/\s/u.test(value) && !UNSAFE_TEXT.test(value)
  );
}

/** Parses untrusted settings (settings.json, the webview) into a ChannelConfig, or every field's problem. */
export function parseChannelConfig(input: unknown): ParsedChannelConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      errors: [{ field: '', message: l10n.t('The channel settings must be an object with named fields.') }],
    };
  }
  const raw = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const fail = (field: string, message: string): null => {
    errors.push({ field, message });
    return null;
  };

  for (const key of SECRET_KEYS) {
    if (Object.hasOwn(raw, key) && raw[key] !== undefined) {
      fail(
        key,
        l10n.t({
          message:
            '"{0}" must not be stored in the channel settings: secrets belong in secret storage (enter them when signing in).',
          args: [key],
          comment: ['{0} is a settings key, such as password or accessToken'],
        }),
      );
    }
  }

  /** Trimmed text; undefined when absent or blank; null after reporting a problem. */
  const text = (field: string, words: TextWords, max: number): string | undefined | null => {
    const value = raw[field];
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      return words.required ? fail(field, words.required()) : undefined;
    }
    if (typeof value !== 'string') return fail(field, words.notText(quote(value)));
    const trimmed = value.trim();
    if (charLength(trimmed) > max) return fail(field, words.tooLong(max));
    if (UNSAFE_TEXT.test(trimmed)) return fail(field, words.controls());
    return trimmed;
  };

  const choice = <T extends string>(
    field: string,
    notOneOf: (allowed: string, given: string) => string,
    allowed: readonly T[],
    fallback: T | undefined,
  ): T | undefined => {
    const value = raw[field];
    // A blank choice is how a form says "not set".
    if (value === undefined || value === null || value === '') return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    fail(field, notOneOf(allowed.map((a) => `"${a}"`).join(', '), quote(value)));
    return undefined;
  };

  const allowlist = (
    field: string,
    words: AllowlistWords,
    accepts: (entry: string) => boolean,
    foldCase: boolean,
  ): string[] => {
    const value = raw[field];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      fail(field, words.notList(quote(value)));
      return [];
    }
    const kept: string[] = [];
    const seen = new Set<string>();
    value.forEach((entry: unknown, index) => {
      const number = index + 1;
      if (typeof entry !== 'string') return void fail(`${field}[${index}]`, words.entryNotText(number, quote(entry)));
      const trimmed = entry.trim();
      if (trimmed === '') return; // blank lines from a text area mean nothing
      if (charLength(trimmed) > LIMITS.allowlistEntry)
        return void fail(`${field}[${index}]`, words.entryTooLong(number, LIMITS.allowlistEntry));
      if (!accepts(trimmed)) return void fail(`${field}[${index}]`, words.entryNotKind(number, quote(trimmed)));
      const key = foldCase ? trimmed.toLowerCase() : trimmed;
      if (!seen.has(key)) kept.push(trimmed);
      seen.add(key);
    });
    return kept;
  };

  const id = text('id', FIELD_WORDS.id, LIMITS.id);
  const label = text('label', FIELD_WORDS.label, LIMITS.label);

  const homeserver = text('homeserver', FIELD_WORDS.homeserver, LIMITS.homeserver);
  if (homeserver) {
    const problem = homeserverProblem(homeserver);
    if (problem) fail('homeserver', problem);
  }

  const authMode = choice('authMode', FIELD_WORDS.authMode, AUTH_MODES, undefined);

  const userId = text('userId', FIELD_WORDS.userId, LIMITS.identifier);
  if (userId && !isUserId(userId))
    fail(
      'userId',
      l10n.t({
        message: 'User ID {0} is not a Matrix user ID (@user:server).',
        args: [quote(userId)],
        comment: ['{0} is what the person typed, in quotes'],
      }),
    );

  const deviceId = text('deviceId', FIELD_WORDS.deviceId, LIMITS.deviceId);
  if (deviceId && authMode === 'oidc' && !OAUTH_DEVICE_ID.test(deviceId)) {
    fail(
      'deviceId',
      l10n.t({
        message:
          "Device ID {0} cannot be used with OAuth 2.0 sign-in: it needs at least 10 characters, each a letter, digit or one of . _ ~ ! $ & ' ( ) * + , ; = : @ / -",
        args: [quote(deviceId)],
        comment: ['{0} is what the person typed, in quotes'],
      }),
    );
  }

  const deviceDisplayName = text('deviceDisplayName', FIELD_WORDS.deviceDisplayName, LIMITS.deviceDisplayName);
  // Other clients show this name in session lists, some as HTML: keep markup out.
  if (deviceDisplayName && /[<>]/.test(deviceDisplayName))
    fail('deviceDisplayName', l10n.t('Device display name must not contain < or >.'));

  const dmPolicy = choice('dmPolicy', FIELD_WORDS.dmPolicy, POLICIES, CHANNEL_DEFAULTS.dmPolicy);
  const roomPolicy = choice('roomPolicy', FIELD_WORDS.roomPolicy, POLICIES, CHANNEL_DEFAULTS.roomPolicy);
  const mentionMode = choice('mentionMode', FIELD_WORDS.mentionMode, MENTION_MODES, CHANNEL_DEFAULTS.mentionMode);
  const autoJoin = choice('autoJoin', FIELD_WORDS.autoJoin, AUTO_JOIN, CHANNEL_DEFAULTS.autoJoin);

  const roomAllowlist = allowlist(
    'roomAllowlist',
    FIELD_WORDS.roomAllowlist,
    (entry) => isRoomId(entry) || isRoomAlias(entry) || isGlob(entry, '!#'),
    false,
  );
  // User IDs compare case-insensitively, so duplicates do too.
  const userAllowlist = allowlist(
    'userAllowlist',
    FIELD_WORDS.userAllowlist,
    (entry) => isUserId(entry) || isGlob(entry, '@'),
    true,
  );

  let notifications = CHANNEL_DEFAULTS.notifications;
  const rawNotifications = raw['notifications'];
  if (typeof rawNotifications === 'boolean') notifications = rawNotifications;
  else if (rawNotifications !== undefined && rawNotifications !== null)
    fail(
      'notifications',
      l10n.t({
        message: 'Notifications must be true or false, not {0}.',
        args: [quote(rawNotifications)],
        comment: ['{0} is what was given: a value in quotes, or a kind of value such as "a number"'],
      }),
    );

  if (errors.length > 0 || !id || !homeserver || !dmPolicy || !roomPolicy || !mentionMode || !autoJoin) {
    return { ok: false, errors };
  }
  const config: ChannelConfig = {
    id,
    homeserver,
    dmPolicy,
    roomPolicy,
    mentionMode,
    roomAllowlist,
    userAllowlist,
    autoJoin,
    notifications,
  };
  if (label) config.label = label;
  if (authMode) config.authMode = authMode;
  if (userId) config.userId = userId;
  if (deviceId) config.deviceId = deviceId;
  if (deviceDisplayName) config.deviceDisplayName = deviceDisplayName;
  return { ok: true, config };
}

/** Whether the secrets suit the sign-in method; the same rules resolveAuthMode enforces, as field errors for a form. */
export function validateSecrets(
  mode: AuthMode | undefined,
  secrets: ChannelSecrets,
  config: Pick<ChannelConfig, 'userId'>,
): FieldError[] {
  const errors: FieldError[] = [];
  const token = secrets.accessToken?.trim() ? secrets.accessToken : undefined;
  const password = secrets.password?.trim() ? secrets.password : undefined;

  if (token !== undefined) {
    if (token.length > LIMITS.secret)
      errors.push({
        field: 'accessToken',
        message: l10n.t({
          message: 'The access token is longer than {0} characters.',
          args: [LIMITS.secret],
          comment: ['{0} is a number of characters'],
        }),
      });
    else if (/\s/u.test(token) || UNSAFE_TEXT.test(token)) {
      errors.push({
        field: 'accessToken',
        message: l10n.t('The access token contains spaces or line breaks; paste only the token itself.'),
      });
    }
  } else if (mode === 'access_token') {
    errors.push({
      field: 'accessToken',
      message: l10n.t('An access token is required to sign in with an access token.'),
    });
  }

  // Passphrases may contain spaces; line breaks and other controls are paste accidents.
  if (password !== undefined) {
    if (password.length > LIMITS.secret)
      errors.push({
        field: 'password',
        message: l10n.t({
          message: 'The password is longer than {0} characters.',
          args: [LIMITS.secret],
          comment: ['{0} is a number of characters'],
        }),
      });
    else if (UNSAFE_TEXT.test(password))
      errors.push({
        field: 'password',
        message: l10n.t('The password contains a line break or another control character.'),
      });
  } else if (mode === 'password') {
    errors.push({ field: 'password', message: l10n.t('A password is required to sign in with a password.') });
  }

  // Without an explicit mode a password (and no token) means password sign-in, which needs the user ID too.
  const usesPassword = mode === 'password' || (mode === undefined && token === undefined && password !== undefined);
  if (usesPassword && !config.userId?.trim())
    errors.push({ field: 'userId', message: l10n.t('A user ID is required to sign in with a password.') });
  return errors;
}
