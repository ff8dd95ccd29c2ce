/**
 * A homeserver that answers 429 (its rate limiter, here played by the proxy in front of the bed's Synapse, whose
 * own limits are relaxed) is waited out as it asks, wherever we call it ourselves: the lookup, a password
 * sign-in, a room request, the session check of an account coming back. A wait longer than a person should sit through is not taken: the answer says when to
 * try again.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { currentBed } from '../../bed/current.ts';
import { createClassicUser, MatrixApi } from '../../bed/matrix.ts';
import { RecordingProxy } from '../../bed/recording-proxy.ts';
import type { MatrixChannelError } from '../../../src/core/errors.ts';
import { latestEventId, setReadMarkers } from '../../../src/core/sync/room-requests.ts';
import { AccountService } from '../../../src/core/account/account-service.ts';
import { CHANNEL_DEFAULTS, type ChannelConfig } from '../../../src/core/channel/config.ts';
import { testEngine } from './engine.ts';
import { MemoryConfigs } from './support.ts';

const bed = currentBed();
const proxies: RecordingProxy[] = [];
after(async () => {
  await Promise.all(proxies.map((proxy) => proxy.stop()));
});

async function limitedClassic(): Promise<RecordingProxy> {
  const proxy = new RecordingProxy(bed.classic.baseUrl);
  await proxy.start();
  proxies.push(proxy);
  return proxy;
}

/** The statuses the proxy answered to requests of `method` on `path`, in order. */
const statuses = (proxy: RecordingProxy, method: string, path: string) =>
  proxy.records.filter((r) => r.method === method && r.path.split('?')[0] === path).map((r) => r.status);

describe('core: a homeserver that limits requests (429)', () => {
  it('the lookup waits as asked and goes on', async () => {
    const proxy = await limitedClassic();
    proxy.rateLimit('GET', '/_matrix/client/versions', 2, 200);
    const { engine } = testEngine();
    const { capabilities } = await engine.discover(proxy.baseUrl);
    assert.equal(capabilities.password, true);
    assert.deepEqual(statuses(proxy, 'GET', '/_matrix/client/versions').slice(0, 3), [429, 429, 200]);
  });

  it('a password sign-in waits out the login limit', async () => {
    const user = await createClassicUser(bed);
    const proxy = await limitedClassic();
    proxy.rateLimit('POST', '/_matrix/client/v3/login', 1, 300);
    const { engine } = testEngine();
    const { session } = await engine.signIn({
      accountId: 'a',
      config: { homeserver: proxy.baseUrl, authMode: 'password', userId: user.userId },
      secrets: { password: user.password },
    });
    assert.equal(session.userId, user.userId);
    assert.deepEqual(statuses(proxy, 'POST', '/_matrix/client/v3/login'), [429, 200]);
  });

  it('a room request (Mark as Read) waits as asked and goes on', async () => {
    const user = await createClassicUser(bed);
    const mine = new MatrixApi(bed.classic.baseUrl, user.accessToken);
    const roomId = await mine.createRoom({ name: 'Busy' });
    await mine.sendText(roomId, 'hello');
    const proxy = await limitedClassic();
    const requester = {
      homeserver: proxy.baseUrl,
      fetch: ((input, init) =>
        fetch(input, {
          ...init,
          headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${user.accessToken}` },
        })) as typeof fetch,
    };
    const markers = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/read_markers`;
    proxy.rateLimit('POST', markers, 2, 100);
    await setReadMarkers(requester, roomId, (await latestEventId(requester, roomId))!);
    assert.deepEqual(statuses(proxy, 'POST', markers), [429, 429, 200]);
  });

  it('a wait too long to sit through is not taken: the person is told when to try again', async () => {
    const proxy = await limitedClassic();
    proxy.rateLimit('GET', '/_matrix/client/versions', 5, 60_000);
    const { engine } = testEngine();
    await assert.rejects(engine.discover(proxy.baseUrl), (error: MatrixChannelError) => {
      assert.equal(error.kind, 'server_error');
      assert.match(error.reason, /is limiting requests \(HTTP 429\); try again in 60 s\.$/);
      return true;
    });
    assert.deepEqual(statuses(proxy, 'GET', '/_matrix/client/versions'), [429], 'asked once, no waiting');
  });

  for (const [limit, outcome] of [
    [200, 'connects once the limit is waited out'],
    [60_000, 'says when to try again when the wait is too long'],
  ] as const) {
    it(`an account coming back whose session check is limited ${outcome}`, async () => {
      const user = await createClassicUser(bed);
      const proxy = await limitedClassic();
      const { engine, secrets } = testEngine();
      const config: ChannelConfig = {
        ...CHANNEL_DEFAULTS,
        roomAllowlist: [],
        userAllowlist: [],
        id: 'busy',
        homeserver: proxy.baseUrl,
        authMode: 'password',
        userId: user.userId,
      };
      await engine.signIn({ accountId: config.id, config, secrets: { password: user.password } });
      const configs = new MemoryConfigs();
      await configs.upsert(config);
      const whoami = '/_matrix/client/v3/account/whoami';
      proxy.rateLimit('GET', whoami, limit === 200 ? 2 : 5, limit);
      const service = new AccountService({
        configs,
        engine: async () => engine,
        log: testEngine({ secrets }).log.logger,
      });
      try {
        await service.restoreAll();
        const status = service.account(config.id)?.status;
        if (limit === 200) {
          assert.equal(status?.state, 'connected');
          assert.deepEqual(statuses(proxy, 'GET', whoami), [429, 429, 200]);
        } else {
          assert.equal(status?.state, 'error');
          assert.equal(
            status?.reason,
            'Connecting failed: the homeserver is limiting requests (HTTP 429); try again in 60 s.',
          );
          assert.deepEqual(statuses(proxy, 'GET', whoami), [429], 'asked once, no waiting');
        }
      } finally {
        await service.dispose();
      }
    });
  }
});
