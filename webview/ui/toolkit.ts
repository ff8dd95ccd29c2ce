/**
 * The only module that knows the component library (@vscode/webview-ui-toolkit, the design card's choice).
 * Microsoft sunset the toolkit in 2025: moving to @vscode-elements/elements means rewriting this file and
 * nothing else, so the rest of the webview sees plain controls (element, value, disabled, change events),
 * never a toolkit tag, property or event name.
 */
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeCheckbox,
  vsCodeDivider,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeProgressRing,
  vsCodeRadio,
  vsCodeRadioGroup,
  vsCodeTextArea,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

/**
 * Defines the custom elements. Call it before the page's `load` event: the toolkit starts following the
 * editor's theme (body classes, --vscode-* variables) on that event.
 */
export function registerToolkit(): void {
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeCheckbox(),
    vsCodeDivider(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodeProgressRing(),
    vsCodeRadio(),
    vsCodeRadioGroup(),
    vsCodeTextArea(),
    vsCodeTextField(),
  );
}

/** A form control whatever the library: its element (for layout), its value, and its changes. */
export interface Control<T> {
  readonly element: HTMLElement;
  value: T;
  disabled: boolean;
  /** Marks the control invalid for assistive technology (the message itself is shown next to it). */
  invalid: boolean;
  focus(): void;
  onChange(listener: (value: T) => void): void;
}

export interface Button {
  readonly element: HTMLElement;
  label: string;
  disabled: boolean;
  onClick(listener: () => void): void;
}

/** The value-carrying surface the toolkit's elements share. */
type ValueElement = HTMLElement & { value: string; disabled: boolean };

function element<T extends HTMLElement>(tag: string, id: string): T {
  const created = document.createElement(tag) as T;
  created.id = id;
  created.dataset['testid'] = id;
  return created;
}

function control<T>(host: ValueElement, read: () => T, write: (value: T) => void, events: string[]): Control<T> {
  // Some elements fire `change` when their value is set from code too; only the user's changes are reported.
  let writing = false;
  return {
    element: host,
    get value() {
      return read();
    },
    set value(value: T) {
      if (value === read()) return;
      writing = true;
      try {
        write(value);
      } finally {
        writing = false;
      }
    },
    get disabled() {
      return host.disabled;
    },
    set disabled(value: boolean) {
      host.disabled = value;
    },
    get invalid() {
      return host.getAttribute('aria-invalid') === 'true';
    },
    set invalid(value: boolean) {
      host.setAttribute('aria-invalid', String(value));
    },
    focus: () => host.focus(),
    onChange: (listener) => {
      for (const event of events)
        host.addEventListener(event, () => {
          if (!writing) listener(read());
        });
    },
  };
}

export interface TextFieldOptions {
  id: string;
  label: string;
  type?: 'text' | 'password' | 'url';
  placeholder?: string;
  maxLength?: number;
}

export function textField(options: TextFieldOptions): Control<string> {
  const host = element<ValueElement>('vscode-text-field', options.id);
  host.textContent = options.label;
  if (options.type) host.setAttribute('type', options.type);
  if (options.placeholder) host.setAttribute('placeholder', options.placeholder);
  if (options.maxLength) host.setAttribute('maxlength', String(options.maxLength));
  const write = (value: string) => {
    host.value = value;
    // The toolkit passes the value on to its `current-value` attribute and to the <input> in its shadow root
    // on its next animation frame, which a busy or hidden page can put off for long: clearing a secret field
    // must take the secret out of the DOM now, not later.
    if (host.hasAttribute('current-value')) host.setAttribute('current-value', value);
    const inner = host.shadowRoot?.querySelector('input');
    if (inner && inner.value !== value) inner.value = value;
  };
  return control(host, () => host.value, write, ['input']);
}

/**
 * A multi-line text box (the room view's composer); `keydown` on its element sees the keys typed in it. Its
 * label is its text, which the toolkit makes the box's accessible name (without one it names every box "Text
 * area"); the page may hide it from sight (`::part(label)`).
 */
export function textArea(options: {
  id: string;
  label: string;
  placeholder?: string;
  maxLength?: number;
}): Control<string> {
  const host = element<ValueElement>('vscode-text-area', options.id);
  host.textContent = options.label;
  host.setAttribute('resize', 'vertical');
  host.setAttribute('rows', '3');
  if (options.placeholder) host.setAttribute('placeholder', options.placeholder);
  if (options.maxLength) host.setAttribute('maxlength', String(options.maxLength));
  const write = (value: string) => {
    host.value = value;
    const inner = host.shadowRoot?.querySelector('textarea');
    if (inner && inner.value !== value) inner.value = value;
  };
  return control(host, () => host.value, write, ['input']);
}

export interface Choice<T extends string> {
  value: T;
  label: string;
}

/** A dropdown and its visible label, laid out together in `wrapper`. */
export type Dropdown<T> = Control<T> & { readonly wrapper: HTMLElement };

export function dropdown<T extends string>(options: {
  id: string;
  label: string;
  choices: ReadonlyArray<Choice<T>>;
}): Dropdown<T> {
  const wrapper = document.createElement('div');
  wrapper.className = 'dropdown-field';
  const label = document.createElement('label');
  label.id = `${options.id}-label`;
  label.textContent = options.label;
  const host = element<ValueElement>('vscode-dropdown', options.id);
  host.setAttribute('aria-labelledby', label.id);
  for (const choice of options.choices) {
    const option = document.createElement('vscode-option') as ValueElement;
    option.setAttribute('value', choice.value);
    option.textContent = choice.label;
    host.append(option);
  }
  label.addEventListener('click', () => host.focus());
  wrapper.append(label, host);
  // Object.assign, not spread: spreading would copy the accessors' current values and lose the setters.
  return Object.assign(
    control(
      host,
      () => host.value as T,
      (value) => {
        host.value = value;
      },
      ['change'],
    ),
    { wrapper },
  );
}

/** A vertical group of radio buttons; '' while none is chosen. */
export function radioGroup<T extends string>(options: {
  id: string;
  label: string;
  choices: ReadonlyArray<Choice<T>>;
}): Control<T | ''> & { choice(value: T): HTMLElement } {
  const host = element<ValueElement>('vscode-radio-group', options.id);
  host.setAttribute('orientation', 'vertical');
  const label = document.createElement('label');
  label.slot = 'label';
  label.textContent = options.label;
  host.append(label);
  const radios = new Map<T, HTMLElement>();
  for (const choice of options.choices) {
    const radio = element<ValueElement>('vscode-radio', `${options.id}-${choice.value}`);
    radio.setAttribute('value', choice.value);
    radio.textContent = choice.label;
    radios.set(choice.value, radio);
    host.append(radio);
  }
  const read = () => (host.value ?? '') as T | '';
  const write = (value: T | '') => {
    host.value = value;
    for (const [key, radio] of radios) (radio as HTMLElement & { checked: boolean }).checked = key === value;
  };
  return Object.assign(control(host, read, write, ['change']), { choice: (value: T) => radios.get(value)! });
}

export function checkbox(options: { id: string; label: string }): Control<boolean> {
  const host = element<ValueElement & { checked: boolean }>('vscode-checkbox', options.id);
  host.textContent = options.label;
  return control(
    host,
    () => host.checked,
    (value) => {
      host.checked = value;
    },
    ['change'],
  );
}

export function button(options: {
  id: string;
  label: string;
  appearance?: 'primary' | 'secondary';
  ariaLabel?: string;
}): Button {
  const host = element<ValueElement>('vscode-button', options.id);
  host.setAttribute('appearance', options.appearance ?? 'primary');
  host.textContent = options.label;
  if (options.ariaLabel) host.setAttribute('aria-label', options.ariaLabel);
  return {
    element: host,
    get label() {
      return host.textContent ?? '';
    },
    set label(value: string) {
      if (host.textContent !== value) host.textContent = value;
    },
    get disabled() {
      return host.disabled;
    },
    set disabled(value: boolean) {
      host.disabled = value;
    },
    onClick: (listener) =>
      host.addEventListener('click', () => {
        if (!host.disabled) listener();
      }),
  };
}

export function progressRing(id: string): HTMLElement {
  const ring = element<HTMLElement>('vscode-progress-ring', id);
  ring.setAttribute('aria-hidden', 'true');
  return ring;
}

export function divider(): HTMLElement {
  const line = document.createElement('vscode-divider');
  line.setAttribute('role', 'separator');
  return line;
}
