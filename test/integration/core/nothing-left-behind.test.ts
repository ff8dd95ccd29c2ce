/**
 * Nothing is left behind: a completed sign-in, and a live channel stopped at any point of its life (after its
 * first sync, at once, during its bootstrap, while matrix-js-sdk starts, during a resume), leave no timer of ours
 * or of the SDK, no request in flight or sent after the stop, no unhandled rejection, and a channel that stays
 * 'stopped'. Timers are followed with async_hooks from the moment the work starts; only those made by the code
 * under test count (a frame in src/ or node_modules/), not the test's own or Node's connection pool.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClassicUser, createOAuthAccount, type MatrixUser } from '../../bed/matrix.ts';
import { repoRoot } from '../../bed/paths.ts';
import { TimerWatch, type WatchedTimer } from '../../extension/timer-watch.ts';
import { LoopbackFlow } from '../../../src/core/auth/oauth/flows/loopback.ts';
import type { ChannelConfig } from '../../../src/core/channel/config.ts';
import { ChannelSync, type ChannelSyncState } from '../../../src/core/sync/channel-sync.ts';
import { MemorySyncStateStore } from '../../../src/core/sync/sync-state-store.ts';
import { testEngine } from './engine.ts';
import { bed, config, userSession } from './live-support.ts';
import { CapturedLog, personAtBrowser } from './support.ts';

/** A timer made by the code under test: some frame of its stack is in src/ or a dependency (matrix-js-sdk). */
const isOurs = (stack: string) => stack.includes(`${repoRoot}/src/`) || stack.includes('/node_modules/');

/** Follows the timers and unhandled rejections of `work` and what it leaves running. */
async function watched<T>(
  work: () => Promise<T>,
): Promise<{ result: T; leftovers: () => WatchedTimer[]; rejections: unknown[]; done: () => void }> {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on('unhandledRejection', onRejection);
  const watch = new TimerWatch((stack) => !isOurs(stack));
  const result = await work();
  return {
    result,
    leftovers: () => watch.leftovers(),
    rejections,
    done: () => {
      watch.dispose();
      process.off('unhandledRejection', onRejection);
    },
  };
}

const describeTimers = (timers: WatchedTimer[]) =>
  timers.map((t) => `${t.delayMs} ms${t.repeats ? ' (repeats)' : ''}\n${t.stack}`).join('\n\n');

/** Waits until `probe` holds (the answers of a stopped channel's last requests, say), at most `ms`. */
async function until(probe: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!probe() && Date.now() < end) await sleep(20);
}

/**
 * Lets the timers that end by themselves within a second end (Node's HTTP server caches its Date header for a
 * moment, for one), and cleared ones be reported (destroy hooks run a moment later): what is left after that stays.
 */
async function settled(leftovers: () => WatchedTimer[]): Promise<void> {
  await sleep(100);
  await until(() => leftovers().every((t) => t.repeats || t.delayMs > 1_000), 1_500);
}

/** A new user of the classic homeserver, and its sign-in through a new engine, by password or access token. */
async function classicSignIn(by: 'password' | 'access token') {
  const user = await createClassicUser(bed);
  const { engine } = testEngine();
  const signIn = () =>
    by === 'password'
      ? engine.signIn({
          accountId: 'c',
          config: { homeserver: bed.classic.baseUrl, userId: user.userId },
          secrets: { password: user.password },
        })
      : engine.signIn({
          accountId: 'c',
          config: { homeserver: bed.classic.baseUrl },
          secrets: { accessToken: user.accessToken },
        });
  return { engine, signIn };
}

describe('nothing left behind: sign-in', () => {
  const signIns: Array<[string, () => Promise<() => Promise<unknown>>]> = [
    ['password', async () => (await classicSignIn('password')).signIn],
    ['access token', async () => (await classicSignIn('access token')).signIn],
    [
      'OAuth (loopback)',
      async () => {
        const account = await createOAuthAccount(bed);
        const person = personAtBrowser(account);
        const { engine } = testEngine({ flows: [new LoopbackFlow()], openBrowser: person.openBrowser });
        return async () => {
          const signedIn = await engine.signIn({
            accountId: 'o',
            config: { homeserver: bed.delegated.baseUrl },
            secrets: {},
          });
          await person.finished();
          return signedIn;
        };
      },
    ],
    [
      'password sign-out',
      async () => {
        const { engine, signIn } = await classicSignIn('password');
        const { session } = await signIn();
        return async () => {
          const result = await engine.signOut('c', session);
          assert.equal(result.revoked, true);
          return result;
        };
      },
    ],
  ];
  for (const [name, prepare] of signIns) {
    it(`${name}: no timer left once it completed`, async () => {
      const run = await prepare();
      const { leftovers, rejections, done } = await watched(run);
      try {
        await settled(leftovers);
        assert.deepEqual(leftovers(), [], describeTimers(leftovers()));
        assert.deepEqual(rejections, []);
      } finally {
        done();
      }
    });
  }
});

interface Request {
  url: string;
  afterStop: boolean;
  settled: boolean;
}

/**
 * A channel of `user` whose session fetch records every request; `stopWhen` stops the channel as soon as a
 * request it matches is on the wire (the stop lands while that request is in flight).
 */
function channelOf(
  user: MatrixUser,
  options: {
    store?: MemorySyncStateStore;
    channelConfig?: ChannelConfig;
    pollTimeoutMs?: number;
    stopWhen?: (url: string) => boolean;
  } = {},
) {
  const log = new CapturedLog();
  const requests: Request[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= sync.stop();
    return stopping;
  };
  const recordingFetch: typeof fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const request = { url, afterStop: stopping !== undefined, settled: false };
    requests.push(request);
    const answer = fetch(input, init);
    const settle = () => void (request.settled = true);
    answer.then(settle, settle);
    if (!stopping && options.stopWhen?.(url)) void stop();
    return answer;
  };
  const channelConfig = options.channelConfig ?? config();
  const session = userSession(user, channelConfig.id, log, recordingFetch);
  const sync = new ChannelSync({
    accountId: channelConfig.id,
    session,
    config: () => channelConfig,
    store: options.store ?? new MemorySyncStateStore(),
    log: log.logger,
    pollTimeoutMs: options.pollTimeoutMs ?? 30_000,
  });
  const states: ChannelSyncState['state'][] = [];
  sync.onState((state) => states.push(state.state));
  return { sync, requests, states, stop, stopped: () => stopping, channelConfig };
}

type Channel = ReturnType<typeof channelOf>;

/** Everything a stopped channel must show: nothing running, nothing sent, nothing pending, nothing changing. */
async function assertLeftNothing(channel: Channel, watch: Awaited<ReturnType<typeof watched>>): Promise<void> {
  const { sync, requests, states } = channel;
  assert.ok(channel.stopped(), 'the channel was stopped');
  await channel.stopped();
  await until(() => requests.every((r) => r.settled));
  // Whatever the SDK would still do after the stop (a poll re-armed by a late answer, a retry) happens now.
  await sleep(300);
  const paths = requests.map((r) => new URL(r.url).pathname);
  assert.deepEqual(
    requests.filter((r) => r.afterStop).map((r) => new URL(r.url).pathname),
    [],
    'no request after the stop',
  );
  assert.deepEqual(
    requests.filter((r) => !r.settled).map((r) => new URL(r.url).pathname),
    [],
    `every request answered or cancelled (all: ${paths.join(', ')})`,
  );
  await settled(watch.leftovers);
  assert.deepEqual(watch.leftovers(), [], describeTimers(watch.leftovers()));
  assert.deepEqual(watch.rejections.map(String), [], 'no unhandled rejection');
  assert.equal(sync.state.state, 'stopped');
  assert.equal(states.at(-1), 'stopped', `states: ${states.join(' → ')}`);
  const seen = states.length;
  await sleep(200);
  assert.equal(sync.state.state, 'stopped', 'still stopped');
  assert.equal(states.length, seen, 'no state after the stop');
}

/** Runs `work` on a channel that it stops, then checks (`check`, then assertLeftNothing) what the stop left. */
async function leavesNothing(channel: Channel, work: () => Promise<void>, check?: () => void): Promise<void> {
  const watch = await watched(work);
  try {
    check?.();
    await assertLeftNothing(channel, watch);
  } finally {
    watch.done();
  }
}

/** Starts the channel and waits for the stop its `stopWhen` makes, and for the start to give up. */
async function startUntilStopped(channel: Channel): Promise<void> {
  const started = channel.sync.start();
  await until(() => channel.stopped() !== undefined, 20_000);
  await startSettles(channel, started);
}

/** The channel's start, which must settle (a stop wins over it) within a few seconds. */
async function startSettles(channel: Channel, started: Promise<void>): Promise<void> {
  const outcome = await Promise.race([
    started.then(
      () => 'resolved',
      (error: unknown) => `rejected: ${String(error)}`,
    ),
    sleep(10_000, 'still pending'),
  ]);
  assert.equal(
    outcome,
    'resolved',
    `start() after the stop (requests: ${channel.requests.map((r) => r.url).join(', ')})`,
  );
}

describe('nothing left behind: a live channel', () => {
  it('stopped after its first sync: the long poll is cancelled, no timer stays', async () => {
    const channel = channelOf(await createClassicUser(bed));
    const longPoll = (r: Request) => r.url.includes('/sync?') && r.url.includes('timeout=30000');
    await leavesNothing(
      channel,
      async () => {
        await channel.sync.start();
        await until(() => channel.sync.state.state === 'connected', 20_000);
        assert.equal(channel.sync.state.state, 'connected');
        await until(() => channel.requests.some(longPoll));
        await channel.stop();
      },
      () => assert.ok(channel.requests.some(longPoll), 'the long poll (30 s) was on the wire at the stop'),
    );
  });

  it('started, then stopped at once', async () => {
    const channel = channelOf(await createClassicUser(bed));
    await leavesNothing(channel, async () => {
      const started = channel.sync.start();
      void channel.stop();
      await startSettles(channel, started);
    });
  });

  const stopPoints: Array<[string, (url: string) => boolean]> = [
    ['during its bootstrap', (url) => isBootstrap(url)],
    ['while the SDK asks for /versions', (url) => url.endsWith('/_matrix/client/versions')],
    ['while the SDK reads the push rules', (url) => url.includes('/pushrules/')],
    ['while the SDK polls the capabilities', (url) => url.endsWith('/capabilities')],
    ['while the SDK uploads its filter', (url) => /\/user\/[^/]+\/filter/.test(url)],
    ['during the SDK first sync', (url) => url.includes('/sync?') && url.includes('since=')],
  ];
  for (const [when, stopWhen] of stopPoints) {
    it(`stopped ${when}`, async () => {
      const channel = channelOf(await createClassicUser(bed), { stopWhen });
      await leavesNothing(channel, () => startUntilStopped(channel));
    });
  }

  it('stopped while a resume reads m.direct: it does not report syncing afterwards', async () => {
    const user = await createClassicUser(bed);
    // A first run leaves a sync token and a room list to resume from.
    const store = new MemorySyncStateStore();
    const first = channelOf(user, { store });
    await first.sync.start();
    await until(() => first.sync.state.state === 'connected', 20_000);
    await first.sync.idle();
    await first.stop();
    assert.ok(store.get(first.channelConfig.id), 'a token to resume from');
    const channel = channelOf(user, {
      store,
      channelConfig: first.channelConfig,
      stopWhen: (url) => url.includes('/account_data/m.direct'),
    });
    await leavesNothing(
      channel,
      () => startUntilStopped(channel),
      () => {
        assert.ok(
          channel.requests.some((r) => r.url.includes('/account_data/m.direct')),
          'the resume read m.direct',
        );
        assert.ok(!channel.states.includes('syncing'), `states: ${channel.states.join(' → ')}`);
      },
    );
  });

  it('concurrent starts are one start; a start after the stop does nothing', async () => {
    const channel = channelOf(await createClassicUser(bed));
    const count = (match: (url: string) => boolean) => channel.requests.filter((r) => match(r.url)).length;
    await leavesNothing(
      channel,
      async () => {
        await Promise.all([channel.sync.start(), channel.sync.start(), channel.sync.start()]);
        await until(() => channel.sync.state.state === 'connected', 20_000);
        await channel.stop();
        await channel.sync.start();
      },
      () => {
        assert.equal(
          count((url) => isBootstrap(url)),
          1,
          'one bootstrap',
        );
        assert.equal(
          count((url) => url.endsWith('/pushrules/')),
          1,
          'one SDK client started',
        );
      },
    );
  });
});

/** The first start's own /sync (bootstrap.ts), which the SDK's syncs never look like. */
function isBootstrap(url: string): boolean {
  return /\/sync\?timeout=\d+&filter=/.test(url);
}
