/**
 * The two clients of `npm run bench:sync`, started the same way against the same account: ours (ChannelSync,
 * as the extension runs it) and a default matrix-js-sdk client (`createClient` + `startClient()` with no
 * options). Both get a fetch that counts the bytes of every response, and report their live messages.
 */
import { CHANNEL_DEFAULTS, type ChannelConfig } from '../../src/core/channel/config.ts';
import { silentLogger } from '../../src/core/log.ts';
import { loadSdk } from '../../src/core/matrix/sdk.ts';
import { ManagedSession } from '../../src/core/session/managed-session.ts';
import { SessionStore } from '../../src/core/session/session-store.ts';
import { MessageBatcher } from '../../src/core/notify/message-batcher.ts';
import { ChannelSync } from '../../src/core/sync/channel-sync.ts';
import { MemorySyncStateStore } from '../../src/core/sync/sync-state-store.ts';
import { MemorySecrets } from '../integration/core/support.ts';

export type Variant = 'ours' | 'default';

export interface Account {
  baseUrl: string;
  userId: string;
  deviceId: string;
  accessToken: string;
}

export interface RunningClient {
  /** Resolves once the first sync has been processed (ours: "connected"; the SDK: PREPARED). */
  ready: Promise<void>;
  /** Called with the body of every live text message the client surfaces. */
  onText(listener: (body: string) => void): void;
  stop(): Promise<void>;
}

/** Response bytes (Content-Length, or the body itself when absent), of /sync and of everything. */
export class ByteCounter {
  syncBytes = 0;
  syncResponses = 0;
  totalBytes = 0;
  responses = 0;

  readonly fetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    const length = response.headers.get('content-length');
    const bytes = length !== null ? Number(length) : (await response.clone().arrayBuffer()).byteLength;
    this.totalBytes += bytes;
    this.responses += 1;
    if (new URL(url).pathname.endsWith('/sync')) {
      this.syncBytes += bytes;
      this.syncResponses += 1;
    }
    return response;
  };

  snapshot() {
    return {
      syncBytes: this.syncBytes,
      syncResponses: this.syncResponses,
      totalBytes: this.totalBytes,
      responses: this.responses,
    };
  }
}

/** Every room message passes: open room and DM policies, no mention gating, no allowlists. */
const BENCH_CONFIG: ChannelConfig = {
  ...CHANNEL_DEFAULTS,
  id: 'bench',
  homeserver: '',
  dmPolicy: 'open',
  roomPolicy: 'open',
  mentionMode: 'always',
  roomAllowlist: [],
  userAllowlist: [],
};

export async function startClient(variant: Variant, account: Account, fetchFn: typeof fetch): Promise<RunningClient> {
  return variant === 'ours' ? startOurs(account, fetchFn) : startDefault(account, fetchFn);
}

async function startOurs(account: Account, fetchFn: typeof fetch): Promise<RunningClient> {
  const config: ChannelConfig = { ...BENCH_CONFIG, homeserver: account.baseUrl };
  const session = new ManagedSession({
    accountId: config.id,
    session: {
      homeserver: account.baseUrl,
      userId: account.userId,
      deviceId: account.deviceId,
      authMode: 'password',
      accessToken: account.accessToken,
    },
    store: new SessionStore(new MemorySecrets(), silentLogger),
    log: silentLogger,
    fetch: fetchFn,
  });
  const sync = new ChannelSync({
    accountId: config.id,
    session,
    config: () => config,
    store: new MemorySyncStateStore(),
    log: silentLogger,
  });
  const ready = new Promise<void>((resolve, reject) => {
    sync.onState((state) => {
      if (state.state === 'connected') resolve();
      if (state.state === 'reconnecting' || state.state === 'needs_sign_in')
        reject(new Error(`ours: ${state.state}: ${state.reason}`));
    });
  });
  await sync.start();
  return {
    // The SDK's events of the initial sync go through our (serial) queue: wait for it to drain too.
    ready: ready.then(() => sync.idle()),
    // The editor's path: a message becomes a notification through the batcher, with its default window.
    onText: (listener) => {
      const batcher = new MessageBatcher({
        flush: (batch) => {
          for (const message of batch.messages) listener(message.body);
        },
      });
      sync.onMessage((message) => batcher.add(message));
    },
    stop: () => sync.stop(),
  };
}

async function startDefault(account: Account, fetchFn: typeof fetch): Promise<RunningClient> {
  const sdk = await loadSdk();
  const client = sdk.createClient({
    baseUrl: account.baseUrl,
    accessToken: account.accessToken,
    userId: account.userId,
    deviceId: account.deviceId,
    fetchFn,
  });
  const ready = new Promise<void>((resolve, reject) => {
    client.on(sdk.ClientEvent.Sync, (state, _previous, data) => {
      if (state === sdk.SyncState.Prepared) resolve();
      if (state === sdk.SyncState.Error) reject(new Error(`default client: sync error ${String(data?.error)}`));
    });
  });
  await client.startClient();
  return {
    ready,
    onText: (listener) =>
      client.on(sdk.RoomEvent.Timeline, (event, _room, toStart, _removed, data) => {
        if (toStart || data?.liveEvent !== true || event.getType() !== 'm.room.message') return;
        const body: unknown = event.getContent()['body'];
        if (typeof body === 'string') listener(body);
      }),
    stop: async () => {
      client.stopClient();
      client.removeAllListeners();
    },
  };
}
