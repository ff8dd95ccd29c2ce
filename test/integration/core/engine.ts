/** Builds a SignInEngine wired to the bed for tests, with its log captured and secrets in memory. */
import { SignInEngine } from '../../../src/core/auth/sign-in-engine.ts';
import type { HostKind, SignInFlow } from '../../../src/core/auth/oauth/flows/flow.ts';
import { SessionStore } from '../../../src/core/session/session-store.ts';
import { LoopbackFlow } from '../../../src/core/auth/oauth/flows/loopback.ts';
import { currentBed } from '../../bed/current.ts';
import { createOAuthAccount } from '../../bed/matrix.ts';
import { CapturedLog, MemorySecrets, identity, personAtBrowser } from './support.ts';

export function testEngine(
  options: { flows?: SignInFlow[]; host?: HostKind; openBrowser?: (url: string) => Promise<void> } = {},
) {
  const log = new CapturedLog();
  const secrets = new MemorySecrets();
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
export async function oauthSession(options: { accessTokenTtl?: number } = {}) {
  const bed = currentBed();
  const account = await createOAuthAccount(bed, options);
  const person = personAtBrowser(account);
  const context = testEngine({ flows: [new LoopbackFlow()], openBrowser: person.openBrowser });
  const { session } = await context.engine.signIn({
    accountId: 'acct',
    config: { homeserver: bed.delegated.baseUrl },
    secrets: {},
  });
  return { ...context, session, account };
}
