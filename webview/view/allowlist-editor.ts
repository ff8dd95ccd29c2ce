/**
 * An editable allowlist: type an entry, Enter (or Add) puts it on the list if the model's rules accept it,
 * each entry has a Remove button. Keyboard only works throughout: focus stays on the input after adding and
 * moves to a neighbour after removing.
 */
import { l10n } from '../../src/core/l10n.ts';
import { allowlistEntryProblem, type AllowlistField } from '../../src/shared/channel-form.ts';
import { button, textField, type Button, type Control } from '../ui/toolkit.ts';
import { el, errorLine, hint, setText } from './dom.ts';

export interface AllowlistOptions {
  field: AllowlistField;
  label: string;
  /** What the Add button says to a screen reader ("Add to room allowlist"). */
  addAriaLabel: string;
  /** What one entry looks like. */
  placeholder: string;
  help: string;
  onChange(entries: string[]): void;
  /** A button beside Add that fills the list from a picker ("Add joined rooms…"), when there is one. */
  pick?: { label: string; onPick(): void };
}

export class AllowlistEditor {
  readonly element: HTMLElement;
  private readonly input: Control<string>;
  private readonly add: Button;
  private readonly pick: Button | undefined;
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLElement;
  private readonly entryError: HTMLElement;
  private readonly listError: HTMLElement;
  private entries: string[] = [];
  private locked = false;

  constructor(private readonly options: AllowlistOptions) {
    const { field } = options;
    this.input = textField({
      id: `${field}-input`,
      label: options.label,
      placeholder: options.placeholder,
      maxLength: 255,
    });
    this.add = button({
      id: `${field}-add`,
      label: l10n.t('Add'),
      appearance: 'secondary',
      ariaLabel: options.addAriaLabel,
    });
    this.pick = options.pick && button({ id: `${field}-pick`, label: options.pick.label, appearance: 'secondary' });
    this.list = el('ul', { id: field, className: 'allowlist', attrs: { 'aria-label': options.label } });
    this.empty = el('div', { id: `${field}-empty`, className: 'hint', text: l10n.t('Empty.') });
    this.entryError = el('div', { id: `${field}-entry-error`, className: 'error', attrs: { 'aria-live': 'polite' } });
    this.listError = errorLine(field);
    this.element = el(
      'div',
      { className: 'allowlist-editor' },
      el('div', { className: 'inline' }, this.input.element, this.add.element, this.pick?.element),
      this.entryError,
      hint(options.help),
      this.list,
      this.empty,
      this.listError,
    );
    this.add.onClick(() => this.addEntry());
    this.pick?.onClick(() => {
      if (!this.locked) options.pick?.onPick();
    });
    this.input.element.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        this.addEntry();
      }
    });
    this.input.onChange(() => setText(this.entryError, ''));
  }

  /** `canPick`: whether the picker has something to offer now (its button shows only then). */
  render(entries: readonly string[], locked: boolean, error: string | undefined, canPick = false): void {
    this.locked = locked;
    this.input.disabled = locked;
    this.add.disabled = locked;
    if (this.pick) {
      this.pick.element.hidden = !canPick;
      this.pick.disabled = locked;
    }
    setText(this.listError, error ?? '');
    if (entries.length === this.entries.length && entries.every((entry, index) => entry === this.entries[index])) {
      for (const remove of this.list.querySelectorAll<HTMLElement & { disabled: boolean }>('[data-testid$="-remove"]'))
        remove.disabled = locked;
      return;
    }
    this.entries = [...entries];
    this.list.replaceChildren(...this.entries.map((entry, index) => this.item(entry, index)));
    this.empty.hidden = this.entries.length > 0;
  }

  private item(entry: string, index: number): HTMLElement {
    const remove = button({
      id: `${this.options.field}-remove-${index}`,
      label: l10n.t('Remove'),
      appearance: 'secondary',
      ariaLabel: l10n.t({
        message: 'Remove {0}',
        args: [entry],
        comment: ['A button, for a screen reader: {0} is an entry of the list, such as @alice:example.org'],
      }),
    });
    remove.element.dataset['testid'] = `${this.options.field}-remove`;
    remove.disabled = this.locked;
    remove.onClick(() => this.removeEntry(index));
    const item = el('li', {}, el('span', { className: 'entry', text: entry }), remove.element);
    item.dataset['testid'] = `${this.options.field}-entry`;
    return item;
  }

  private addEntry(): void {
    if (this.locked) return;
    const value = this.input.value.trim();
    const problem = allowlistEntryProblem(this.options.field, value, this.entries);
    this.input.invalid = Boolean(problem);
    if (problem) {
      setText(this.entryError, problem);
      return;
    }
    setText(this.entryError, '');
    this.input.value = '';
    this.options.onChange([...this.entries, value]);
    this.input.focus();
  }

  private removeEntry(index: number): void {
    if (this.locked) return;
    const next = this.entries.filter((_, i) => i !== index);
    this.options.onChange(next);
    // Keep the keyboard where the user was: on the entry that took this one's place, else the input.
    const buttons = this.list.querySelectorAll<HTMLElement>('[data-testid$="-remove"]');
    (buttons[Math.min(index, buttons.length - 1)] ?? this.input.element).focus();
  }
}
