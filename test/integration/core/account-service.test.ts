import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currentBed } from '../../bed/current.ts';
import { createClassicUser, createOAuthAccount, MatrixApi } from '../../bed/matrix.ts';
import { BedOAuthClient, introspectToken } from '../../bed/oauth-client.ts';
import { waitFor } from './live-support.ts';
import { AccountService, type AuthEvent } from '../../../src/core/account/account-service.ts';
import { LoopbackFlow } from '../../../src/core/auth/oauth/flows/loopback.ts';
import { SignInEngine } from '../../../src/core/auth/sign-in-engine.ts';
import { CHANNEL_DEFAULTS, type ChannelConfig } from '../../../src/core/channel/config.ts';
import { SessionStore } from '../../../src/core/session/session-store.ts';
import { CapturedLog, identity, MemoryConfigs, MemorySecrets, personAtBrowser } from './support.ts';

const bed = currentBed();

/** One "window": its own service and engine over shared settings and secrets. */
function window(
  shared: { configs: MemoryConfigs; secrets: MemorySecrets },
  openBrowser: (url: string) => Promise<void> = async () => {},
) {
  const log = new CapturedLog();
  const engine = new SignInEngine({
    identity,
    host: 'local',
    flows: [new LoopbackFlow()],
    openBrowser,
    store: new SessionStore(shared.secrets, log.logger),
    log: log.logger,
  });
  const service = new AccountService({ configs: shared.configs, engine: async () => engine, log: log.logger });
  const events: AuthEvent[] = [];
  service.onAuthEvent((event) => events.push(event));
  return { service, engine, events, log };
}

const channel = (homeserver: string, extra: Partial<ChannelConfig> = {}): ChannelConfig => ({
  ...CHANNEL_DEFAULTS,
  roomAllowlist: [],
  userAllowlist: [],
  id: `ch-${Math.random().toString(36).slice(2, 8)}`,
  homeserver,
  ...extra,
});

describe('core: accounts', () => {
  it('a failed sign-in of a new channel leaves no account, no settings and no secret behind', async () => {
    const user = await createClassicUser(bed);
    const shared = { configs: new MemoryConfigs(), secrets: new MemorySecrets() };
    const { service, events } = window(shared);
    const config = channel(bed.classic.baseUrl, { userId: user.userId, authMode: 'password' });
    const states: string[] = [];
    service.onDidChange(() => states.push(service.account(config.id)?.status.state ?? 'absent'));
    await assert.rejects(service.signIn(config, { password: 'not-the-password' }));
    assert.deepEqual(service.accounts(), []);
    assert.deepEqual(shared.configs.configs, []);
    assert.equal(shared.secrets.values.size, 0);
    assert.equal(states[0], 'authorizing', 'the account showed while authorizing');
    assert.equal(states.at(-1), 'absent');
    assert.deepEqual(
      events.map((e) => e.type),
      ['sign_in_failed'],
    );
  });

  it('signs in, is connected, restores in a new window without prompting, and signs out', async () => {
    const user = await createClassicUser(bed);
    const shared = { configs: new MemoryConfigs(), secrets: new MemorySecrets() };
    const first = window(shared);
    const config = channel(bed.classic.baseUrl, { userId: user.userId });
    const signInStarted = Date.now();
    const view = await first.service.signIn(config, { password: user.password });
    assert.equal(view.status.state, 'connected');
    const since = view.status.since ?? 0;
    assert.ok(since >= signInStarted && since <= Date.now(), 'the status says when it became connected');
    assert.equal(shared.configs.configs[0]?.authMode, 'password', 'the resolved mode is saved');
    assert.equal(JSON.stringify(shared.configs.configs).includes(user.password), false, 'no secret in settings');
    assert.deepEqual(
      first.events.map((e) => e.type),
      ['connected'],
    );

    const second = window(shared);
    await second.service.restoreAll();
    assert.equal(second.service.account(config.id)?.status.state, 'connected');
    assert.equal(second.service.account(config.id)?.userId, user.userId);

    const result = await second.service.signOut(config.id);
    assert.deepEqual(result, { revoked: true });
    assert.equal(second.service.account(config.id)?.status.state, 'signed_out');
    assert.equal(shared.secrets.values.size, 0);
    await first.service.storedSessionChanged(config.id);
    assert.equal(first.service.account(config.id)?.status.state, 'signed_out', 'the other window follows the sign-out');
    await first.service.dispose();
    await second.service.dispose();
  });

  it('shows "needs sign-in" once when the server ends the session, and signing in again keeps the device', async () => {
    const account = await createOAuthAccount(bed);
    const shared = { configs: new MemoryConfigs(), secrets: new MemorySecrets() };
    const person = personAtBrowser(account);
    const { service, events } = window(shared, person.openBrowser);
    const config = channel(bed.delegated.baseUrl);
    const view = await service.signIn(config, {});
    const session = service.session(config.id)!.session;
    const client = await BedOAuthClient.fromHomeserver(bed.delegated.baseUrl);
    assert.equal(await client.revoke(session.clientId!, session.refreshToken!, 'refresh_token'), 200);
    await service
      .session(config.id)!
      .refresh()
      .catch(() => undefined);
    await service
      .session(config.id)!
      .refresh()
      .catch(() => undefined);
    assert.equal(service.account(config.id)?.status.state, 'needs_sign_in');
    assert.deepEqual(
      events.map((e) => e.type),
      ['connected', 'session_expired'],
    );

    const again = await service.signIn(service.account(config.id)!.config, {});
    assert.equal(again.status.state, 'connected');
    assert.equal(again.deviceId, view.deviceId, 'same device');
    await service.dispose();
  });

  it('signing in again with OAuth ends the earlier session at the server; after sign-out no token of either works', async () => {
    const account = await createOAuthAccount(bed);
    const shared = { configs: new MemoryConfigs(), secrets: new MemorySecrets() };
    const { service } = window(shared, personAtBrowser(account).openBrowser);
    const config = channel(bed.delegated.baseUrl);
    const first = await service.signIn(config, {});
    const earlier = service.session(config.id)!.session;
    const again = await service.signIn(service.account(config.id)!.config, {});
    const later = service.session(config.id)!.session;
    assert.equal(again.deviceId, first.deviceId, 'the device is kept');
    assert.notEqual(later.refreshToken, earlier.refreshToken, 'a session of its own at the server');
    const active = async (token: string, hint: string) => (await introspectToken(bed, token, { hint })).active;
    await waitFor('the earlier session ended at the server', async () =>
      (await active(earlier.refreshToken!, 'refresh_token')) ? undefined : true,
    );
    assert.equal(await active(earlier.accessToken, 'access_token'), false, 'its access token too');
    assert.equal(await active(later.accessToken, 'access_token'), true, 'the new session keeps the device');
    assert.equal((await new MatrixApi(bed.delegated.baseUrl, later.accessToken).whoami()).device_id, first.deviceId);

    assert.deepEqual(await service.signOut(config.id), { revoked: true });
    for (const [token, hint] of [
      [earlier.refreshToken!, 'refresh_token'],
      [earlier.accessToken, 'access_token'],
      [later.refreshToken!, 'refresh_token'],
      [later.accessToken, 'access_token'],
    ] as const) {
      assert.equal(await active(token, hint), false, `no ${hint} of either session is accepted`);
    }
    await service.dispose();
  });

  it('a window adopts tokens another window refreshed', async () => {
    const account = await createOAuthAccount(bed);
    const shared = { configs: new MemoryConfigs(), secrets: new MemorySecrets() };
    const first = window(shared, personAtBrowser(account).openBrowser);
    const config = channel(bed.delegated.baseUrl);
    await first.service.signIn(config, {});
    const second = window(shared);
    await second.service.restoreAll();
    const refreshed = await second.service.session(config.id)!.refresh();
    await first.service.storedSessionChanged(config.id);
    assert.equal(first.service.session(config.id)!.session.accessToken, refreshed.accessToken);
    await first.service.dispose();
    await second.service.dispose();
  });

  it('a new channel for a user who already has one signs that one in again: no second account', async () => {
    const user = await createClassicUser(bed);
    const shared = { configs: new MemoryConfigs(), secrets: new MemorySecrets() };
    const { service } = window(shared);
    const first = channel(bed.classic.baseUrl, { userId: user.userId, label: 'Work', roomPolicy: 'open' });
    await service.signIn(first, { password: user.password });
    const earlierToken = service.session(first.id)!.session.accessToken;

    const again = await service.signIn(channel(bed.classic.baseUrl, { userId: user.userId }), {
      password: user.password,
    });
    assert.equal(again.id, first.id, 'the existing channel');
    assert.deepEqual(
      service.accounts().map((a) => a.id),
      [first.id],
    );
    assert.deepEqual(
      shared.configs.configs.map((c) => [c.id, c.label, c.roomPolicy]),
      [[first.id, 'Work', 'open']],
      'its settings kept',
    );
    assert.deepEqual(
      [...shared.secrets.values.keys()].filter((key) => !key.includes(first.id)),
      [],
      'one secret',
    );
    assert.equal(again.status.state, 'connected');
    await waitFor('the earlier session ended', () =>
      new MatrixApi(bed.classic.baseUrl, earlierToken).whoami().then(
        () => undefined,
        () => true,
      ),
    );
    await service.dispose();
  });

  it('signing a channel in as another user ends the replaced session at its server', async () => {
    const [alice, bob] = await Promise.all([createClassicUser(bed), createClassicUser(bed)]);
    const shared = { configs: new MemoryConfigs(), secrets: new MemorySecrets() };
    const { service } = window(shared);
    const config = channel(bed.classic.baseUrl, { userId: alice.userId });
    await service.signIn(config, { password: alice.password });
    const aliceToken = service.session(config.id)!.session.accessToken;
    const switched = await service.signIn(
      { ...service.account(config.id)!.config, userId: bob.userId },
      { password: bob.password },
    );
    assert.equal(switched.userId, bob.userId);
    const api = new MatrixApi(bed.classic.baseUrl, aliceToken);
    let refused = false;
    for (let i = 0; i < 50 && !refused; i++) {
      refused = await api.whoami().then(
        () => false,
        () => true,
      );
      if (!refused) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(refused, "alice's replaced session was logged out");
    await service.dispose();
  });
});
