/**
 * The panel's state in the webview and its transitions, as pure functions (tested in Node). Secrets the
 * user types live only here in memory: `persistable()` is what survives the webview being hidden, and it
 * has no place for them.
 */
import { checkForm, configFromForm, secretsFor, type FormCheck } from '../../src/shared/channel-form.ts';
import type {
  AuthMode,
  ChannelForm,
  DiscoveryResult,
  FieldError,
  PanelInfo,
  SecretInput,
} from '../../src/shared/webviewProtocol.ts';

export type SecretField = 'password' | 'accessToken';

export interface Status {
  kind: 'success' | 'error' | 'info';
  text: string;
}

export interface FormState {
  /** From the host; undefined until its first `panel` notification. */
  panel?: PanelInfo;
  form: ChannelForm;
  /** Typed secrets (memory only). */
  secrets: SecretInput;
  /** Edit mode: the user chose to replace the stored session's secret. */
  replacing: Record<SecretField, boolean>;
  /** The user picked the method; discovery no longer picks it for them. */
  modeChosen: boolean;
  /** Fields whose problems are shown (the user has been there, or the host reported them). */
  touched: string[];
  discovery?: { homeserver: string; result?: DiscoveryResult };
  busy?: { requestId: number; type: 'save' | 'signIn' };
  status?: Status;
  /** The host's own findings from the last save, until the field is edited. */
  hostErrors: FieldError[];
}

/** What `vscode.setState` keeps: never a secret. */
export interface PersistedState {
  version: 1;
  /** Whose form this is: 'add' or the channel's id. */
  key: string;
  form: ChannelForm;
  replacing: Record<SecretField, boolean>;
  modeChosen: boolean;
  touched: string[];
  discovery?: { homeserver: string; result?: DiscoveryResult };
  status?: Status;
}

export function initialState(form: ChannelForm): FormState {
  return {
    form,
    secrets: {},
    replacing: { password: false, accessToken: false },
    modeChosen: false,
    touched: [],
    hostErrors: [],
  };
}

export function panelKey(panel: PanelInfo): string {
  return panel.mode === 'edit' && panel.accountId ? panel.accountId : 'add';
}

export function persistable(state: FormState): PersistedState | undefined {
  if (!state.panel) return undefined;
  const { form, replacing, modeChosen, touched, discovery, status } = state;
  return {
    version: 1,
    key: panelKey(state.panel),
    form,
    replacing,
    modeChosen,
    touched,
    ...(discovery ? { discovery } : {}),
    ...(status ? { status } : {}),
  };
}

/** The form when it differs from the channel as saved (or, while adding, from the defaults); never secrets. */
export function unsavedForm(state: FormState): ChannelForm | undefined {
  if (!state.panel || state.panel.removed) return undefined;
  const { form } = state;
  const { baseline } = state.panel;
  const same = (Object.keys(form) as Array<keyof ChannelForm>).every(
    (key) => JSON.stringify(form[key]) === JSON.stringify(baseline[key]),
  );
  return same ? undefined : form;
}

/** A panel reopened on edits it was closed on starts from them, as if restored. */
export function reopened(panel: PanelInfo): PersistedState | undefined {
  if (!panel.draft) return undefined;
  return {
    version: 1,
    key: panelKey(panel),
    form: panel.draft,
    replacing: { password: false, accessToken: false },
    modeChosen: true,
    touched: [],
  };
}

/** A state kept by `vscode.setState` earlier, if it is one this version wrote. */
export function restore(raw: unknown): PersistedState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const state = raw as Partial<PersistedState>;
  const form = state.form as Partial<ChannelForm> | undefined;
  if (
    state.version !== 1 ||
    typeof state.key !== 'string' ||
    typeof form !== 'object' ||
    form === null ||
    typeof form.homeserver !== 'string'
  )
    return undefined;
  return state as PersistedState;
}

/**
 * The host's view of the panel arrived. The user's unsaved edits survive it, unless it is about another
 * channel (a new channel just became a saved one): then the form starts again from the saved baseline.
 */
export function applyPanel(state: FormState, panel: PanelInfo, restored?: PersistedState): FormState {
  const key = panelKey(panel);
  const first = !state.panel;
  const busy = panel.busy ?? (state.busy && !first ? state.busy : undefined);
  if (first && restored?.key === key) {
    const { form, replacing, modeChosen, touched, discovery, status } = restored;
    return {
      ...state,
      panel,
      form,
      replacing,
      modeChosen,
      touched,
      ...(discovery ? { discovery } : {}),
      ...(status ? { status } : {}),
      ...(busy ? { busy } : {}),
    };
  }
  if (first || panelKey(state.panel!) !== key) {
    const fresh = initialState(panel.baseline);
    return {
      ...fresh,
      panel,
      modeChosen: panel.mode === 'edit',
      ...(state.discovery ? { discovery: state.discovery } : {}),
      ...(state.status ? { status: state.status } : {}),
      ...(busy ? { busy } : {}),
    };
  }
  return { ...state, panel, ...(busy ? { busy } : {}) };
}

/** The user changed a field. */
export function edit(state: FormState, patch: Partial<ChannelForm>, field: string): FormState {
  const form = { ...state.form, ...patch };
  // Someone who types a Matrix ID as the homeserver has also said who signs in: the user ID follows it
  // for as long as the user has not typed a user ID of their own.
  if (
    patch.homeserver !== undefined &&
    (state.form.userId === '' || state.form.userId === mxidIn(state.form.homeserver))
  ) {
    form.userId = mxidIn(patch.homeserver) ?? '';
  }
  return {
    ...state,
    form,
    modeChosen: state.modeChosen || patch.authMode !== undefined,
    touched: state.touched.includes(field) ? state.touched : [...state.touched, field],
    hostErrors: state.hostErrors.filter((error) => fieldOf(error.field) !== field),
    status: undefined,
  };
}

export function editSecret(state: FormState, field: SecretField, value: string): FormState {
  return {
    ...state,
    secrets: { ...state.secrets, [field]: value },
    touched: state.touched.includes(field) ? state.touched : [...state.touched, field],
    hostErrors: state.hostErrors.filter((error) => error.field !== field),
    status: undefined,
  };
}

/** Replace (true) or keep (false) the stored secret; keeping forgets what was typed. */
export function setReplacing(state: FormState, field: SecretField, replacing: boolean): FormState {
  const secrets = { ...state.secrets };
  if (!replacing) delete secrets[field];
  return { ...state, replacing: { ...state.replacing, [field]: replacing }, secrets, status: undefined };
}

/** Discovery answered for `homeserver`; a new channel follows the recommendation until the user picks. */
export function applyDiscovery(state: FormState, homeserver: string, result: DiscoveryResult | undefined): FormState {
  const next: FormState = { ...state, discovery: { homeserver, ...(result ? { result } : {}) } };
  if (!result || state.modeChosen || state.panel?.mode !== 'add') return next;
  const recommended = recommendedMode(result);
  return recommended ? { ...next, form: { ...next.form, authMode: recommended } } : next;
}

/** OAuth when offered, else password, else a token. */
export function recommendedMode(result: DiscoveryResult): AuthMode | undefined {
  if (result.offers.oauth) return 'oidc';
  if (result.offers.password) return 'password';
  return result.verdict === 'token_only' ? 'access_token' : undefined;
}

export function startBusy(state: FormState, requestId: number, type: 'save' | 'signIn'): FormState {
  return { ...state, busy: { requestId, type }, status: undefined, hostErrors: [] };
}

/** A save or sign-in finished: on success the form starts again from the saved channel. */
export function finishBusy(
  state: FormState,
  outcome:
    | { ok: true; panel: PanelInfo; message: string }
    | { ok: false; message: string; fields?: FieldError[]; cancelled?: boolean },
): FormState {
  const idle: FormState = { ...state };
  delete idle.busy;
  if (!outcome.ok) {
    const hostErrors = outcome.fields ?? [];
    const touched = [...new Set([...state.touched, ...hostErrors.map((error) => fieldOf(error.field))])];
    return {
      ...idle,
      hostErrors,
      touched,
      status: { kind: outcome.cancelled ? 'info' : 'error', text: outcome.message },
    };
  }
  const fresh = initialState(outcome.panel.baseline);
  return {
    ...fresh,
    panel: outcome.panel,
    modeChosen: true,
    ...(state.discovery ? { discovery: state.discovery } : {}),
    status: { kind: 'success', text: outcome.message },
  };
}

/** The shared rules applied to the current form (the same the host applies on save). */
export function check(state: FormState, signIn = false): FormCheck {
  const panel = state.panel;
  const id = panel?.accountId ?? 'new-channel';
  const baseline = panel?.mode === 'edit' ? configFromForm(panel.baseline, id).config : undefined;
  return checkForm(state.form, secretsToSend(state), {
    mode: panel?.mode ?? 'add',
    id,
    ...(baseline ? { baseline } : {}),
    signIn,
  });
}

/**
 * Whether the secret field shows "stored" (with Replace) instead of an input: only while the stored session
 * still fits the form. Once the homeserver, method, user or device changed, a new secret is needed.
 */
export function showsStored(state: FormState, field: SecretField): boolean {
  const panel = state.panel;
  const mode: AuthMode = field === 'password' ? 'password' : 'access_token';
  if (!(
    panel?.mode === 'edit' &&
    panel.stored.session &&
    panel.stored.authMode === mode &&
    state.form.authMode === mode &&
    !state.replacing[field]
  ))
    return false;
  return identityUnchanged(state);
}

function identityUnchanged(state: FormState): boolean {
  const id = state.panel?.accountId ?? 'new-channel';
  const baseline = state.panel ? configFromForm(state.panel.baseline, id).config : undefined;
  // No secrets here: this decides which secrets count, so it must not depend on them.
  return !baseline || checkForm(state.form, {}, { mode: 'edit', id, baseline }).diff.signInReasons.length === 0;
}

/** The secrets that go with a save: only the chosen method's, and only when typed into a visible field. */
export function secretsToSend(state: FormState): SecretInput {
  const field: SecretField | undefined =
    state.form.authMode === 'password'
      ? 'password'
      : state.form.authMode === 'access_token'
        ? 'accessToken'
        : undefined;
  if (!field || showsStored(state, field)) return {};
  return secretsFor(state.form.authMode, state.secrets);
}

function mxidIn(homeserver: string): string | undefined {
  const trimmed = homeserver.trim();
  return /^@[^:\s]+:\S+$/.test(trimmed) ? trimmed : undefined;
}

/** `roomAllowlist[3]` → `roomAllowlist`: problems of list entries show under the list. */
export function fieldOf(field: string): string {
  const bracket = field.indexOf('[');
  return bracket === -1 ? field : field.slice(0, bracket);
}
