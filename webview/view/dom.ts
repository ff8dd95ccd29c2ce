/**
 * Small DOM helpers. Text always goes in through textContent: nothing the host, the server or the user
 * supplies is ever parsed as HTML. Every element with an id also carries it as `data-testid`, which the
 * browser tests select on.
 */
export interface ElementOptions {
  id?: string;
  className?: string;
  text?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  ...children: Array<Node | undefined>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.id) {
    element.id = options.id;
    element.dataset['testid'] = options.id;
  }
  if (options.className) element.className = options.className;
  if (options.text !== undefined) element.textContent = options.text;
  for (const [name, value] of Object.entries(options.attrs ?? {})) element.setAttribute(name, value);
  for (const child of children) if (child) element.append(child);
  return element;
}

/** The message line under a field; announced politely when it changes. */
export function errorLine(field: string): HTMLElement {
  return el('div', { id: `${field}-error`, className: 'error', attrs: { 'aria-live': 'polite' } });
}

/** A short explanation under a field or section. */
export function hint(text: string, id?: string): HTMLElement {
  return el('div', { className: 'hint', text, ...(id ? { id } : {}) });
}

export function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

export function setShown(element: HTMLElement, shown: boolean): void {
  if (element.hidden === shown) element.hidden = !shown;
}
