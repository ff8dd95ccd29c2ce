/**
 * The reaction picker a message's "React" button opens: the reactions people use most, one press each, and a
 * box for any other (an emoji typed or pasted, or a short word, as Matrix allows any key). Arrow keys move
 * between the reactions, Escape closes it and gives the focus back to the button that opened it. One picker is
 * open at a time; a click elsewhere closes it.
 */
import { l10n } from '../../src/core/l10n.ts';
import { el } from './dom.ts';

/** The reactions offered first (those most clients offer), 👍 first as the quick one. */
export const COMMON_REACTIONS = ['👍', '👎', '😄', '🎉', '❤️', '🚀', '👀', '✅', '🙏', '😕'];

/** Longest reaction key the host accepts (room-view-protocol.ts checks it too). */
const MAX_KEY = 64;

let openPicker: { close(): void } | undefined;

/**
 * Opens the picker under `anchor`. `pick(key)` gets the chosen reaction; `reacted(key)` says whether the
 * person already reacted so (that reaction shows pressed, and picking it takes it back).
 */
export function openReactionPicker(
  anchor: HTMLElement,
  pick: (key: string) => void,
  reacted: (key: string) => boolean,
): void {
  openPicker?.close();
  const picker = el('div', 'reaction-picker');
  picker.setAttribute('role', 'dialog');
  picker.setAttribute('aria-label', l10n.t('Pick a reaction'));
  const grid = el('div', 'reaction-grid');
  grid.setAttribute('role', 'group');
  const choices = COMMON_REACTIONS.map((key) => {
    const choice = el('button', 'reaction-choice', key);
    choice.type = 'button';
    choice.setAttribute('aria-pressed', String(reacted(key)));
    choice.addEventListener('click', () => choose(key));
    return choice;
  });
  grid.append(...choices);
  const other = el('input', 'reaction-other');
  other.type = 'text';
  other.maxLength = MAX_KEY;
  other.placeholder = l10n.t('Other reaction, then Enter');
  other.setAttribute('aria-label', l10n.t('Other reaction'));
  picker.append(grid, other);

  const close = (returnFocus: boolean) => {
    picker.remove();
    document.removeEventListener('mousedown', onOutside, true);
    if (openPicker === handle) openPicker = undefined;
    if (returnFocus) anchor.focus();
  };
  const choose = (key: string) => {
    close(true);
    pick(key);
  };
  const onOutside = (event: MouseEvent) => {
    if (!picker.contains(event.target as Node)) close(false);
  };
  const handle = { close: () => close(false) };
  grid.addEventListener('keydown', (event) => {
    const index = choices.indexOf(document.activeElement as HTMLButtonElement);
    const step = { ArrowRight: 1, ArrowDown: 5, ArrowLeft: -1, ArrowUp: -5 }[event.key];
    if (step === undefined || index < 0) return;
    event.preventDefault();
    choices[(index + step + choices.length) % choices.length]?.focus();
  });
  other.addEventListener('keydown', (event) => {
    const key = other.value.trim();
    if (event.key === 'Enter' && key !== '' && !event.isComposing) {
      event.preventDefault();
      choose(key);
    }
  });
  picker.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    }
  });
  anchor.insertAdjacentElement('afterend', picker);
  placeOnScreen(picker, anchor);
  document.addEventListener('mousedown', onOutside, true);
  openPicker = handle;
  choices[0]?.focus({ preventScroll: true });
}

/** Opens the picker upwards when there is more room above the button than below it, then scrolls it in. */
function placeOnScreen(picker: HTMLElement, anchor: HTMLElement): void {
  const area = (anchor.closest('.scroller') ?? document.documentElement).getBoundingClientRect();
  const button = anchor.getBoundingClientRect();
  const height = picker.getBoundingClientRect().height;
  const below = area.bottom - button.bottom;
  const above = button.top - area.top;
  if (height > below && above > below) picker.classList.add('above');
  picker.scrollIntoView({ block: 'nearest' });
}
