/**
 * One sign-in of the "sign-in round trips" benchmark, through the product's core as the Sign In command runs
 * it: discovery to choose the method, then AccountService.signIn with a live channel (a ChannelSync, as the
 * extension builds it), until the account is connected. The requests are counted by the bed: at a recording
 * proxy in front of the homeserver, and by the OAuth server itself (GET /_bed/requests). The person's part
 * (the browser at the OAuth server's pages, entering a device code) is done by the bed's browser-like client.
 */
import { randomUUID } from 'node:crypto';
import type { BedInfo } from '../bed/bed.ts';
import { Browser } from '../bed/browser.ts';
import { createClassicUser, createOAuthAccount } from '../bed/matrix.ts';
import { ROUTES } from '../bed/oauth/provider-config.ts';
import { servedByOAuth, type RecordingProxy } from '../bed/recording-proxy.ts';
import { AccountService, type ChannelConfigStore } from '../../src/core/account/account-service.ts';
import { DeviceFlow, type DeviceCodePrompt } from '../../src/core/auth/oauth/flows/device.ts';
import type { HostKind, SignInFlow } from '../../src/core/auth/oauth/flows/flow.ts';
import { LoopbackFlow } from '../../src/core/auth/oauth/flows/loopback.ts';
import { SignInEngine } from '../../src/core/auth/sign-in-engine.ts';
import { CHANNEL_DEFAULTS, type ChannelConfig, type ChannelSecrets } from '../../src/core/channel/config.ts';
import { SessionStore } from '../../src/core/session/session-store.ts';
import { ChannelSync } from '../../src/core/sync/channel-sync.ts';
import { MemorySyncStateStore } from '../../src/core/sync/sync-state-store.ts';
import { CapturedLog, identity, MemorySecrets } from '../integration/core/support.ts';

export const METHODS = ['password', 'access_token', 'oauth_loopback', 'oauth_device'] as const;
export type MethodId = (typeof METHODS)[number];

export interface Trip {
  server: 'homeserver' | 'oauth';
  method: string;
  path: string;
  status: number;
  /** Epoch milliseconds when the server got it. */
  t: number;
}

export interface RunResult {
  method: MethodId;
  /** The client's requests from Sign In to connected, in the order they reached the servers. */
  client: Trip[];
  /** Device-code polls answered "not yet": they wait for the person, so they are listed, not counted. */
  waiting: Trip[];
  /** The browser's requests to the OAuth server's pages (the person's part). */
  browser: Trip[];
  /** The homeserver asking the OAuth server about a token: server to server, not the client's. */
  serverToServer: Trip[];
  /** What the client asked after connected, up to its sync loop's first long poll (start-up left over). */
  after: Trip[];
  /** Sign In to connected. */
  wallMs: number;
  /** Of that, the browser's (or the device page's) part. */
  browserMs: number;
}

export interface Target {
  bed: BedInfo;
  /** In front of the bed's classic (password) homeserver. */
  classic: RecordingProxy;
  /** In front of the bed's homeserver that delegates sign-in to the OAuth server. */
  delegated: RecordingProxy;
}

/** How long to wait for the sync loop's first long poll after connected. */
const LONG_POLL_WAIT_MS = 10_000;

/** A /sync that waits for news: the sync loop's (a first start's bootstrap waits a few milliseconds at most). */
const isLongPoll = (path: string) => /\/sync\?/.test(path) && Number(/[?&]timeout=(\d+)/.exec(path)?.[1] ?? 0) >= 1000;

/** Resolves once the proxy has seen a long-polling /sync (the loop is live), or after LONG_POLL_WAIT_MS. */
async function longPollSeen(proxy: RecordingProxy): Promise<void> {
  const until = Date.now() + LONG_POLL_WAIT_MS;
  while (!proxy.records.some((r) => isLongPoll(r.path)) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const BROWSER_PATHS = [ROUTES.authorization, '/interaction/', ROUTES.code_verification];
const isBrowserPath = (path: string) => BROWSER_PATHS.some((prefix) => path.startsWith(prefix));

/** The person at the browser: signs in at the OAuth server's pages and allows access, as fast as it can. */
class Person {
  private readonly visits: Array<Promise<void>> = [];
  browserMs = 0;

  constructor(
    private readonly credentials: { username: string; password: string },
    private readonly failed: (error: unknown) => void,
  ) {}

  /** The loopback flow's authorization URL; the last redirect reaches the client's loopback listener. */
  readonly openBrowser = (url: string): Promise<void> => {
    this.visit(async (browser) => {
      let page = await browser.navigate(url);
      if (page.body.includes('id="login"')) page = await browser.submit(page, this.credentials, { formId: 'login' });
      await browser.submit(page, {}, { formId: 'consent' });
    });
    return Promise.resolve();
  };

  /** The device flow's code, entered at the verification page. */
  readonly showCode = (prompt: DeviceCodePrompt): void => {
    this.visit(async (browser) => {
      const input = await browser.navigate(prompt.verificationUri);
      const confirm = await browser.submit(input, { user_code: prompt.userCode }, { formId: 'op.deviceInputForm' });
      const login = await browser.submit(confirm, {}, { formId: 'op.deviceConfirmForm' });
      const consent = await browser.submit(login, this.credentials, { formId: 'login' });
      await browser.submit(consent, {}, { formId: 'consent' });
    });
  };

  finished(): Promise<unknown> {
    return Promise.allSettled(this.visits);
  }

  private visit(steps: (browser: Browser) => Promise<void>): void {
    const started = Date.now();
    this.visits.push(
      steps(new Browser())
        .then(() => {
          this.browserMs += Date.now() - started;
        })
        .catch(this.failed),
    );
  }
}

interface Prepared {
  config: ChannelConfig;
  secrets: ChannelSecrets;
  credentials: { username: string; password: string };
  host: HostKind;
  flows: (person: Person) => SignInFlow[];
}

/** A new user for the method (made directly at the servers: setup, not counted) and what the person enters. */
async function prepare(target: Target, method: MethodId): Promise<Prepared> {
  const channel = (homeserver: string, extra: Partial<ChannelConfig>): ChannelConfig => ({
    ...CHANNEL_DEFAULTS,
    roomAllowlist: [],
    userAllowlist: [],
    id: `bench-${randomUUID().slice(0, 8)}`,
    homeserver,
    ...extra,
  });
  if (method === 'password' || method === 'access_token') {
    const user = await createClassicUser(target.bed);
    const credentials = { username: user.userId, password: user.password };
    const none = () => [];
    return method === 'password'
      ? {
          config: channel(target.classic.baseUrl, { authMode: 'password', userId: user.userId }),
          secrets: { password: user.password },
          credentials,
          host: 'local',
          flows: none,
        }
      : {
          config: channel(target.classic.baseUrl, { authMode: 'access_token' }),
          secrets: { accessToken: user.accessToken },
          credentials,
          host: 'local',
          flows: none,
        };
  }
  const account = await createOAuthAccount(target.bed);
  return {
    config: channel(target.delegated.baseUrl, { authMode: 'oidc' }),
    secrets: {},
    credentials: account,
    // The device flow is what a remote or web editor uses; the loopback flow needs a local one.
    host: method === 'oauth_loopback' ? 'local' : 'remote',
    flows: (person) =>
      method === 'oauth_loopback' ? [new LoopbackFlow()] : [new DeviceFlow({ showCode: person.showCode })],
  };
}

function upToLongPoll(trips: Trip[]): Trip[] {
  const poll = trips.findIndex((trip) => isLongPoll(trip.path));
  return poll < 0 ? trips : trips.slice(0, poll + 1);
}

class MemoryConfigs implements ChannelConfigStore {
  private configs: ChannelConfig[] = [];
  list() {
    return this.configs;
  }
  upsert(config: ChannelConfig) {
    this.configs = [...this.configs.filter((c) => c.id !== config.id), config];
    return Promise.resolve();
  }
  remove(id: string) {
    this.configs = this.configs.filter((c) => c.id !== id);
    return Promise.resolve();
  }
}

/** Signs a new user in with `method` and reports the requests from Sign In to connected. */
export async function signInOnce(target: Target, method: MethodId): Promise<RunResult> {
  const prepared = await prepare(target, method);
  const proxy = method.startsWith('oauth') ? target.delegated : target.classic;
  const abort = new AbortController();
  let browserError: unknown;
  const person = new Person(prepared.credentials, (error) => {
    browserError = error;
    abort.abort();
  });
  const log = new CapturedLog();
  const engine = new SignInEngine({
    identity,
    host: prepared.host,
    flows: prepared.flows(person),
    openBrowser: person.openBrowser,
    store: new SessionStore(new MemorySecrets(), log.logger),
    log: log.logger,
  });
  const syncState = new MemorySyncStateStore();
  const service = new AccountService({
    configs: new MemoryConfigs(),
    engine: () => Promise.resolve(engine),
    log: log.logger,
    // As the extension makes it (src/extension.ts): the default timeline limit and long-poll timeout.
    channels: ({ accountId, session, config }) =>
      new ChannelSync({ accountId, session, config, store: syncState, log: log.logger }),
  });
  const id = prepared.config.id;
  let connected: { t: number; seen: number } | undefined;
  service.onDidChange(() => {
    // The homeserver requests seen at this moment are exactly those before connected.
    if (!connected && service.account(id)?.status.state === 'connected')
      connected = { t: Date.now(), seen: proxy.records.length };
  });
  const { last: cursor } = await servedByOAuth(target.bed);
  proxy.clear();
  const started = Date.now();
  try {
    // The Sign In command looks the server up to choose the method, then signs in (src/vscode/commands/sign-in.ts).
    await engine.discover(prepared.config.homeserver, abort.signal);
    await service.signIn(prepared.config, prepared.secrets, { signal: abort.signal, timeoutMs: 60_000 });
    if (!connected) {
      throw new Error(`signed in, but the account is ${service.account(id)?.status.state ?? 'gone'}, not connected`);
    }
    const at = connected;
    await longPollSeen(proxy);
    const clientId = service.session(id)?.session.clientId;
    const homeserverTrips: Trip[] = proxy.records.map((r) => ({ server: 'homeserver', ...r }));
    const { records } = await servedByOAuth(target.bed, cursor);
    const oauthTrips = records.map((r): Trip & { clientId?: string } => ({ server: 'oauth', ...r }));
    const ours = oauthTrips.filter((r) => r.clientId !== undefined && r.clientId === clientId);
    const isClient = (r: Trip) => !isBrowserPath(r.path);
    const beforeConnected = homeserverTrips.slice(0, at.seen).concat(ours.filter((r) => isClient(r) && r.t <= at.t));
    const isWaiting = (r: Trip) => r.server === 'oauth' && r.path === ROUTES.token && r.status === 400;
    const byTime = (a: Trip, b: Trip) => a.t - b.t;
    return {
      method,
      client: beforeConnected.filter((r) => !isWaiting(r)).sort(byTime),
      waiting: beforeConnected.filter(isWaiting).sort(byTime),
      // Pages the server cannot tie to a client (the device flow's code entry) are listed when they came meanwhile.
      browser: oauthTrips
        .filter((r) => isBrowserPath(r.path) && (r.clientId === clientId || (!r.clientId && r.t >= started)))
        .filter((r) => r.t <= at.t),
      serverToServer: oauthTrips.filter((r) => r.path === ROUTES.introspection && r.t <= at.t),
      after: upToLongPoll(homeserverTrips.slice(at.seen)),
      wallMs: at.t - started,
      browserMs: person.browserMs,
    };
  } catch (error) {
    throw browserError ?? error;
  } finally {
    await service.signOut(id).catch(() => undefined);
    await service.dispose();
    abort.abort();
    await person.finished();
  }
}
