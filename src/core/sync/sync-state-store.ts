/**
 * Where a channel keeps its sync position between runs (the glue: VS Code globalState; the token is not a
 * secret: it only means something together with the access token).
 */
export interface SyncStateStore {
  get(accountId: string): string | undefined | Promise<string | undefined>;
  set(accountId: string, token: string | undefined): void | Promise<void>;
}

export class MemorySyncStateStore implements SyncStateStore {
  readonly tokens = new Map<string, string>();

  get(accountId: string): string | undefined {
    return this.tokens.get(accountId);
  }

  set(accountId: string, token: string | undefined): void {
    if (token === undefined) this.tokens.delete(accountId);
    else this.tokens.set(accountId, token);
  }
}
