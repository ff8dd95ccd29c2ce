/** A SecretStore in memory for unit tests (the VS Code glue uses SecretStorage), with its contents inspectable. */
import type { SecretStore } from '../../../src/core/session/session.ts';

export class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}
