/**
 * matrix-js-sdk as a live channel runs it: a client over the session's fetch whose store resumes from our
 * token, and a sync loop with a notification-oriented filter.
 *
 * Resuming: the SDK asks its store for a saved sync token (`getSavedSyncToken`) before the first /sync; our
 * store (a MemoryStore) answers with the token the channel holds (the stored one, or a first start's
 * bootstrap), so the SDK only asks for what happened since (an incremental sync), never for an initial sync.
 * A bootstrap's pending invites and account data reach the SDK once, as a saved sync (`getSavedSync`). We do
 * not persist the SDK's whole sync accumulator: for hundreds of rooms it is large, and the channel needs
 * almost none of it.
 */
import type { Logger } from '../log.ts';
import { createMatrixClient, loadSdk, type MatrixClient } from '../matrix/sdk.ts';
import { SYNCED_ACCOUNT_DATA, type SavedSync } from './bootstrap.ts';

type Room = import('matrix-js-sdk').Room;
type MatrixEvent = import('matrix-js-sdk').MatrixEvent;

export interface ChannelClientOptions {
  session: { homeserver: string; userId: string; deviceId: string };
  fetch: typeof fetch;
  log: Logger;
  /** Where to resume while the SDK has no token of its own (the stored token, or the bootstrap's). */
  resumeToken(): string | undefined;
  /** A saved sync for the SDK to start from, handed over once (the bootstrap's invites and account data). */
  takeSavedSync(): SavedSync | null;
  /** Closes the client for good once aborted (the channel stopped). */
  signal: AbortSignal;
  cryptoCallbacks?: import('matrix-js-sdk/lib/crypto-api/index.js').CryptoCallbacks;
}

export async function createChannelClient(options: ChannelClientOptions): Promise<MatrixClient> {
  const sdk = await loadSdk();
  /** The SDK's memory store, answering "where were we?" with the token we hold. */
  class ResumingStore extends sdk.MemoryStore {
    override getSavedSyncToken(): Promise<string | null> {
      return Promise.resolve(this.getSyncToken() ?? options.resumeToken() ?? null);
    }

    override getSavedSync(): Promise<SavedSync | null> {
      return Promise.resolve(options.takeSavedSync());
    }
  }
  const client = await createMatrixClient({
    baseUrl: options.session.homeserver,
    userId: options.session.userId,
    deviceId: options.session.deviceId,
    // The managed session's fetch sets the current token on every request; the SDK needs some token to
    // send at all, so it gets a placeholder that the fetch replaces.
    accessToken: 'managed-by-session',
    fetchFn: options.fetch,
    store: new ResumingStore(),
    log: options.log,
    signal: options.signal,
    ...(options.cryptoCallbacks ? { cryptoCallbacks: options.cryptoCallbacks } : {}),
  });
  askServerForMissingAccountData(client, sdk);
  return client;
}

/**
 * Account data comes in a sync only when it changes, so after a resume the SDK's store lacks what did not; the
 * SDK then answers "none" from its store (the encryption would think recovery is not set up). Ask the server
 * for what the store lacks instead, once per type: the encryption asks on every status change, and a later
 * change arrives through the sync into the store, which is read first.
 */
function askServerForMissingAccountData(client: MatrixClient, sdk: Awaited<ReturnType<typeof loadSdk>>): void {
  const fromStore = client.getAccountDataFromServer.bind(client) as (type: string) => Promise<unknown>;
  const asked = new Map<string, Promise<unknown>>();
  const askServer = (type: string): Promise<unknown> => {
    const path = `/user/${encodeURIComponent(client.getSafeUserId())}/account_data/${encodeURIComponent(type)}`;
    return client.http
      .authedRequest(sdk.Method.Get, path)
      .catch((error: { errcode?: string; data?: { errcode?: string } }) => {
        if (error.errcode === 'M_NOT_FOUND' || error.data?.errcode === 'M_NOT_FOUND') return null;
        asked.delete(type); // not an answer: ask again next time
        throw error;
      });
  };
  client.getAccountDataFromServer = (async (type: string) => {
    const stored = await fromStore(type);
    if (stored !== null || !client.isInitialSyncComplete()) return stored;
    let answer = asked.get(type);
    if (!answer) asked.set(type, (answer = askServer(type)));
    return answer;
  }) as MatrixClient['getAccountDataFromServer'];
}

export interface ClientEvents {
  /** The sync loop's state changed (PREPARED, SYNCING, RECONNECTING, ERROR, CATCHUP, STOPPED). */
  sync(state: string, data: { nextSyncToken?: string; error?: unknown } | undefined): void;
  /** A new event at the live end of a room's timeline. */
  timelineEvent(event: MatrixEvent, room: Room): void;
  /** We were invited to a room. */
  invited(room: Room): void;
  /** The content of `m.direct` changed. */
  directRooms(content: unknown): void;
}

/** What the channel hears of the client (until `removeAllListeners`). */
export function watchClient(client: MatrixClient, sdk: Awaited<ReturnType<typeof loadSdk>>, on: ClientEvents): void {
  const { ClientEvent, RoomEvent } = sdk;
  client.on(ClientEvent.Sync, (state, _previous, data) => on.sync(state, data));
  client.on(RoomEvent.Timeline, (event, room, toStart, removed, data) => {
    if (!toStart && !removed && room && data?.liveEvent !== false) on.timelineEvent(event, room);
  });
  client.on(RoomEvent.MyMembership, (room, membership) => {
    if (membership === 'invite') on.invited(room);
  });
  client.on(ClientEvent.AccountData, (event) => {
    if (event.getType() === 'm.direct') on.directRooms(event.getContent());
  });
}

export interface SyncLoopOptions {
  /** Timeline events per room in a sync response. */
  timelineLimit: number;
  /** The /sync long-poll timeout. */
  pollTimeoutMs: number;
}

/**
 * Starts (or restarts) the SDK's sync loop. Only what notifications need: a few timeline events per room,
 * lazily loaded members, no presence, no typing or receipts, and of the account data only `m.direct` (DMs).
 *
 * A stop (`signal`) wins over a start in progress. The client is closed then, so startClient may never return
 * (its /versions never answers) and is not waited for; should it return, the sync loop and pollers it started
 * after the stop are stopped again.
 */
export async function startSyncLoop(
  client: MatrixClient,
  userId: string,
  options: SyncLoopOptions,
  signal: AbortSignal,
): Promise<void> {
  const { Filter } = await loadSdk();
  if (signal.aborted) return;
  const filter = new Filter(userId);
  filter.setDefinition({
    presence: { types: [] },
    account_data: { types: [...SYNCED_ACCOUNT_DATA] },
    room: {
      timeline: { limit: options.timelineLimit },
      state: { lazy_load_members: true },
      ephemeral: { types: [] },
      account_data: { types: [] },
      include_leave: false,
    },
  });
  const started = client.startClient({
    filter,
    initialSyncLimit: options.timelineLimit,
    lazyLoadMembers: true,
    disablePresence: true,
    pollTimeout: options.pollTimeoutMs,
    threadSupport: false,
  });
  await new Promise<void>((resolve, reject) => {
    const onStop = () => resolve();
    signal.addEventListener('abort', onStop, { once: true });
    started.then(
      () => {
        signal.removeEventListener('abort', onStop);
        if (signal.aborted) haltClient(client);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onStop);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the SDK's own rejection, unchanged
        reject(error);
      },
    );
  });
}

/**
 * Stops the client's sync loop and every poller of the SDK. stopClient() alone skips the pollers of a client
 * it stopped before (a channel paused after a failure), which an answer that came after that stop may have
 * armed again (the capabilities poll, for 6 hours).
 */
export function haltClient(client: MatrixClient): void {
  client.clientRunning = true;
  client.stopClient();
}
