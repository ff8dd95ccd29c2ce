/**
 * A VS Code window, for tests of several windows on one account: its own AccountService, engine and lease over
 * settings and global storage shared with the other windows, and the secrets it is given (one store shared by
 * all windows on desktop; a copy each in VS Code for the Web).
 */
import { join } from 'node:path';
import { AccountService, type AuthEvent } from '../../../src/core/account/account-service.ts';
import { LoopbackFlow } from '../../../src/core/auth/oauth/flows/loopback.ts';
import { SignInEngine } from '../../../src/core/auth/sign-in-engine.ts';
import type { CryptoPlace } from '../../../src/core/crypto/channel-crypto.ts';
import { SessionStore } from '../../../src/core/session/session-store.ts';
import { ChannelSync } from '../../../src/core/sync/channel-sync.ts';
import { MemorySyncStateStore } from '../../../src/core/sync/sync-state-store.ts';
import { FileAccountCoordination } from '../../../src/vscode/account-coordination.ts';
import { WindowLease } from '../../../src/vscode/window-lease.ts';
import { CapturedLog, identity, type MemoryConfigs, type MemorySecrets } from './support.ts';

export interface WindowOptions {
  openBrowser?: (url: string) => Promise<void>;
  /** Where the window's channels keep their encryption store (shared by the windows, as global storage is). */
  crypto?: CryptoPlace;
}

export function openWindow(
  shared: { configs: MemoryConfigs; storage: string },
  secrets: MemorySecrets,
  { openBrowser = async () => {}, crypto }: WindowOptions = {},
) {
  const log = new CapturedLog();
  /** Every live channel this window started (only the session's owner runs one). */
  const channels: ChannelSync[] = [];
  const lease = new WindowLease({ directory: join(shared.storage, 'owners'), staleMs: 3_000 });
  const engine = new SignInEngine({
    identity,
    host: 'local',
    flows: [new LoopbackFlow()],
    openBrowser,
    store: new SessionStore(secrets, log.logger),
    log: log.logger,
  });
  const service = new AccountService({
    configs: shared.configs,
    engine: async () => engine,
    log: log.logger,
    coordination: new FileAccountCoordination(lease, join(shared.storage, 'accounts')),
    channels: ({ accountId, session, config }) => {
      const channel = new ChannelSync({
        accountId,
        session,
        config,
        store: new MemorySyncStateStore(),
        log: log.logger,
        pollTimeoutMs: 1_000,
        ...(crypto ? { crypto } : {}),
      });
      channels.push(channel);
      return channel;
    },
  });
  const events: AuthEvent[] = [];
  service.onAuthEvent((event) => events.push(event));
  return {
    service,
    events,
    channels,
    log,
    async close() {
      await service.dispose();
      await lease.dispose();
    },
  };
}
