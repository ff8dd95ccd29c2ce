import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MatrixChannelError, isMatrixChannelError } from '../../../src/core/errors.ts';
import { createLogger } from '../../../src/core/log.ts';
import {
  ManagedSession,
  type RefreshLock,
  type RefreshedTokens,
  type RenewalTrouble,
} from '../../../src/core/session/managed-session.ts';
import { SessionStore } from '../../../src/core/session/session-store.ts';
import type { SecretStore, Session } from '../../../src/core/session/session.ts';

class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();
  saveDelayMs = 0;
  failSaves = false;
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    await sleep(this.saveDelayMs);
    if (this.failSaves) throw new Error('disk full');
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}

const log = createLogger({ log: () => {} });

/** A homeserver stand-in that accepts exactly one access token at a time (the tests set which). */
let server: Server;
let baseUrl = '';
let acceptedToken = 'access-1';
const seenTokens: string[] = [];
before(async () => {
  server = createServer((req, res) => {
    const token = (req.headers.authorization ?? '').replace('Bearer ', '');
    seenTokens.push(token);
    if (token === acceptedToken)
      return res.writeHead(200, { 'content-type': 'application/json' }).end('{"user_id":"@a:hs"}');
    const softLogout = req.url?.includes('soft');
    res
      .writeHead(401, { 'content-type': 'application/json' })
      .end(JSON.stringify({ errcode: 'M_UNKNOWN_TOKEN', soft_logout: Boolean(softLogout) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function session(overrides: Partial<Session> = {}): Session {
  return {
    homeserver: baseUrl,
    userId: '@a:hs',
    deviceId: 'DEVICE0001',
    authMode: 'oidc',
    accessToken: 'access-1',
    refreshToken: 'refresh-1',
    expiresAt: Date.now() + 300_000,
    clientId: 'c',
    issuer: 'i',
    ...overrides,
  };
}

/** A scripted token endpoint: each call returns the next numbered pair, or throws what the test queues. */
function scriptedRefresh() {
  const calls: string[] = [];
  const failures: MatrixChannelError[] = [];
  let n = 1;
  const refreshTokens = async (s: Session): Promise<RefreshedTokens> => {
    calls.push(s.refreshToken ?? '');
    await sleep(20);
    const failure = failures.shift();
    if (failure) throw failure;
    n++;
    return { accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresAt: Date.now() + 300_000 };
  };
  return { refreshTokens, calls, failures };
}

function managed(
  options: {
    session?: Session;
    secrets?: MemorySecrets;
    lock?: RefreshLock;
    refresh?: ReturnType<typeof scriptedRefresh>;
    onRenewalTrouble?: (trouble: RenewalTrouble | undefined) => void;
  } = {},
) {
  const secrets = options.secrets ?? new MemorySecrets();
  const store = new SessionStore(secrets, log);
  const refresh = options.refresh ?? scriptedRefresh();
  const ended: MatrixChannelError[] = [];
  const changes: Session[] = [];
  const m = new ManagedSession({
    accountId: 'a1',
    session: options.session ?? session(),
    store,
    log,
    refreshTokens: refresh.refreshTokens,
    retry: { initialMs: 30, maxMs: 120 },
    onEnded: (reason) => ended.push(reason),
    onChange: (s) => changes.push(s),
    ...(options.lock ? { lock: options.lock } : {}),
    ...(options.onRenewalTrouble ? { onRenewalTrouble: options.onRenewalTrouble } : {}),
  });
  return { m, secrets, store, refresh, ended, changes };
}

describe('ManagedSession', () => {
  it('runs one refresh for many concurrent callers', async () => {
    const { m, refresh } = managed();
    const results = await Promise.all([m.refresh(), m.refresh(), m.refresh(), m.refresh()]);
    assert.deepEqual(refresh.calls, ['refresh-1']);
    assert.ok(results.every((s) => s.accessToken === 'access-2'));
    m.dispose();
  });

  it('persists the rotated pair before anyone can use it', async () => {
    const secrets = new MemorySecrets();
    secrets.saveDelayMs = 50;
    const { m } = managed({ secrets });
    const pending = m.refresh();
    await sleep(30); // the token endpoint answered; the save is still running
    assert.equal(m.session.accessToken, 'access-1', 'not switched before the save completed');
    await pending;
    assert.equal(m.session.accessToken, 'access-2');
    assert.equal((JSON.parse([...secrets.values.values()][0]!) as { refreshToken: string }).refreshToken, 'refresh-2');
    m.dispose();
  });

  it('keeps the old tokens when the rotated pair cannot be saved, and tries again later', async () => {
    const secrets = new MemorySecrets();
    secrets.failSaves = true;
    const { m, ended, refresh } = managed({ secrets });
    await assert.rejects(m.refresh(), (e) => isMatrixChannelError(e, 'storage_failed'));
    assert.equal(m.session.accessToken, 'access-1');
    assert.deepEqual(ended, []);
    secrets.failSaves = false;
    for (let i = 0; i < 40 && m.session.accessToken === 'access-1'; i++) await sleep(20);
    assert.deepEqual(refresh.calls, ['refresh-1', 'refresh-1']);
    assert.equal(m.session.accessToken, 'access-3');
    m.dispose();
  });

  it('retries transient failures with backoff on the same refresh token, then recovers', async () => {
    const refresh = scriptedRefresh();
    refresh.failures.push(new MatrixChannelError('unreachable', 'down'), new MatrixChannelError('server_error', '502'));
    const { m, ended } = managed({ refresh });
    await assert.rejects(m.refresh(), (e) => isMatrixChannelError(e, 'unreachable'));
    for (let i = 0; i < 40 && m.session.accessToken === 'access-1'; i++) await sleep(20);
    assert.deepEqual(refresh.calls, ['refresh-1', 'refresh-1', 'refresh-1'], 'retried by itself with the same token');
    assert.equal(m.session.accessToken, 'access-2');
    assert.deepEqual(ended, []);
    m.dispose();
  });

  it('ends the session only on a refusal: invalid_grant, invalid_client, unauthorized_client', async () => {
    const passing = [
      new MatrixChannelError('unexpected_response', 'an HTML page', { code: '502' }),
      new MatrixChannelError('server_error', 'busy', { code: '429' }),
      new MatrixChannelError('authorization_failed', 'odd', { code: 'temporarily_unavailable' }),
      new MatrixChannelError('oauth_not_offered', 'discovery answered oddly'),
      new MatrixChannelError('timed_out', 'slow'),
    ];
    for (const failure of passing) {
      const refresh = scriptedRefresh();
      refresh.failures.push(failure);
      const { m, ended } = managed({ refresh });
      await assert.rejects(m.refresh());
      assert.deepEqual(ended, [], `${failure.kind} (${failure.code}) does not end the session`);
      assert.equal(m.renewable, true);
      m.dispose();
    }
    for (const code of ['invalid_grant', 'invalid_client', 'unauthorized_client']) {
      const refresh = scriptedRefresh();
      refresh.failures.push(new MatrixChannelError('authorization_failed', 'refused', { code }));
      const { m, ended } = managed({ refresh });
      await assert.rejects(m.refresh());
      assert.equal(ended.length, 1, `${code} ends the session`);
      assert.equal(m.renewable, false);
      m.dispose();
    }
  });

  it('reports renewals in trouble (what, and when next), retries at once on request, and clears on success', async () => {
    const refresh = scriptedRefresh();
    refresh.failures.push(
      new MatrixChannelError('server_error', 'HTTP 503', { code: '503', retryAfterMs: 60_000 }),
      new MatrixChannelError('unreachable', 'no route'),
    );
    const seen: Array<RenewalTrouble | undefined> = [];
    const { m } = managed({ refresh, onRenewalTrouble: (trouble) => seen.push(trouble) });
    const before = Date.now();
    await assert.rejects(m.refresh());
    assert.deepEqual(
      seen.map((t) => t && [t.summary, t.reason, t.failures]),
      [['sign-in server unavailable', 'HTTP 503', 1]],
    );
    assert.ok(seen[0]!.retryAt >= before + 60_000, 'the next try is when the server asked');
    assert.equal(m.renewalTrouble, seen[0]);
    await m.retryNow();
    assert.equal(refresh.calls.length, 2, 'tried at once, not in a minute');
    assert.deepEqual(
      seen.map((t) => t && [t.summary, t.failures]),
      [
        ['sign-in server unavailable', 1],
        ['sign-in server unreachable', 2],
      ],
    );
    await m.retryNow();
    assert.equal(m.session.accessToken, 'access-2');
    assert.equal(seen.at(-1), undefined, 'cleared by the renewal that worked');
    assert.equal(m.renewalTrouble, undefined);
    await m.retryNow();
    assert.equal(refresh.calls.length, 3, 'nothing to retry once renewals work');
    m.dispose();
  });

  it('waits as long as the server asks (Retry-After) before trying again', async () => {
    const refresh = scriptedRefresh();
    refresh.failures.push(new MatrixChannelError('server_error', 'busy', { code: '429', retryAfterMs: 400 }));
    const { m } = managed({ refresh });
    await assert.rejects(m.refresh());
    await sleep(250);
    assert.equal(refresh.calls.length, 1, 'not before the server said (the backoff alone would be 30 ms)');
    for (let i = 0; i < 40 && m.session.accessToken === 'access-1'; i++) await sleep(20);
    assert.equal(refresh.calls.length, 2);
    assert.equal(m.session.accessToken, 'access-2');
    m.dispose();
  });

  it('ends the session once, with the reason, when the server refuses the refresh', async () => {
    const refresh = scriptedRefresh();
    refresh.failures.push(new MatrixChannelError('authorization_failed', 'refused', { code: 'invalid_grant' }));
    const { m, ended } = managed({ refresh });
    await assert.rejects(m.refresh(), (e) => isMatrixChannelError(e, 'session_expired') && e.code === 'invalid_grant');
    await assert.rejects(m.refresh(), (e) => isMatrixChannelError(e, 'session_expired'));
    assert.equal(ended.length, 1);
    const response = await m.fetch(`${baseUrl}/whoami`);
    assert.equal(response.status, 401, 'an ended session answers like the homeserver would');
    assert.equal(refresh.calls.length, 1);
    m.dispose();
  });

  it('refreshes on 401 M_UNKNOWN_TOKEN and retries the request once with the new token', async () => {
    acceptedToken = 'access-2';
    const { m, refresh } = managed();
    const responses = await Promise.all([m.fetch(`${baseUrl}/a`), m.fetch(`${baseUrl}/b`), m.fetch(`${baseUrl}/c`)]);
    assert.deepEqual(
      responses.map((r) => r.status),
      [200, 200, 200],
    );
    assert.deepEqual(refresh.calls, ['refresh-1'], 'three failed requests, one refresh');
    m.dispose();
    acceptedToken = 'access-1';
  });

  it('refreshes before a request when the token is about to expire', async () => {
    acceptedToken = 'access-2';
    seenTokens.length = 0;
    const { m, refresh } = managed({ session: session({ expiresAt: Date.now() + 500 }) });
    assert.equal((await m.fetch(`${baseUrl}/x`)).status, 200);
    assert.deepEqual(seenTokens, ['access-2'], 'the expiring token was never sent');
    assert.equal(refresh.calls.length, 1);
    m.dispose();
    acceptedToken = 'access-1';
  });

  it('refreshes proactively a quarter of the remaining lifetime before expiry', async () => {
    const { m, refresh, changes } = managed({ session: session({ expiresAt: Date.now() + 1_600 }) });
    m.start();
    await sleep(300);
    assert.equal(refresh.calls.length, 0, 'not yet');
    for (let i = 0; i < 50 && changes.length === 0; i++) await sleep(20);
    assert.equal(refresh.calls.length, 1);
    assert.ok(changes[0]!.expiresAt! > Date.now() + 200_000);
    m.dispose();
  });

  it('adopts tokens another window stored under the lock instead of spending the refresh token again', async () => {
    const secrets = new MemorySecrets();
    const store = new SessionStore(secrets, log);
    const order: string[] = [];
    const lock: RefreshLock = {
      async withLock(key, fn) {
        order.push(`lock ${key}`);
        // Another window refreshed while we waited for the lock.
        await store.save('a1', session({ accessToken: 'access-other', refreshToken: 'refresh-other' }));
        return fn();
      },
    };
    const { m, refresh } = managed({ secrets, lock });
    const result = await m.refresh();
    assert.equal(result.accessToken, 'access-other');
    assert.deepEqual(refresh.calls, [], 'our refresh token was not used');
    assert.deepEqual(order, ['lock a1']);
    m.dispose();
  });

  it('ends a session without a refresh token on 401: soft logout → expired, otherwise revoked', async () => {
    acceptedToken = 'nothing';
    const soft = managed({ session: session({ authMode: 'password', refreshToken: undefined, expiresAt: undefined }) });
    await soft.m.fetch(`${baseUrl}/soft`);
    assert.equal(soft.ended[0]?.kind, 'session_expired');
    const hard = managed({ session: session({ authMode: 'password', refreshToken: undefined, expiresAt: undefined }) });
    await hard.m.fetch(`${baseUrl}/hard`);
    assert.equal(hard.ended[0]?.kind, 'session_revoked');
    acceptedToken = 'access-1';
  });

  it('once disposed sends nothing, spends no refresh token and reports no end', async () => {
    const { m, ended, refresh } = managed({ session: session({ refreshToken: undefined }) });
    m.dispose();
    const seen = seenTokens.length;
    const response = await m.fetch(`${baseUrl}/_matrix/client/v3/account/whoami`);
    assert.equal(response.status, 401, 'whatever still holds its fetch is told to stop');
    assert.equal(seenTokens.length, seen, 'nothing reached the homeserver');
    await assert.rejects(m.refresh());
    assert.deepEqual(refresh.calls, []);
    assert.deepEqual(ended, [], 'a put-away session is not news');
  });

  it('leaves no timer behind when disposed', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const { m } = managed();
    m.start();
    m.dispose();
    const afterDispose = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    assert.equal(afterDispose, before);
  });
});
