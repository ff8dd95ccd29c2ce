/**
 * The panel's DOM: built once, then `render` copies a ViewModel onto it (values only where they differ, so
 * typing is never disturbed). Control ids are the configuration's field names (`homeserver`, `userId`, …),
 * their messages `<field>-error`; everything else has a kebab-case id, the same in every language. All are
 * `data-testid`s too. Its words go through l10n.t when the view is built or rendered, never at import.
 */
import { l10n } from '../../src/core/l10n.ts';
import type { AuthMode, ChannelForm } from '../../src/shared/webviewProtocol.ts';
import type { FormState, SecretField } from '../model/form-state.ts';
import type { ViewModel } from '../model/view-model.ts';
import { button, divider, progressRing, radioGroup, textField, type Control } from '../ui/toolkit.ts';
import { reachControls, type ChoiceKey, type ReachControls } from './reach-controls.ts';
import { el, errorLine, hint, setShown, setText } from './dom.ts';

export interface FormViewEvents {
  edit(patch: Partial<ChannelForm>, field: keyof ChannelForm): void;
  secret(field: SecretField, value: string): void;
  replace(field: SecretField, replacing: boolean): void;
  primary(): void;
  signInAgain(): void;
  cancel(): void;
  /** Add joined rooms to the room allowlist, picked in the editor. */
  pickRooms(): void;
}

type TextKey = 'homeserver' | 'userId' | 'label' | 'deviceDisplayName' | 'deviceId';

/** What the Device ID field shows until the channel's own device is known: an example, not words. */
const EXAMPLE_DEVICE_ID = 'VSCODE1234';

export class FormView {
  readonly root: HTMLElement;
  private readonly heading = el('h1', { id: 'heading' });
  private readonly accountStatus = el('div', {
    id: 'account-status',
    className: 'account-status',
    attrs: { role: 'status' },
  });
  private readonly discoveryHint = el('div', {
    id: 'discovery-hint',
    className: 'hint discovery',
    attrs: { role: 'status' },
  });
  private readonly texts: Record<TextKey, Control<string>>;
  private readonly secrets: Record<
    SecretField,
    {
      input: Control<string>;
      stored: HTMLElement;
      keep: HTMLElement & { disabled: boolean };
      replace: HTMLElement & { disabled: boolean };
    }
  >;
  private readonly authMode = radioGroup<AuthMode>({
    id: 'authMode',
    label: l10n.t('Sign-in method'),
    choices: [
      { value: 'oidc', label: l10n.t('Sign in with browser (OAuth 2.0)') },
      { value: 'password', label: l10n.t('Password') },
      { value: 'access_token', label: l10n.t('Access token') },
    ],
  });
  private readonly guidance = el('div', { id: 'mode-guidance', className: 'hint' });
  private readonly passwordSection: HTMLElement;
  private readonly tokenSection: HTMLElement;
  private readonly oauthSection: HTMLElement;
  private readonly oauthText = el('div', { id: 'oauth-text', className: 'hint' });
  private readonly choices: ReachControls['choices'];
  private readonly notifications: ReachControls['notifications'];
  private readonly allowlists: ReachControls['allowlists'];
  private readonly errors = new Map<string, HTMLElement>();
  private readonly deviceNow = el('div', { id: 'device-now', className: 'hint' });
  private readonly signInNotice = el('div', { id: 'sign-in-notice', className: 'notice', attrs: { role: 'note' } });
  private readonly pending = el('div', { id: 'pending', className: 'hint' });
  private readonly primary = button({ id: 'save', label: l10n.t('Save') });
  private readonly signInAgain = button({
    id: 'sign-in-again',
    label: l10n.t('Sign in with browser again'),
    appearance: 'secondary',
  });
  private readonly progressText = el('span', { id: 'progress-text' });
  private readonly cancel = button({ id: 'cancel', label: l10n.t('Cancel'), appearance: 'secondary' });
  private readonly progress = el(
    'div',
    { id: 'progress', className: 'progress', attrs: { role: 'status' } },
    progressRing('progress-ring'),
    this.progressText,
    this.cancel.element,
  );
  private readonly status = el('div', {
    id: 'status',
    className: 'status',
    attrs: { role: 'status', 'aria-live': 'polite' },
  });

  constructor(private readonly events: FormViewEvents) {
    this.texts = {
      homeserver: textField({
        id: 'homeserver',
        label: l10n.t('Homeserver'),
        placeholder: l10n.t('matrix.org, https://matrix.example.org or @you:example.org'),
        maxLength: 2048,
      }),
      userId: textField({
        id: 'userId',
        label: l10n.t('User ID'),
        placeholder: l10n.t('@you:example.org'),
        maxLength: 255,
      }),
      label: textField({ id: 'label', label: l10n.t('Name (optional)'), placeholder: l10n.t('Work'), maxLength: 100 }),
      deviceDisplayName: textField({
        id: 'deviceDisplayName',
        label: l10n.t('Device display name (optional)'),
        placeholder: l10n.t('VS Code on my laptop'),
        maxLength: 100,
      }),
      deviceId: textField({
        id: 'deviceId',
        label: l10n.t('Device ID (optional)'),
        placeholder: EXAMPLE_DEVICE_ID,
        maxLength: 255,
      }),
    };
    for (const [key, control] of Object.entries(this.texts) as Array<[TextKey, Control<string>]>) {
      control.onChange((value) => events.edit({ [key]: value }, key));
    }
    this.secrets = {
      password: this.secret('password', {
        label: l10n.t('Password'),
        replaceAriaLabel: l10n.t('Replace the stored password'),
        storedText: l10n.t('Password: stored. The session is kept in secret storage and never shown here.'),
      }),
      accessToken: this.secret('accessToken', {
        label: l10n.t('Access token'),
        replaceAriaLabel: l10n.t('Replace the stored access token'),
        storedText: l10n.t('Access token: stored. The session is kept in secret storage and never shown here.'),
      }),
    };
    this.authMode.onChange((value) => events.edit({ authMode: value }, 'authMode'));
    ({ choices: this.choices, notifications: this.notifications, allowlists: this.allowlists } = reachControls(events));
    this.primary.onClick(() => events.primary());
    this.signInAgain.onClick(() => events.signInAgain());
    this.cancel.onClick(() => events.cancel());

    this.passwordSection = el(
      'div',
      { id: 'password-section', className: 'mode-fields' },
      this.field('userId'),
      this.secrets.password.stored,
      this.field('password', this.secrets.password.input.element),
    );
    this.tokenSection = el(
      'div',
      { id: 'accessToken-section', className: 'mode-fields' },
      this.secrets.accessToken.stored,
      this.field('accessToken', this.secrets.accessToken.input.element),
    );
    this.oauthSection = el('div', { id: 'oauth-section', className: 'mode-fields' }, this.oauthText);

    this.root = el(
      'main',
      { id: 'channel-form' },
      el('header', {}, this.heading, this.accountStatus),
      section('server', l10n.t('Server'), this.field('homeserver'), this.discoveryHint),
      section(
        'sign-in',
        l10n.t('Sign-in'),
        this.authMode.element,
        this.error('authMode'),
        this.guidance,
        this.passwordSection,
        this.tokenSection,
        this.oauthSection,
      ),
      section(
        'name-and-device',
        l10n.t('Name and device'),
        this.field('label'),
        this.field(
          'deviceDisplayName',
          undefined,
          l10n.t('Shown in your list of sessions on the homeserver; applies when signing in.'),
        ),
      ),
      section(
        'what-reaches-you',
        l10n.t('What reaches you'),
        el(
          'div',
          { className: 'grid' },
          this.choices.dmPolicy.wrapper,
          this.choices.roomPolicy.wrapper,
          this.choices.mentionMode.wrapper,
          this.choices.autoJoin.wrapper,
        ),
        this.notifications.element,
        this.allowlists.roomAllowlist.element,
        this.allowlists.userAllowlist.element,
      ),
      el(
        'details',
        { id: 'advanced' },
        el('summary', { text: l10n.t('Advanced') }),
        this.field(
          'deviceId',
          undefined,
          l10n.t(
            "The device to sign in as. OAuth needs at least 10 letters, digits or . _ ~ ! $ & ' ( ) * + , ; = : @ / -; leave empty to get a new one.",
          ),
        ),
        this.deviceNow,
      ),
      divider(),
      el(
        'footer',
        {},
        this.signInNotice,
        el('div', { className: 'actions' }, this.primary.element, this.signInAgain.element),
        this.pending,
        this.progress,
        this.status,
      ),
    );
  }

  render(vm: ViewModel, state: FormState): void {
    setText(this.heading, vm.heading);
    setShown(this.accountStatus, Boolean(vm.account));
    setText(this.accountStatus, vm.account?.text ?? '');
    this.accountStatus.dataset['state'] = vm.account?.state ?? '';
    setText(this.discoveryHint, vm.discovery.text);
    setShown(this.deviceNow, Boolean(vm.device));
    setText(this.deviceNow, vm.device?.text ?? '');
    this.texts.deviceId.element.setAttribute('placeholder', vm.device?.id ?? EXAMPLE_DEVICE_ID);
    this.discoveryHint.dataset['verdict'] = vm.discovery.state;

    const { form } = state;
    for (const [key, control] of Object.entries(this.texts) as Array<[TextKey, Control<string>]>) {
      control.value = form[key];
      control.disabled = vm.locked;
    }
    this.authMode.value = form.authMode;
    this.authMode.disabled = vm.locked;
    for (const choice of vm.modes) {
      const option = this.authMode.choice(choice.mode);
      setText(option, choice.label);
      // A method the server does not offer cannot be picked (the saved one stays, to be changed).
      (option as HTMLElement & { disabled?: boolean }).disabled = choice.unavailable && form.authMode !== choice.mode;
    }
    setText(this.guidance, vm.guidance);
    setShown(this.passwordSection, vm.show.password);
    setShown(this.tokenSection, vm.show.accessToken);
    setShown(this.oauthSection, vm.show.oauth);
    setText(this.oauthText, vm.oauthText);
    for (const field of ['password', 'accessToken'] as const) {
      const secret = this.secrets[field];
      setShown(secret.stored, vm.stored[field]);
      setShown(secret.input.element.parentElement!, !vm.stored[field]);
      setShown(secret.keep, state.replacing[field] && Boolean(state.panel?.stored.session));
      secret.input.value = state.secrets[field] ?? '';
      secret.input.disabled = vm.locked;
      secret.keep.disabled = vm.locked;
      secret.replace.disabled = vm.locked;
    }
    for (const [key, control] of Object.entries(this.choices) as Array<[ChoiceKey, Control<string>]>) {
      control.value = form[key];
      control.disabled = vm.locked;
    }
    this.notifications.value = form.notifications;
    this.notifications.disabled = vm.locked;
    this.allowlists.roomAllowlist.render(form.roomAllowlist, vm.locked, vm.errors['roomAllowlist'], vm.canPickRooms);
    this.allowlists.userAllowlist.render(form.userAllowlist, vm.locked, vm.errors['userAllowlist']);
    for (const [field, line] of this.errors) setText(line, vm.errors[field] ?? '');
    for (const [field, control] of Object.entries({
      ...this.texts,
      authMode: this.authMode,
      password: this.secrets.password.input,
      accessToken: this.secrets.accessToken.input,
    })) {
      control.invalid = Boolean(vm.errors[field]);
    }

    setShown(this.signInNotice, Boolean(vm.signInNotice));
    setText(this.signInNotice, vm.signInNotice ?? '');
    this.primary.label = vm.primary.label;
    this.primary.disabled = !vm.primary.enabled;
    setShown(this.signInAgain.element, Boolean(vm.signInAgain));
    this.signInAgain.disabled = !vm.signInAgain?.enabled;
    setText(
      this.pending,
      vm.pending.length && !vm.locked
        ? l10n.t({
            message: 'To continue, check: {0}.',
            args: [vm.pending.join(', ')],
            comment: ['{0} lists the names of fields, separated by commas, such as "Homeserver, Password"'],
          })
        : '',
    );
    setShown(this.progress, Boolean(vm.progress));
    setText(this.progressText, vm.progress?.text ?? '');
    setShown(this.cancel.element, Boolean(vm.progress?.cancellable));
    setShown(this.status, Boolean(vm.status));
    setText(this.status, vm.status?.text ?? '');
    this.status.dataset['kind'] = vm.status?.kind ?? '';
  }

  /** Moves the keyboard to the first field with a problem (after the host refused a save). */
  focusFirstError(vm: ViewModel): void {
    const first = [...this.errors.keys()].find((field) => vm.errors[field]);
    if (first) this.root.querySelector<HTMLElement>(`#${first}`)?.focus();
  }

  /** A secret's input, and the line saying it is stored (with Replace) shown instead while the session fits. */
  private secret(field: SecretField, texts: { label: string; replaceAriaLabel: string; storedText: string }) {
    const input = textField({ id: field, label: texts.label, type: 'password', maxLength: 4096 });
    input.onChange((value) => this.events.secret(field, value));
    const replace = button({
      id: `${field}-replace`,
      label: l10n.t('Replace'),
      appearance: 'secondary',
      ariaLabel: texts.replaceAriaLabel,
    });
    const keep = button({ id: `${field}-keep`, label: l10n.t('Keep stored session'), appearance: 'secondary' });
    replace.onClick(() => this.events.replace(field, true));
    keep.onClick(() => this.events.replace(field, false));
    const stored = el(
      'div',
      { id: `${field}-stored`, className: 'stored inline' },
      el('span', { text: texts.storedText }),
      replace.element,
    );
    return {
      input,
      stored,
      keep: keep.element as HTMLElement & { disabled: boolean },
      replace: replace.element as HTMLElement & { disabled: boolean },
    };
  }

  /** A control with its message line (and an optional hint). */
  private field(key: string, control?: HTMLElement, help?: string): HTMLElement {
    const element = control ?? this.texts[key as TextKey].element;
    const wrapper = el('div', { className: 'field' }, element, this.error(key), help ? hint(help) : undefined);
    if (key === 'password' || key === 'accessToken') wrapper.append(this.secrets[key].keep);
    return wrapper;
  }

  private error(field: string): HTMLElement {
    const line = errorLine(field);
    this.errors.set(field, line);
    return line;
  }
}

/** A titled section; `key` makes its heading's id (`section-<key>`), the same in every language. */
function section(key: string, title: string, ...children: HTMLElement[]): HTMLElement {
  const id = `section-${key}`;
  return el('section', { attrs: { 'aria-labelledby': id } }, el('h2', { id, text: title }), ...children);
}
