/**
 * The requests from Sign In to connected, counted at the bed (a recording proxy in front of the homeserver,
 * the OAuth server's own record), for what the Sign In command does: look the server up to choose the method,
 * then sign in through the accounts service with a live channel. Nothing may be asked twice: not the lookup
 * (the sign-in reuses the command's), not /whoami (the sign-in itself showed the session works).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { currentBed } from '../../bed/current.ts';
import { createClassicUser, createOAuthAccount } from '../../bed/matrix.ts';
import { RecordingProxy, servedByOAuth } from '../../bed/recording-proxy.ts';
import { AccountService, type ChannelConfigStore } from '../../../src/core/account/account-service.ts';
import { LoopbackFlow } from '../../../src/core/auth/oauth/flows/loopback.ts';
import { CHANNEL_DEFAULTS, type ChannelConfig, type ChannelSecrets } from '../../../src/core/channel/config.ts';
import { ChannelSync } from '../../../src/core/sync/channel-sync.ts';
import { MemorySyncStateStore } from '../../../src/core/sync/sync-state-store.ts';
import { testEngine } from './engine.ts';
import { personAtBrowser } from './support.ts';

const bed = currentBed();
const proxies: RecordingProxy[] = [];
after(async () => {
  await Promise.all(proxies.map((proxy) => proxy.stop()));
});

async function proxyFor(baseUrl: string): Promise<RecordingProxy> {
  const proxy = new RecordingProxy(baseUrl);
  await proxy.start();
  proxies.push(proxy);
  return proxy;
}

/** "GET /path" of each request the proxy saw, without the query. */
const requests = (proxy: RecordingProxy) => proxy.records.map((r) => `${r.method} ${r.path.split('?')[0]}`);

/** How often each of `expected`'s requests was seen, to compare with `expected`. */
const counted = (seen: string[], expected: Record<string, number>) =>
  Object.fromEntries(Object.keys(expected).map((request) => [request, seen.filter((r) => r === request).length]));

/** Each of `expected`'s requests was seen exactly that often (the message lists all that were seen). */
const assertCounts = (seen: string[], expected: Record<string, number>) =>
  assert.deepEqual(counted(seen, expected), expected, seen.join('\n'));

/** Signs a new channel in the way the Sign In command does; the homeserver requests seen until connected. */
async function signInAsTheCommand(
  proxy: RecordingProxy,
  extra: Partial<ChannelConfig>,
  secrets: ChannelSecrets,
  openBrowser?: (url: string) => Promise<void>,
) {
  const { engine, log } = testEngine({ flows: [new LoopbackFlow()], ...(openBrowser ? { openBrowser } : {}) });
  let configs: ChannelConfig[] = [];
  const store: ChannelConfigStore = {
    list: () => configs,
    upsert: async (c) => {
      configs = [...configs.filter((x) => x.id !== c.id), c];
    },
    remove: async (id) => {
      configs = configs.filter((x) => x.id !== id);
    },
  };
  const service = new AccountService({
    configs: store,
    engine: async () => engine,
    log: log.logger,
    channels: (input) =>
      new ChannelSync({ ...input, store: new MemorySyncStateStore(), log: log.logger, pollTimeoutMs: 2_000 }),
  });
  const config: ChannelConfig = {
    ...CHANNEL_DEFAULTS,
    roomAllowlist: [],
    userAllowlist: [],
    id: `ch-${randomUUID().slice(0, 8)}`,
    homeserver: proxy.baseUrl,
    ...extra,
  };
  let untilConnected: string[] | undefined;
  service.onDidChange(() => {
    if (!untilConnected && service.account(config.id)?.status.state === 'connected') untilConnected = requests(proxy);
  });
  proxy.clear();
  await engine.discover(config.homeserver);
  await service.signIn(config, secrets);
  assert.ok(untilConnected, `connected (is ${service.account(config.id)?.status.state})`);
  const clientId = service.session(config.id)?.session.clientId;
  await service.signOut(config.id);
  await service.dispose();
  return { untilConnected, clientId };
}

describe('core: the requests of a sign-in', () => {
  it('password: one lookup, the login, no /whoami, one first sync', async () => {
    const user = await createClassicUser(bed);
    const proxy = await proxyFor(bed.classic.baseUrl);
    const { untilConnected } = await signInAsTheCommand(
      proxy,
      { authMode: 'password', userId: user.userId },
      { password: user.password },
    );
    const expected = {
      // The lookup's, and matrix-js-sdk's own before its sync loop starts.
      'GET /_matrix/client/versions': 2,
      'GET /_matrix/client/v1/auth_metadata': 1,
      'GET /_matrix/client/v3/login': 1,
      'POST /_matrix/client/v3/login': 1,
      // The login answered who and which device; the first sync would notice a token that does not work.
      'GET /_matrix/client/v3/account/whoami': 0,
      'GET /_matrix/client/v3/sync': 1,
    };
    assertCounts(untilConnected, expected);
  });

  it('access token: /whoami once, to learn whose token it is', async () => {
    const user = await createClassicUser(bed);
    const proxy = await proxyFor(bed.classic.baseUrl);
    const { untilConnected } = await signInAsTheCommand(
      proxy,
      { authMode: 'access_token' },
      { accessToken: user.accessToken },
    );
    const expected = {
      'GET /_matrix/client/versions': 2,
      'GET /_matrix/client/v1/auth_metadata': 1,
      'GET /_matrix/client/v3/account/whoami': 1,
      'GET /_matrix/client/v3/sync': 1,
    };
    assertCounts(untilConnected, expected);
  });

  it('OAuth: one lookup, one registration and token exchange, /whoami once', async () => {
    const account = await createOAuthAccount(bed);
    const proxy = await proxyFor(bed.delegated.baseUrl);
    const person = personAtBrowser(account);
    const { last } = await servedByOAuth(bed);
    const { untilConnected, clientId } = await signInAsTheCommand(proxy, { authMode: 'oidc' }, {}, person.openBrowser);
    await person.finished();
    const expected = {
      'GET /_matrix/client/versions': 2,
      'GET /_matrix/client/v1/auth_metadata': 1,
      'GET /_matrix/client/v3/account/whoami': 1,
      'GET /_matrix/client/v3/sync': 1,
    };
    assertCounts(untilConnected, expected);
    const { records } = await servedByOAuth(bed, last);
    const ours = records.filter((r) => r.clientId === clientId).map((r) => `${r.method} ${r.path}`);
    assertCounts(ours, { 'POST /oauth2/registration': 1, 'POST /oauth2/token': 1 });
  });

  it('a sign-in reuses the lookup made just before it, once: signing in again looks again', async () => {
    const user = await createClassicUser(bed);
    const proxy = await proxyFor(bed.classic.baseUrl);
    const { engine } = testEngine();
    const request = {
      config: { homeserver: proxy.baseUrl, authMode: 'password' as const, userId: user.userId },
      secrets: { password: user.password },
    };
    await engine.discover(proxy.baseUrl);
    await engine.signIn({ accountId: 'a', ...request });
    assert.equal(requests(proxy).filter((r) => r === 'GET /_matrix/client/versions').length, 1);
    await engine.signIn({ accountId: 'b', ...request });
    assert.equal(requests(proxy).filter((r) => r === 'GET /_matrix/client/versions').length, 2);
  });
});
