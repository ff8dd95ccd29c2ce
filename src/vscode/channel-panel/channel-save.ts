/**
 * What Save (or Sign in) in the panel does, decided by the host alone from the submitted form: check it
 * with the shared rules; a new channel is signed in and saved only if that succeeds (no ghost
 * account); an edit that touches what the session is bound to signs in again; any other
 * edit writes just the changed fields over the configuration as stored now; secrets never go to settings.
 */
import type { AccountView, ChannelConfigStore } from '../../core/account/account-service.ts';
import type { ChannelConfig, ChannelSecrets, FieldError } from '../../core/channel/config.ts';
import { applyChanges, type ChannelField } from '../../shared/channel-diff.ts';
import { checkForm } from '../../shared/channel-form.ts';
import type { ChannelForm, PanelMode, SecretInput } from '../../shared/webviewProtocol.ts';

export interface SaveDeps {
  configs: Pick<ChannelConfigStore, 'list' | 'upsert'>;
  /** Runs the extension's sign-in; resolves undefined when cancelled, throws a MatrixChannelError when it fails. */
  signIn(config: ChannelConfig, secrets: ChannelSecrets, signal: AbortSignal): Promise<AccountView | undefined>;
}

export interface SaveRequest {
  mode: PanelMode;
  id: string;
  /** Edit mode: the configuration the panel showed (its changes are relative to this). */
  baseline?: ChannelConfig;
  form: ChannelForm;
  secrets: SecretInput;
  /** The user asked to sign in even if nothing changed. */
  signIn: boolean;
  signal: AbortSignal;
}

export type SaveOutcome =
  | { kind: 'invalid'; errors: FieldError[] }
  /** Edit mode: the channel no longer exists. */
  | { kind: 'gone' }
  | { kind: 'unchanged' }
  | { kind: 'saved'; config: ChannelConfig; changed: ChannelField[] }
  | { kind: 'signed_in'; account: AccountView; changed: ChannelField[] }
  | { kind: 'cancelled' };

export async function saveChannel(request: SaveRequest, deps: SaveDeps): Promise<SaveOutcome> {
  const { mode, id, baseline } = request;
  const check = checkForm(request.form, request.secrets, {
    mode,
    id,
    ...(baseline ? { baseline } : {}),
    signIn: request.signIn,
  });
  if (!check.config) return { kind: 'invalid', errors: check.errors };

  if (mode === 'add') {
    const account = await deps.signIn(check.config, check.secrets, request.signal);
    return account ? { kind: 'signed_in', account, changed: [] } : { kind: 'cancelled' };
  }

  const current = deps.configs.list().find((config) => config.id === id);
  if (!current) return { kind: 'gone' };
  const { changed } = check.diff;
  const next = applyChanges(current, check.config, changed);
  if (check.signInRequired) {
    // Saved by the sign-in itself, and only if it succeeds: a failed attempt changes nothing. The method is
    // the form's even when the stored entry never recorded one (it came from the session then).
    const account = await deps.signIn(
      { ...next, ...(check.config.authMode ? { authMode: check.config.authMode } : {}) },
      check.secrets,
      request.signal,
    );
    return account ? { kind: 'signed_in', account, changed } : { kind: 'cancelled' };
  }
  if (changed.length === 0) return { kind: 'unchanged' };
  await deps.configs.upsert(next);
  return { kind: 'saved', config: next, changed };
}
