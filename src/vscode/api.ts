/** What `activate()` returns to other extensions (and to our tests). */
import type { AccountView } from '../core/account/account-service.ts';
import type { MatrixClient } from '../core/matrix/sdk.ts';
import type { RoomSummary } from '../core/sync/room-list.ts';

export interface MatrixChannelsApi {
  /** Every configured account with its state. */
  accounts(): AccountView[];
  /** Called whenever an account is added, removed or changes state. */
  onDidChangeAccounts(listener: () => void): { dispose(): void };
  /** The joined rooms of a live account, with unread counts (empty while it is not live). */
  rooms(accountId: string): RoomSummary[];
  /** A matrix-js-sdk client for a signed-in account; its requests always carry a fresh token. */
  client(accountId: string): Promise<MatrixClient>;
}
