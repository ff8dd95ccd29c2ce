/** Builds a SignInEngine wired to the bed for tests, with its log captured and secrets in memory. */
import assert from 'node:assert/strict';
import { SignInEngine } from '../../../src/core/auth/sign-in-engine.ts';
import type { HostKind, SignInFlow } from '../../../src/core/auth/oauth/flows/flow.ts';
import { SessionStore } from '../../../src/core/session/session-store.ts';
import { LoopbackFlow } from '../../../src/core/auth/oauth/flows/loopback.ts';
import { currentBed } from '../../bed/current.ts';
import { createOAuthAccount, MatrixApi } from '../../bed/matrix.ts';
import type { MatrixChannelError } from '../../../src/core/errors.ts';
import type { ManagedSession } from '../../../src/core/session/managed-session.ts';
import type { Session } from '../../../src/core/session/session.ts';
import { waitFor } from './live-support.ts';
import { CapturedLog, MemorySecrets, identity, personAtBrowser } from './support.ts';

export function testEngine(
  options: {
    flows?: SignInFlow[];
    host?: HostKind;
    openBrowser?: (url: string) => Promise<void>;
    secrets?: MemorySecrets;
  } = {},
) {
  const log = new CapturedLog();
  const secrets = options.secrets ?? new MemorySecrets();
  const store = new SessionStore(secrets, log.logger);
  const engine = new SignInEngine({
    identity,
    host: options.host ?? 'local',
    flows: options.flows ?? [],
    openBrowser:
      options.openBrowser ??
      (async () => {
        throw new Error('no browser in this test');
      }),
    store,
    log: log.logger,
  });
  return { engine, log, secrets, store };
}

/** A fresh OAuth account on the delegated homeserver, signed in through the engine (loopback flow). */
export async function oauthSession(options: { accessTokenTtl?: number; secrets?: MemorySecrets } = {}) {
  const bed = currentBed();
  const account = await createOAuthAccount(
    bed,
    options.accessTokenTtl ? { accessTokenTtl: options.accessTokenTtl } : {},
  );
  const person = personAtBrowser(account);
  const context = testEngine({
    flows: [new LoopbackFlow()],
    openBrowser: person.openBrowser,
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
  const { session } = await context.engine.signIn({
    accountId: 'acct',
    config: { homeserver: bed.delegated.baseUrl },
    secrets: {},
  });
  return { ...context, session, account };
}

/**
 * Waits until the managed session renewed itself, then checks what a renewal must leave: the new pair stored, the
 * homeserver taking it, the session never ended, and no token in the log. Resolves with the renewed session.
 */
export async function assertRenewsByItself(context: {
  managed: ManagedSession;
  session: Session;
  store: SessionStore;
  ended: MatrixChannelError[];
  log: CapturedLog;
}): Promise<Session> {
  const { managed, session, store, ended, log } = context;
  const renewed = await waitFor('a renewed session', () =>
    managed.session.refreshToken !== session.refreshToken ? managed.session : undefined,
  );
  assert.equal((await store.load('acct'))?.refreshToken, renewed.refreshToken, 'the renewed pair is stored');
  const whoami = await new MatrixApi(currentBed().delegated.baseUrl, renewed.accessToken).whoami();
  assert.equal(whoami.user_id, session.userId);
  assert.deepEqual(ended, [], 'the session did not end');
  log.assertFree([session.accessToken, session.refreshToken, renewed.accessToken, renewed.refreshToken]);
  return renewed;
}
