/** A minimal typed event emitter for the core (which cannot use vscode.EventEmitter). */
export type Listener<T> = (event: T) => void;

export class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();

  /** Subscribes; returns a disposer. */
  on(listener: Listener<T>): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  fire(event: T): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  clear(): void {
    this.listeners.clear();
  }
}

/**
 * An SDK object as an emitter by event name: matrix-js-sdk's typed emitters want their event enums, which
 * code that must not load the SDK names by their string values instead.
 */
export interface NamedEmitter {
  on(name: string, listener: (...args: never[]) => void): void;
  off(name: string, listener: (...args: never[]) => void): void;
}
