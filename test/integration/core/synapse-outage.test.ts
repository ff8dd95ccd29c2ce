/**
 * Issue 6, "Done when": stopping Synapse during sync shows "reconnecting", then "connected" after it restarts,
 * with no message lost or notified twice. A real outage, not a failing fetch: this test runs its own classic
 * Synapse (the shared bed's serves parallel tests and must stay up), stops it with SIGTERM while the channel
 * long-polls /sync, and starts it again on the same port and data dir (SQLite keeps the rooms, events and
 * tokens; SynapseServer keeps its signing key and secrets across the restart).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MatrixApi, registerUser } from '../../bed/matrix.ts';
import { repoRoot, resultsDir } from '../../bed/paths.ts';
import { freePort } from '../../bed/ports.ts';
import { ensureSynapseInstalled, SynapseServer } from '../../bed/synapse.ts';
import { CHANNEL_DEFAULTS, type ChannelConfig } from '../../../src/core/channel/config.ts';
import { ManagedSession } from '../../../src/core/session/managed-session.ts';
import { SessionStore } from '../../../src/core/session/session-store.ts';
import { ChannelSync, type ChannelMessage, type ChannelSyncState } from '../../../src/core/sync/channel-sync.ts';
import { MemorySyncStateStore } from '../../../src/core/sync/sync-state-store.ts';
import { CapturedLog, MemorySecrets } from './support.ts';

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The channel's state now (a function, so TypeScript does not narrow it across awaits). */
const stateOf = (channel: ChannelSync): ChannelSyncState['state'] => channel.state.state;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('core: a real Synapse outage during sync', () => {
  const dataDir = join(resultsDir, `synapse-outage-${randomBytes(4).toString('hex')}`);
  const log = new CapturedLog();
  /** Every state the channel reported, with when (for the "retry time is in the future" check). */
  const states: Array<ChannelSyncState & { at: number }> = [];
  let server: SynapseServer | undefined;
  let sync: ChannelSync | undefined;
  let session: ManagedSession | undefined;
  let passed = false;

  before(async () => {
    server = new SynapseServer({ name: 'outage', port: await freePort(), dataDir, python: ensureSynapseInstalled() });
    await server.start();
  });

  after(async () => {
    try {
      await sync?.stop();
      session?.dispose();
    } finally {
      await server?.stop();
    }
    if (passed) {
      await rm(dataDir, { recursive: true, force: true });
    } else {
      // Keep the evidence: Synapse's log (both runs) next to the channel's log and states.
      await writeFile(
        join(dataDir, 'channel.log'),
        `${log.lines.join('\n')}\n\nstates:\n${states.map((s) => JSON.stringify(s)).join('\n')}\n`,
      ).catch(() => {});
      console.error(`synapse-outage: logs kept in ${relative(repoRoot, dataDir)}/ (synapse.log, channel.log)`);
    }
  });

  it('stopping Synapse shows "reconnecting", its restart "connected"; no message lost or notified twice', async (t) => {
    assert.ok(server);
    const homeserver = server.baseUrl;
    const [owner, sender] = await Promise.all([registerUser(server), registerUser(server)]);
    const owners = new MatrixApi(homeserver, owner.accessToken);
    const senders = new MatrixApi(homeserver, sender.accessToken);
    const roomId = await senders.createRoom({ name: 'Outage', invite: [owner.userId] });
    await owners.join(roomId);

    const config: ChannelConfig = {
      ...CHANNEL_DEFAULTS,
      id: 'ch-outage',
      homeserver,
      roomPolicy: 'allowlist',
      roomAllowlist: [roomId],
      userAllowlist: [],
      mentionMode: 'always',
    };
    session = new ManagedSession({
      accountId: config.id,
      session: {
        homeserver,
        userId: owner.userId,
        deviceId: owner.deviceId,
        authMode: 'password',
        accessToken: owner.accessToken,
      },
      store: new SessionStore(new MemorySecrets(), log.logger),
      log: log.logger,
    });
    const channel = new ChannelSync({
      accountId: config.id,
      session,
      config: () => config,
      store: new MemorySyncStateStore(),
      log: log.logger,
      pollTimeoutMs: 2_000,
      backoff: { initialMs: 300, maxMs: 1_200, healthyMs: 60_000 },
    });
    sync = channel;
    const messages: ChannelMessage[] = [];
    channel.onMessage((message) => messages.push(message));
    channel.onState((state) => states.push({ ...state, at: Date.now() }));
    await channel.start();
    await waitFor('connected', () => stateOf(channel) === 'connected');
    // A couple of long polls, so the outage hits a /sync in flight, not the start-up.
    await sleep(2_500);

    const sent: string[] = [await senders.sendText(roomId, 'message 1')];
    await waitFor('message 1', () => messages.find((m) => m.body === 'message 1'));
    await channel.idle();
    assert.equal(stateOf(channel), 'connected');

    // The outage: SIGTERM while the channel long-polls /sync.
    const stoppedAt = Date.now();
    const beforeOutage = states.length;
    await server.stop();
    const firstRetry = await waitFor(
      'reconnecting',
      () => states.slice(beforeOutage).find((s) => s.state === 'reconnecting'),
      15_000,
    );
    assert.ok(firstRetry.state === 'reconnecting');
    assert.ok(
      firstRetry.retryAt >= stoppedAt && firstRetry.retryAt > firstRetry.at,
      'the next retry time is given, in the future',
    );
    assert.equal(firstRetry.reason, 'The homeserver cannot be reached.');
    // It keeps trying while the server is down (the retries fail: the port is closed), and stays reconnecting.
    await waitFor(
      'retries while down',
      () => states.slice(beforeOutage).filter((s) => s.state === 'reconnecting').length >= 3,
      15_000,
    );
    const down = states.slice(beforeOutage);
    assert.ok(
      down.every((s) => s.state === 'reconnecting' && s.retryAt > s.at),
      `only reconnecting while down: ${down.map((s) => s.state).join(' ')}`,
    );
    assert.equal(stateOf(channel), 'reconnecting');
    assert.equal(messages.length, 1, 'nothing is emitted while the server is down');

    // The restart: same port, same data dir. Message 2 goes out at once (most likely before the channel's
    // next retry), message 3 once the channel is connected again.
    await server.start();
    const restartedAt = Date.now();
    sent.push(await senders.sendText(roomId, 'message 2'));
    const sentWhileReconnecting = stateOf(channel) === 'reconnecting';
    await waitFor('connected again', () => stateOf(channel) === 'connected', 15_000);
    const reconnectedAt = Date.now();
    sent.push(await senders.sendText(roomId, 'message 3'));
    await waitFor(
      'message 2 and 3',
      () => messages.some((m) => m.body === 'message 2') && messages.some((m) => m.body === 'message 3'),
    );
    // A few more long polls: a late duplicate would show up here.
    await sleep(3_000);
    await channel.idle();

    assert.deepEqual(
      messages.map((m) => m.body),
      ['message 1', 'message 2', 'message 3'],
      'each message once, in order',
    );
    assert.deepEqual(
      messages.map((m) => m.eventId),
      sent,
      'the very events that were sent',
    );
    assert.equal(new Set(messages.map((m) => m.eventId)).size, messages.length, 'no event notified twice');
    assert.ok(messages.every((m) => m.roomId === roomId && m.sender === sender.userId && m.roomName === 'Outage'));

    // States: syncing, connected, then one outage (reconnecting, however many retries), then connected for good.
    const runs = states.map((s) => s.state).filter((state, i, all) => i === 0 || all[i - 1] !== state);
    assert.deepEqual(
      runs,
      ['syncing', 'connected', 'reconnecting', 'connected'],
      `states: ${states.map((s) => s.state).join(' ')}`,
    );
    assert.equal(
      states.some((s) => s.state === 'needs_sign_in' || s.state === 'stopped'),
      false,
    );
    const retries = states.filter((s) => s.state === 'reconnecting');
    const lastRetry = retries.at(-1)!;
    const connectedAgain = states.at(-1)!;
    assert.ok(
      lastRetry.state === 'reconnecting' && connectedAgain.at >= lastRetry.retryAt - 50,
      'connected again at the announced retry, not before',
    );
    assert.ok(
      log.lines.some((line) => /sync failed \(.*\); retrying in \d+\.\d s/.test(line)),
      'the outage is in the log',
    );
    log.assertFree([owner.accessToken, sender.accessToken]);
    t.diagnostic(
      `down ${restartedAt - stoppedAt} ms, ${retries.length} retries, connected again ${reconnectedAt - restartedAt} ms after the restart; message 2 sent ${sentWhileReconnecting ? 'before' : 'after'} that`,
    );
    passed = true;
  });
});
