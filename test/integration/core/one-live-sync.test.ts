/**
 * One live sync per account. Signing in and out in quick succession, with a secret store that reports every
 * write (this window's own too, as VS Code's SecretStorage does), starts exactly one live channel per sign-in,
 * leaves no sync loop running after the sign-out (counted at the homeserver), and never turns a signed-out
 * account into "needs sign-in".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { currentBed } from '../../bed/current.ts';
import { createClassicUser } from '../../bed/matrix.ts';
import { RecordingProxy } from '../../bed/recording-proxy.ts';
import { AccountService, type AuthEvent } from '../../../src/core/account/account-service.ts';
import { SignInEngine } from '../../../src/core/auth/sign-in-engine.ts';
import { CHANNEL_DEFAULTS, type ChannelConfig } from '../../../src/core/channel/config.ts';
import { accountIdOfKey, SessionStore } from '../../../src/core/session/session-store.ts';
import { ChannelSync } from '../../../src/core/sync/channel-sync.ts';
import { MemorySyncStateStore } from '../../../src/core/sync/sync-state-store.ts';
import { CapturedLog, identity, MemoryConfigs, MemorySecrets } from './support.ts';

const bed = currentBed();

/** Secrets that report each write to a listener, as SecretStorage reports them to every window. */
class ReportingSecrets extends MemorySecrets {
  onChange: (key: string) => void = () => {};
  override async store(key: string, value: string) {
    await super.store(key, value);
    this.onChange(key);
  }
  override async delete(key: string) {
    await super.delete(key);
    this.onChange(key);
  }
}

describe('core: one live sync per account', () => {
  it('signing in and out in a row, once during the first sync: one channel each, no orphan sync, no state flip', async () => {
    const user = await createClassicUser(bed);
    const proxy = new RecordingProxy(bed.classic.baseUrl);
    await proxy.start();
    const log = new CapturedLog();
    const secrets = new ReportingSecrets();
    const engine = new SignInEngine({
      identity,
      host: 'local',
      flows: [],
      openBrowser: async () => {},
      store: new SessionStore(secrets, log.logger),
      log: log.logger,
    });
    const channels: ChannelSync[] = [];
    let channelCreated: () => void = () => {};
    const service = new AccountService({
      configs: new MemoryConfigs(),
      engine: async () => engine,
      log: log.logger,
      channels: ({ accountId, session, config }) => {
        const sync = new ChannelSync({
          accountId,
          session,
          config,
          store: new MemorySyncStateStore(),
          log: log.logger,
          pollTimeoutMs: 1_000,
        });
        channels.push(sync);
        channelCreated();
        return sync;
      },
    });
    // As the glue does on SecretStorage's change event (here without its filter of this window's own writes).
    secrets.onChange = (key) => {
      const id = accountIdOfKey(key);
      if (id) void service.storedSessionChanged(id);
    };
    const config: ChannelConfig = {
      ...CHANNEL_DEFAULTS,
      roomAllowlist: [],
      userAllowlist: [],
      id: 'one-sync',
      homeserver: proxy.baseUrl,
      userId: user.userId,
    };
    const states: string[] = [];
    service.onDidChange(() => {
      const state = service.account(config.id)?.status.state ?? 'none';
      if (states.at(-1) !== state) states.push(state);
    });
    const events: AuthEvent[] = [];
    service.onAuthEvent((event) => events.push(event));
    try {
      for (let round = 0; round < 3; round++) {
        const view = await service.signIn(config, { password: user.password });
        assert.equal(view.status.state, 'connected', `round ${round}: connected`);
        assert.deepEqual(await service.signOut(config.id), { revoked: true });
      }
      // And once more, signing out while the live channel is still starting (its first sync on the wire).
      const created = new Promise<void>((resolve) => (channelCreated = resolve));
      const signingIn = service.signIn(config, { password: user.password });
      await created;
      await service.signOut(config.id);
      await signingIn.catch(() => undefined);
      const signedOutAt = Date.now();
      // Longer than a long poll (1 s) and the SDK's first retry: an orphan loop would have asked again by now.
      await sleep(3_000);
      assert.equal(channels.length, 4, 'one live channel per sign-in');
      assert.deepEqual(
        channels.map((sync) => sync.state.state),
        ['stopped', 'stopped', 'stopped', 'stopped'],
      );
      const late = proxy.records.filter((r) => r.path.startsWith('/_matrix/client/v3/sync') && r.t > signedOutAt);
      assert.deepEqual(late, [], 'no /sync after the last sign-out');
      assert.equal(service.account(config.id)?.status.state, 'signed_out');
      assert.ok(!states.includes('needs_sign_in'), `states: ${states.join(' → ')}`);
      assert.deepEqual(
        events.filter((e) => e.type === 'session_expired'),
        [],
        'no "session has ended"',
      );
    } finally {
      await service.dispose();
      await proxy.stop();
    }
  });
});
