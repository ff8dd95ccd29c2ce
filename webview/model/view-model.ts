/**
 * What the panel shows for a state, as plain data (tested in Node): which fields the chosen method needs,
 * the messages next to fields, the discovery hint, what the main button says and whether it may be pressed,
 * the "signs in again" notice, progress and status. The DOM layer only copies this onto elements.
 */
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

const LABELS: Record<string, string> = {
  label: 'Name',
  homeserver: 'Homeserver',
  authMode: 'Sign-in method',
  userId: 'User ID',
  password: 'Password',
  accessToken: 'Access token',
  deviceId: 'Device ID',
  deviceDisplayName: 'Device display name',
  roomAllowlist: 'Room allowlist',
  userAllowlist: 'User allowlist',
};

const GUIDANCE: Record<AuthMode | '', string> = {
  oidc: "You sign in on your homeserver's own page in the browser; the extension never sees your password.",
  password:
    'Your Matrix ID and password. The password is used once to sign in and is never stored; the session is kept in secret storage.',
  access_token:
    'A token copied from another client (in Element: Settings → Help & About → Access token). Treat it like a password.',
  '': 'Choose how to sign in. Enter the homeserver first to see what it offers.',
};

const STATE_TEXT: Record<AccountState, string> = {
  signed_out: 'Signed out',
  authorizing: 'Signing in…',
  connecting: 'Connecting…',
  syncing: 'Syncing…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  needs_sign_in: 'Needs sign-in',
  error: 'Error',
};

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
  const pending = [...problems.keys()].map((field) => LABELS[field] ?? field);

  const discovered = state.discovery?.homeserver === form.homeserver.trim() ? state.discovery.result : undefined;
  const offers =
    discovered && discovered.verdict !== 'failed' && discovered.verdict !== 'unreachable'
      ? discovered.offers
      : undefined;
  const oauth = Boolean(offers?.oauth);
  const modes: ModeChoice[] = [
    {
      mode: 'oidc',
      label: `Sign in with browser (OAuth 2.0${oauth ? ', recommended' : ''})`,
      recommended: oauth,
      unavailable: Boolean(offers && !offers.oauth),
    },
    { mode: 'password', label: 'Password', recommended: false, unavailable: Boolean(offers && !offers.password) },
    { mode: 'access_token', label: 'Access token', recommended: false, unavailable: false },
  ];
  for (const choice of modes) if (choice.unavailable) choice.label += ' — not offered by this homeserver';

  const changed = result.diff.changed.length > 0;
  const browser = mode === 'oidc';
  const signInRequired = result.signInRequired;
  const valid = result.errors.length === 0;
  const primary: ViewModel['primary'] = adding
    ? {
        label: browser ? 'Sign in with browser' : 'Sign in and save',
        enabled: valid && !locked,
        request: browser ? 'signIn' : 'save',
      }
    : {
        label: signInRequired ? (browser ? 'Save and sign in with browser' : 'Save and sign in again') : 'Save',
        enabled: valid && !locked && (changed || signInRequired),
        request: 'save',
      };
  const account = panel?.account;

  return {
    heading: adding
      ? 'Add Matrix channel'
      : `Edit channel: ${panel?.baseline.label || account?.userId || panel?.baseline.homeserver || ''}`,
    ...(account && !adding
      ? { account: { state: account.state, text: accountText(account.state, account.userId, account.reason) } }
      : {}),
    ...(account?.deviceId && !adding
      ? {
          device: {
            id: account.deviceId,
            text: `Signed in as device ${account.deviceId}. Leave Device ID empty to keep it.`,
          },
        }
      : {}),
    canPickRooms: Boolean(panel?.canPickRooms) && !adding,
    discovery: discoveryLine(state, discovered),
    modes,
    guidance: GUIDANCE[mode],
    show: {
      userId: mode === 'password',
      password: mode === 'password',
      accessToken: mode === 'access_token',
      oauth: browser,
    },
    stored: { password: showsStored(state, 'password'), accessToken: showsStored(state, 'accessToken') },
    oauthText:
      !adding && panel?.stored.session && panel.stored.authMode === 'oidc'
        ? 'Signed in with the browser; the session is kept in secret storage.'
        : 'Press "Sign in with browser": your homeserver\'s sign-in page opens, and this panel waits for you there.',
    errors,
    pending: valid ? [] : pending,
    primary,
    ...(!adding && browser && !signInRequired
      ? {
          signInAgain: {
            label: 'Sign in with browser again',
            enabled: !locked && check(state, true).errors.length === 0,
          },
        }
      : {}),
    ...(!adding && result.signInReasons.length > 0
      ? {
          signInNotice: `Saving signs this channel in again: ${result.signInReasons.join(', ')}. Nothing is saved if that fails.`,
        }
      : {}),
    ...(state.busy ? { progress: progress(state, signInRequired || state.busy.type === 'signIn') } : {}),
    ...(panel?.removed
      ? { status: { kind: 'error' as const, text: 'This channel was removed; the panel can no longer save it.' } }
      : state.status
        ? { status: state.status }
        : {}),
    locked,
  };
}

function accountText(state: AccountState, userId: string | undefined, reason: string | undefined): string {
  return [STATE_TEXT[state], userId ? `as ${userId}` : '', reason ? `(${reason})` : ''].filter(Boolean).join(' ');
}

function discoveryLine(state: FormState, discovered: DiscoveryResult | undefined): ViewModel['discovery'] {
  const homeserver = state.form.homeserver.trim();
  if (homeserver === '') {
    return {
      state: 'idle',
      text: 'A URL (https://matrix.example.org), a server name (example.org) or your Matrix ID (@you:example.org).',
    };
  }
  if (discovered) return { state: discovered.verdict, text: discovered.message };
  if (check(state).errors.some((error) => error.field === 'homeserver')) return { state: 'idle', text: '' };
  return { state: 'checking', text: `Checking ${homeserver}…` };
}

function progress(state: FormState, signingIn: boolean): NonNullable<ViewModel['progress']> {
  if (!signingIn) return { text: 'Saving…', cancellable: false };
  const account = state.panel?.account?.state;
  if (account === 'connecting' || account === 'syncing') return { text: 'Signed in; connecting…', cancellable: true };
  const text = state.form.authMode === 'oidc' ? 'Waiting for you to finish signing in in the browser…' : 'Signing in…';
  return { text, cancellable: true };
}
