/**
 * What the panel shows for a state, as plain data (tested in Node): which fields the chosen method needs,
 * the messages next to fields, the discovery hint, what the main button says and whether it may be pressed,
 * the "signs in again" notice, progress and status. The DOM layer only copies this onto elements.
 *
 * Every word goes through l10n.t when the view model is built, never at import: the page's translations are set
 * after the modules are loaded.
 */
import { l10n } from '../../src/core/l10n.ts';
import type { AccountState, AuthMode, DiscoveryResult, DiscoveryVerdict } from '../../src/shared/webviewProtocol.ts';
import { check, fieldOf, showsStored, type FormState, type Status } from './form-state.ts';

export interface ModeChoice {
  mode: AuthMode;
  label: string;
  recommended: boolean;
  /** Discovery says the homeserver does not offer it. */
  unavailable: boolean;
}

export interface ViewModel {
  heading: string;
  account?: { state: AccountState; text: string };
  discovery: { state: 'idle' | 'checking' | DiscoveryVerdict; text: string };
  modes: ModeChoice[];
  guidance: string;
  show: { userId: boolean; password: boolean; accessToken: boolean; oauth: boolean };
  stored: { password: boolean; accessToken: boolean };
  oauthText: string;
  /** Shown problems by field (`homeserver`, `roomAllowlist`, …). */
  errors: Record<string, string>;
  /** Fields still keeping Save disabled, for the line next to it. */
  pending: string[];
  primary: { label: string; enabled: boolean; request: 'save' | 'signIn' };
  /** Edit mode, browser sign-in: sign in again without changing anything. */
  signInAgain?: { label: string; enabled: boolean };
  signInNotice?: string;
  progress?: { text: string; cancellable: boolean };
  status?: Status;
  /** Inputs are locked (busy, or the channel was removed). */
  locked: boolean;
  /** The channel's joined rooms can be picked for the room allowlist (it is signed in). */
  canPickRooms: boolean;
  /** Editing a signed-in channel: the device it is signed in as, which an empty Device ID keeps. */
  device?: { id: string; text: string };
}

/** A field's name in the "To continue, check: …" line (the field's own name when it has none here). */
function fieldLabel(field: string): string {
  const labels: Record<string, string> = {
    label: l10n.t('Name'),
    homeserver: l10n.t('Homeserver'),
    authMode: l10n.t('Sign-in method'),
    userId: l10n.t('User ID'),
    password: l10n.t('Password'),
    accessToken: l10n.t('Access token'),
    deviceId: l10n.t('Device ID'),
    deviceDisplayName: l10n.t('Device display name'),
    roomAllowlist: l10n.t('Room allowlist'),
    userAllowlist: l10n.t('User allowlist'),
  };
  return labels[field] ?? field;
}

function guidance(mode: AuthMode | ''): string {
  switch (mode) {
    case 'oidc':
      return l10n.t(
        "You sign in on your homeserver's own page in the browser; the extension never sees your password.",
      );
    case 'password':
      return l10n.t(
        'Your Matrix ID and password. The password is used once to sign in and is never stored; the session is kept in secret storage.',
      );
    case 'access_token':
      return l10n.t(
        'A token copied from another client (in Element: Settings → Help & About → Access token). Treat it like a password.',
      );
    case '':
      return l10n.t('Choose how to sign in. Enter the homeserver first to see what it offers.');
  }
}

function stateText(state: AccountState): string {
  switch (state) {
    case 'signed_out':
      return l10n.t('Signed out');
    case 'authorizing':
      return l10n.t('Signing in…');
    case 'connecting':
      return l10n.t('Connecting…');
    case 'syncing':
      return l10n.t('Syncing…');
    case 'connected':
      return l10n.t('Connected');
    case 'reconnecting':
      return l10n.t('Reconnecting…');
    case 'needs_sign_in':
      return l10n.t('Needs sign-in');
    case 'error':
      return l10n.t('Error');
  }
}

/** The sign-in methods, each said whole: recommended by discovery, or not offered by the homeserver. */
function modeChoices(offers: { oauth: boolean; password: boolean } | undefined): ModeChoice[] {
  const oauth = Boolean(offers?.oauth);
  const noOauth = Boolean(offers && !offers.oauth);
  const noPassword = Boolean(offers && !offers.password);
  return [
    {
      mode: 'oidc',
      label: oauth
        ? l10n.t('Sign in with browser (OAuth 2.0, recommended)')
        : noOauth
          ? l10n.t('Sign in with browser (OAuth 2.0) — not offered by this homeserver')
          : l10n.t('Sign in with browser (OAuth 2.0)'),
      recommended: oauth,
      unavailable: noOauth,
    },
    {
      mode: 'password',
      label: noPassword ? l10n.t('Password — not offered by this homeserver') : l10n.t('Password'),
      recommended: false,
      unavailable: noPassword,
    },
    { mode: 'access_token', label: l10n.t('Access token'), recommended: false, unavailable: false },
  ];
}

export function viewModel(state: FormState): ViewModel {
  const panel = state.panel;
  const adding = panel?.mode !== 'edit';
  const { form } = state;
  const mode = form.authMode;
  const result = check(state);
  const busy = Boolean(state.busy);
  const locked = busy || Boolean(panel?.removed) || !panel;

  const problems = new Map<string, string>();
  for (const error of [...state.hostErrors, ...result.errors]) {
    const field = fieldOf(error.field);
    if (!problems.has(field)) problems.set(field, error.message);
  }
  const errors = Object.fromEntries(
    [...problems].filter(
      ([field]) => state.touched.includes(field) || state.hostErrors.some((e) => fieldOf(e.field) === field),
    ),
  );
  const pending = [...problems.keys()].map(fieldLabel);

  const discovered = state.discovery?.homeserver === form.homeserver.trim() ? state.discovery.result : undefined;
  const offers =
    discovered && discovered.verdict !== 'failed' && discovered.verdict !== 'unreachable'
      ? discovered.offers
      : undefined;
  const modes = modeChoices(offers);

  const changed = result.diff.changed.length > 0;
  const browser = mode === 'oidc';
  const signInRequired = result.signInRequired;
  const valid = result.errors.length === 0;
  const primary: ViewModel['primary'] = adding
    ? {
        label: browser ? l10n.t('Sign in with browser') : l10n.t('Sign in and save'),
        enabled: valid && !locked,
        request: browser ? 'signIn' : 'save',
      }
    : {
        label: signInRequired
          ? browser
            ? l10n.t('Save and sign in with browser')
            : l10n.t('Save and sign in again')
          : l10n.t('Save'),
        enabled: valid && !locked && (changed || signInRequired),
        request: 'save',
      };
  const account = panel?.account;

  return {
    heading: adding
      ? l10n.t('Add Matrix channel')
      : l10n.t({
          message: 'Edit channel: {0}',
          args: [panel?.baseline.label || account?.userId || panel?.baseline.homeserver || ''],
          comment: ["{0} is the channel's label, Matrix ID or homeserver"],
        }),
    ...(account && !adding
      ? { account: { state: account.state, text: accountText(account.state, account.userId, account.reason) } }
      : {}),
    ...(account?.deviceId && !adding
      ? {
          device: {
            id: account.deviceId,
            text: l10n.t({
              message: 'Signed in as device {0}. Leave Device ID empty to keep it.',
              args: [account.deviceId],
              comment: ['{0} is the Matrix device ID, such as ABCDEFGHIJ'],
            }),
          },
        }
      : {}),
    canPickRooms: Boolean(panel?.canPickRooms) && !adding,
    discovery: discoveryLine(state, discovered),
    modes,
    guidance: guidance(mode),
    show: {
      userId: mode === 'password',
      password: mode === 'password',
      accessToken: mode === 'access_token',
      oauth: browser,
    },
    stored: { password: showsStored(state, 'password'), accessToken: showsStored(state, 'accessToken') },
    oauthText:
      !adding && panel?.stored.session && panel.stored.authMode === 'oidc'
        ? l10n.t('Signed in with the browser; the session is kept in secret storage.')
        : l10n.t(
            'Press "Sign in with browser": your homeserver\'s sign-in page opens, and this panel waits for you there.',
          ),
    errors,
    pending: valid ? [] : pending,
    primary,
    ...(!adding && browser && !signInRequired
      ? {
          signInAgain: {
            label: l10n.t('Sign in with browser again'),
            enabled: !locked && check(state, true).errors.length === 0,
          },
        }
      : {}),
    ...(!adding && result.signInReasons.length > 0
      ? {
          signInNotice: l10n.t({
            message: 'Saving signs this channel in again: {0}. Nothing is saved if that fails.',
            args: [result.signInReasons.join(', ')],
            comment: [
              '{0} lists the reasons, separated by commas, such as "the homeserver changed, a new password was entered"',
            ],
          }),
        }
      : {}),
    ...(state.busy ? { progress: progress(state, signInRequired || state.busy.type === 'signIn') } : {}),
    ...(panel?.removed
      ? {
          status: {
            kind: 'error' as const,
            text: l10n.t('This channel was removed; the panel can no longer save it.'),
          },
        }
      : state.status
        ? { status: state.status }
        : {}),
    locked,
  };
}

/** "Connected as @you:example.org (reason)": the state, then who and why when known. */
function accountText(state: AccountState, userId: string | undefined, reason: string | undefined): string {
  const text = stateText(state);
  if (userId && reason)
    return l10n.t({
      message: '{0} as {1} ({2})',
      args: [text, userId, reason],
      comment: [
        'A channel\'s state: {0} is the state, such as "Connected"; {1} is the Matrix ID; {2} is the reason, a sentence',
      ],
    });
  if (userId)
    return l10n.t({
      message: '{0} as {1}',
      args: [text, userId],
      comment: ['A channel\'s state: {0} is the state, such as "Connected"; {1} is the Matrix ID'],
    });
  if (reason)
    return l10n.t({
      message: '{0} ({1})',
      args: [text, reason],
      comment: ['A channel\'s state: {0} is the state, such as "Error"; {1} is the reason, a sentence'],
    });
  return text;
}

function discoveryLine(state: FormState, discovered: DiscoveryResult | undefined): ViewModel['discovery'] {
  const homeserver = state.form.homeserver.trim();
  if (homeserver === '') {
    return {
      state: 'idle',
      text: l10n.t(
        'A URL (https://matrix.example.org), a server name (example.org) or your Matrix ID (@you:example.org).',
      ),
    };
  }
  if (discovered) return { state: discovered.verdict, text: discovered.message };
  if (check(state).errors.some((error) => error.field === 'homeserver')) return { state: 'idle', text: '' };
  return {
    state: 'checking',
    text: l10n.t({
      message: 'Checking {0}…',
      args: [homeserver],
      comment: ['{0} is the homeserver as the person typed it'],
    }),
  };
}

function progress(state: FormState, signingIn: boolean): NonNullable<ViewModel['progress']> {
  if (!signingIn) return { text: l10n.t('Saving…'), cancellable: false };
  const account = state.panel?.account?.state;
  if (account === 'connecting' || account === 'syncing')
    return { text: l10n.t('Signed in; connecting…'), cancellable: true };
  const text =
    state.form.authMode === 'oidc'
      ? l10n.t('Waiting for you to finish signing in in the browser…')
      : l10n.t('Signing in…');
  return { text, cancellable: true };
}
