/**
 * Moving through the messages by keyboard, as in a list: the message list is one stop of the Tab order (the
 * message last visited, else the newest); Up and Down go to the one before and after, Home and End to the
 * first and last, Tab into a message's actions, Escape back to the composer. Going up past the top loads older
 * messages, as scrolling there does.
 */
export class MessageKeys {
  /** The message the list's Tab stop is on. */
  private current?: string;

  constructor(
    private readonly list: HTMLElement,
    private readonly toComposer: () => void,
  ) {
    list.addEventListener('keydown', (event) => this.onKey(event));
    list.addEventListener('focusin', (event) => {
      const message = (event.target as HTMLElement).closest<HTMLElement>('article.message');
      if (message) this.setCurrent(message);
    });
  }

  /**
   * After the list changed: exactly one message is in the Tab order (the current one, else the newest), and only
   * its links and buttons, so Tab goes from the list to the composer, not through every message's controls.
   */
  refresh(): void {
    const messages = this.messages();
    const current =
      messages.find((message) => message.dataset['eventId'] === this.current) ?? messages[messages.length - 1];
    for (const message of messages) tabbable(message, message === current);
  }

  /** Focuses the newest message (from the composer, say). */
  focusLast(): void {
    this.messages().at(-1)?.focus();
  }

  private onKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    if (event.key === 'Escape' && !event.defaultPrevented) {
      event.preventDefault();
      this.toComposer();
      return;
    }
    // Keys inside a message's buttons and boxes are theirs, apart from Escape.
    if (!target.matches('article.message')) return;
    const messages = this.messages();
    const index = messages.indexOf(target);
    const next = {
      ArrowUp: messages[index - 1],
      ArrowDown: messages[index + 1],
      Home: messages[0],
      End: messages[messages.length - 1],
    }[event.key];
    if (!next) return;
    event.preventDefault();
    next.focus();
    next.scrollIntoView({ block: 'nearest' });
  }

  private setCurrent(message: HTMLElement): void {
    if (this.current === message.dataset['eventId'] && message.tabIndex === 0) return;
    this.current = message.dataset['eventId'];
    for (const other of this.messages()) if (other.tabIndex === 0 && other !== message) tabbable(other, false);
    tabbable(message, true);
  }

  private messages(): HTMLElement[] {
    return [...this.list.querySelectorAll<HTMLElement>(':scope > article.message')];
  }
}

/** A message and its controls in the Tab order, or out of it (still reachable with the arrows, then Tab). */
function tabbable(message: HTMLElement, on: boolean): void {
  message.tabIndex = on ? 0 : -1;
  for (const control of message.querySelectorAll<HTMLElement>('button, a[href], pre, input'))
    control.tabIndex = on ? 0 : -1;
}
