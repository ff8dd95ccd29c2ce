/**
 * The channel form's rules, shared by the webview (messages next to the fields, Save enabled only when
 * valid) and the host (which checks again and never trusts the webview). The field rules themselves are the
 * configuration model's (parseChannelConfig, validateSecrets); this adds what a form needs around them:
 * conversion, the sign-in method's required fields, and when saving means signing in.
 */
import {
  charLength,
  LIMITS,
  NEW_CHANNEL_DEFAULTS,
  parseChannelConfig,
  validateSecrets,
  type ChannelConfig,
  type ChannelSecrets,
  type FieldError,
} from '../core/channel/config.ts';
import { l10n } from '../core/l10n.ts';
import type { AuthMode } from '../core/session/session.ts';
import { diffChannel, type ChannelDiff } from './channel-diff.ts';
import type { ChannelForm, PanelMode, SecretInput } from './webviewProtocol.ts';

export type AllowlistField = 'roomAllowlist' | 'userAllowlist';

export function emptyForm(): ChannelForm {
  return {
    label: '',
    homeserver: '',
    authMode: '',
    userId: '',
    deviceId: '',
    deviceDisplayName: '',
    dmPolicy: NEW_CHANNEL_DEFAULTS.dmPolicy,
    roomPolicy: NEW_CHANNEL_DEFAULTS.roomPolicy,
    mentionMode: NEW_CHANNEL_DEFAULTS.mentionMode,
    autoJoin: NEW_CHANNEL_DEFAULTS.autoJoin,
    notifications: NEW_CHANNEL_DEFAULTS.notifications,
    roomAllowlist: [],
    userAllowlist: [],
  };
}

/**
 * The form of a saved channel. Its method is the recorded one, else the stored session's: an OAuth account
 * must never show up as "access token" (a settings entry written by hand may lack the method).
 */
export function formFromConfig(config: ChannelConfig, sessionMode?: AuthMode): ChannelForm {
  return {
    label: config.label ?? '',
    homeserver: config.homeserver,
    authMode: config.authMode ?? sessionMode ?? '',
    userId: config.userId ?? '',
    deviceId: config.deviceId ?? '',
    deviceDisplayName: config.deviceDisplayName ?? '',
    dmPolicy: config.dmPolicy,
    roomPolicy: config.roomPolicy,
    mentionMode: config.mentionMode,
    autoJoin: config.autoJoin,
    notifications: config.notifications,
    roomAllowlist: [...config.roomAllowlist],
    userAllowlist: [...config.userAllowlist],
  };
}

/** The form as a configuration, through the model's parser (so both sides apply exactly its rules). */
export function configFromForm(form: ChannelForm, id: string): { config?: ChannelConfig; errors: FieldError[] } {
  const parsed = parseChannelConfig({ ...form, id });
  const errors = parsed.ok ? [] : [...parsed.errors];
  // The name shows in the tree and in messages; keep markup out, as the model does for device names.
  if (/[<>]/.test(form.label)) errors.push({ field: 'label', message: l10n.t('Name must not contain < or >.') });
  return parsed.ok && errors.length === 0 ? { config: parsed.config, errors } : { errors };
}

export interface FormContext {
  mode: PanelMode;
  /** The channel's id (the webview of a new channel may pass any placeholder). */
  id: string;
  /** The saved configuration (edit mode). */
  baseline?: ChannelConfig;
  /** The user asked to sign in, whether or not anything changed. */
  signIn?: boolean;
}

export interface FormCheck {
  errors: FieldError[];
  /** The configuration to save, when the form is valid. */
  config?: ChannelConfig;
  /** Edit mode: what changed against the saved configuration. */
  diff: ChannelDiff;
  signInRequired: boolean;
  /** Why an edit needs a new sign-in, for the notice before saving. */
  signInReasons: string[];
  /** Only the secrets the chosen method uses. */
  secrets: ChannelSecrets;
}

/** Everything that decides whether the form may be saved, and what saving it does. */
export function checkForm(form: ChannelForm, input: SecretInput, context: FormContext): FormCheck {
  const { config, errors } = configFromForm(form, context.id);
  const secrets = secretsFor(form.authMode, input);
  const diff = config && context.baseline ? diffChannel(context.baseline, config) : { changed: [], signInReasons: [] };
  const signInReasons = [...diff.signInReasons];
  if (secrets.password)
    signInReasons.push(
      l10n.t({
        message: 'a new password was entered',
        comment: ['Why saving signs the channel in again; shows in "Saving signs this channel in again: {0}."'],
      }),
    );
  if (secrets.accessToken)
    signInReasons.push(
      l10n.t({
        message: 'a new access token was entered',
        comment: ['Why saving signs the channel in again; shows in "Saving signs this channel in again: {0}."'],
      }),
    );
  const signInRequired = context.mode === 'add' || Boolean(context.signIn) || signInReasons.length > 0;

  if (signInRequired) {
    if (form.authMode === '') errors.push({ field: 'authMode', message: l10n.t('Choose how to sign in.') });
    else errors.push(...validateSecrets(form.authMode, secrets, { userId: form.userId }));
  }
  return { errors, ...(config && errors.length === 0 ? { config } : {}), diff, signInRequired, signInReasons, secrets };
}

/** The secrets the method uses; blank ones count as not entered. */
export function secretsFor(mode: AuthMode | '', input: SecretInput): ChannelSecrets {
  if (mode === 'password' && input.password?.trim()) return { password: input.password };
  if (mode === 'access_token' && input.accessToken?.trim()) return { accessToken: input.accessToken };
  return {};
}

/** Why an entry the model refuses cannot go into the list, in a sentence of each list's own. */
function entryRefused(list: AllowlistField, entry: string): string {
  // The model checks the length first, with this rule.
  if (charLength(entry) > LIMITS.allowlistEntry) {
    return list === 'roomAllowlist'
      ? l10n.t({
          message: 'Room allowlist entry is longer than {0} characters.',
          args: [LIMITS.allowlistEntry],
          comment: ['{0} is a number of characters'],
        })
      : l10n.t({
          message: 'User allowlist entry is longer than {0} characters.',
          args: [LIMITS.allowlistEntry],
          comment: ['{0} is a number of characters'],
        });
  }
  return list === 'roomAllowlist'
    ? l10n.t('Not a room ID (!id:server), alias (#alias:server) or * pattern.')
    : l10n.t('Not a user ID (@user:server) or * pattern.');
}

/** Why an entry cannot go into an allowlist (undefined: it can), by the model's own rules. */
export function allowlistEntryProblem(
  list: AllowlistField,
  entry: string,
  existing: readonly string[] = [],
): string | undefined {
  const trimmed = entry.trim();
  if (trimmed === '') return l10n.t('Enter an entry first.');
  const parsed = parseChannelConfig({ id: 'entry', homeserver: 'example.org', [list]: [trimmed] });
  if (!parsed.ok) return entryRefused(list, trimmed);
  // User IDs compare case-insensitively , room IDs and aliases exactly.
  const key = (value: string) => (list === 'userAllowlist' ? value.toLowerCase() : value);
  if (existing.some((value) => key(value) === key(trimmed))) return l10n.t('Already in the list.');
  return undefined;
}
