import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { currentBed } from '../../bed/current.ts';
import { createOAuthAccount } from '../../bed/matrix.ts';
import { BedOAuthClient } from '../../bed/oauth-client.ts';
import { LoopbackFlow } from '../../../src/core/auth/oauth/flows/loopback.ts';
import { isMatrixChannelError, type MatrixChannelError } from '../../../src/core/errors.ts';
import { createMatrixClient } from '../../../src/core/matrix/sdk.ts';
import { oauthSession, testEngine } from './engine.ts';
import { handleCounts, personAtBrowser, redirectUriOf } from './support.ts';

const bed = currentBed();

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function settledCounts(expected: {
  servers: number;
  timers: number;
}): Promise<{ servers: number; timers: number }> {
  for (let i = 0; i < 20; i++) {
    const now = handleCounts();
    if (now.servers <= expected.servers && now.timers <= expected.timers) return now;
    await sleep(50);
  }
  return handleCounts();
}

describe('core engine: abandoned flows leave nothing behind', () => {
  it('a cancelled sign-in closes its listener, clears its timers and stores nothing', async () => {
    const account = await createOAuthAccount(bed);
    const person = personAtBrowser(account, 'ignore');
    const { engine, secrets } = testEngine({ flows: [new LoopbackFlow()], openBrowser: person.openBrowser });
    const before = handleCounts();
    const controller = new AbortController();
    const attempt = engine.signIn({
      accountId: 'c',
      config: { homeserver: bed.delegated.baseUrl },
      secrets: {},
      signal: controller.signal,
    });
    while (person.opened.length === 0) await sleep(20);
    const port = Number(redirectUriOf(person.opened[0]!).port);
    assert.equal(await portIsClosed(port), false, 'listening while the browser leg runs');
    controller.abort();
    await assert.rejects(attempt, (error) => isMatrixChannelError(error, 'cancelled'));
    assert.equal(await portIsClosed(port), true, 'listener closed');
    assert.deepEqual(await settledCounts(before), before, 'no server or timer left');
    assert.equal(secrets.values.size, 0);
  });

  it('a sign-in nobody finishes times out with its own message and leaves nothing', async () => {
    const account = await createOAuthAccount(bed);
    const person = personAtBrowser(account, 'ignore');
    const { engine, secrets } = testEngine({ flows: [new LoopbackFlow()], openBrowser: person.openBrowser });
    const before = handleCounts();
    const started = Date.now();
    await assert.rejects(
      engine.signIn({ accountId: 't', config: { homeserver: bed.delegated.baseUrl }, secrets: {}, timeoutMs: 1_500 }),
      (error: MatrixChannelError) => isMatrixChannelError(error, 'timed_out') && /within 2 seconds/.test(error.message),
    );
    assert.ok(Date.now() - started < 3_000);
    assert.equal(await portIsClosed(Number(redirectUriOf(person.opened[0]!).port)), true);
    assert.deepEqual(await settledCounts(before), before);
    assert.equal(secrets.values.size, 0);
  });
});

describe('core engine: living with short tokens', () => {
  it('keeps a minute of continuous API calls working with 5-second access tokens', async () => {
    const { engine, session, store, log } = await oauthSession({ accessTokenTtl: 5 });
    const refreshed: string[] = [];
    const managed = engine.manage('acct', session, { onChange: (s) => refreshed.push(s.accessToken) });
    const client = await createMatrixClient({
      baseUrl: session.homeserver,
      accessToken: session.accessToken,
      userId: session.userId,
      fetchFn: managed.fetch,
    });
    let calls = 0;
    const failures: string[] = [];
    const until = Date.now() + 60_000;
    try {
      while (Date.now() < until) {
        try {
          const result = await client.whoami();
          if (result.user_id !== session.userId) failures.push(`wrong user ${result.user_id}`);
        } catch (error) {
          failures.push(String(error));
        }
        calls++;
        await sleep(100);
      }
    } finally {
      managed.dispose();
    }
    assert.deepEqual(failures, [], `${failures.length} of ${calls} calls failed`);
    assert.ok(calls > 300, `${calls} calls`);
    assert.ok(refreshed.length >= 12, `refreshed ${refreshed.length} times`);
    const stored = await store.load('acct');
    assert.equal(stored?.accessToken, managed.session.accessToken, 'the rotated pair is what is stored');
    log.assertFree([session.accessToken, session.refreshToken, ...refreshed]);
  });

  it('ends the session with a reason when the refresh is refused (4xx), exactly once', async () => {
    const { engine, session, log } = await oauthSession();
    const client = await BedOAuthClient.fromHomeserver(bed.delegated.baseUrl);
    assert.equal(await client.revoke(session.clientId!, session.refreshToken!, 'refresh_token'), 200);
    const ended: MatrixChannelError[] = [];
    const managed = engine.manage('acct', session, { onEnded: (reason) => ended.push(reason) });
    await assert.rejects(managed.refresh(), (error) => isMatrixChannelError(error, 'session_expired'));
    await assert.rejects(managed.refresh(), (error) => isMatrixChannelError(error, 'session_expired'));
    assert.equal(ended.length, 1);
    assert.equal(ended[0]!.code, 'invalid_grant');
    assert.match(ended[0]!.message, /Sign in again/);
    managed.dispose();
    log.assertFree([session.accessToken, session.refreshToken]);
  });
});
