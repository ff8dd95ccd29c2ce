/**
 * What the live-channel integration suites share: a channel config on the bed's classic homeserver, a live
 * ChannelSync for a user that records what it emits, a room shared by two users, and polling.
 */
import { randomBytes } from 'node:crypto';
import { after, describe } from 'node:test';
import { currentBed } from '../../bed/current.ts';
import { waitFor } from '../../bed/wait-for.ts';
import { MatrixApi, registerUser, type MatrixUser } from '../../bed/matrix.ts';
import { CHANNEL_DEFAULTS, type ChannelConfig } from '../../../src/core/channel/config.ts';
import { ManagedSession } from '../../../src/core/session/managed-session.ts';
import { SessionStore } from '../../../src/core/session/session-store.ts';
import {
  ChannelSync,
  type ChannelInvite,
  type ChannelMessage,
  type ChannelSyncState,
} from '../../../src/core/sync/channel-sync.ts';
import { MemorySyncStateStore } from '../../../src/core/sync/sync-state-store.ts';
import type { BackoffOptions } from '../../../src/core/sync/backoff.ts';
import type { CryptoPlace } from '../../../src/core/crypto/channel-crypto.ts';
import { CapturedLog, MemorySecrets } from './support.ts';

export { waitFor };

export const bed = currentBed();
export const baseUrl = bed.classic.baseUrl;

/** A classic homeserver of the bed that live-channel tests run against. */
export interface TestHomeserver {
  name: 'Synapse' | 'Dendrite';
  baseUrl: string;
  serverName: string;
  registrationSecret: string;
  /**
   * Whether its unread and mention counts can be held to exact numbers. Dendrite (0.13.8) counts a local invite
   * twice, reports no highlights, lacks the intentional-mention push rules and pushes count changes late.
   */
  exactCounts: boolean;
}

/** The bed's Synapse, and its Dendrite when the bed runs one (the test runner's bed does). */
export const HOMESERVERS: readonly TestHomeserver[] = [
  { name: 'Synapse', ...bed.classic, exactCounts: true },
  ...(bed.dendrite ? [{ name: 'Dendrite' as const, ...bed.dendrite, exactCounts: false }] : []),
];

/**
 * For a suite run on every homeserver: the ones this bed lacks show as skipped, saying why, so that a run on a
 * bed without Dendrite (test/bed/run.ts without --dendrite) cannot pass for a run on both.
 */
export function skipMissingHomeservers(title: (name: string) => string): void {
  if (!bed.dendrite)
    describe(title('Dendrite'), { skip: 'this bed runs no Dendrite (test/bed/run.ts starts one with --dendrite)' });
}

/** A new user of `server`. */
export function userOn(server: TestHomeserver): Promise<MatrixUser> {
  return registerUser(server);
}

/** A channel of a user of `server`. */
export const configOn = (server: TestHomeserver, extra: Partial<ChannelConfig> = {}): ChannelConfig =>
  config({ homeserver: server.baseUrl, ...extra });

export const config = (extra: Partial<ChannelConfig> = {}): ChannelConfig => ({
  ...CHANNEL_DEFAULTS,
  roomAllowlist: [],
  userAllowlist: [],
  id: `ch-${randomBytes(3).toString('hex')}`,
  homeserver: baseUrl,
  ...extra,
});

/** The session of a classic-homeserver user, over `fetch`. */
export function userSession(user: MatrixUser, accountId: string, log: CapturedLog, fetch: typeof globalThis.fetch) {
  return new ManagedSession({
    accountId,
    session: {
      homeserver: user.homeserver ?? baseUrl,
      userId: user.userId,
      deviceId: user.deviceId,
      authMode: 'password',
      accessToken: user.accessToken,
    },
    store: new SessionStore(new MemorySecrets(), log.logger),
    log: log.logger,
    fetch,
  });
}

/** A live channel for `user`, recording what it emits (and the /sync requests it makes). */
export const started: ChannelSync[] = [];
after(async () => {
  await Promise.all(started.map((sync) => sync.stop()));
});

/** `who` is a classic-homeserver user (a password session is made for it), or a session made elsewhere. */
export async function liveChannel(
  who: MatrixUser | ManagedSession,
  channelConfig: ChannelConfig,
  store = new MemorySyncStateStore(),
  extra: { fetch?: typeof fetch; backoff?: BackoffOptions; crypto?: CryptoPlace } = {},
) {
  const log = new CapturedLog();
  const syncUrls: string[] = [];
  const recordingFetch: typeof fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.includes('/sync')) syncUrls.push(url);
    return (extra.fetch ?? fetch)(input, init);
  };
  const session = who instanceof ManagedSession ? who : userSession(who, channelConfig.id, log, recordingFetch);
  let current = channelConfig;
  const sync = new ChannelSync({
    accountId: channelConfig.id,
    session,
    config: () => current,
    store,
    log: log.logger,
    pollTimeoutMs: 2_000,
    ...(extra.backoff ? { backoff: extra.backoff } : {}),
    ...(extra.crypto ? { crypto: extra.crypto } : {}),
  });
  const messages: ChannelMessage[] = [];
  const invites: ChannelInvite[] = [];
  const states: ChannelSyncState[] = [];
  sync.onMessage((message) => messages.push(message));
  sync.onInvite((invite) => invites.push(invite));
  sync.onState((state) => states.push(state));
  started.push(sync);
  await sync.start();
  await waitFor('connected', () => sync.state.state === 'connected');
  return {
    sync,
    messages,
    invites,
    states,
    log,
    store,
    syncUrls,
    setConfig(next: ChannelConfig) {
      current = next;
    },
    bodies: () => messages.map((m) => m.body),
    async until(body: string) {
      return waitFor(`message "${body}"`, () => messages.find((m) => m.body === body));
    },
  };
}

/** A room of `owner` that `member` joined. */
export async function sharedRoom(
  owner: MatrixApi,
  member: MatrixApi,
  memberId: string,
  options: { name?: string; encrypted?: boolean } = {},
) {
  const roomId = await owner.createRoom({
    name: options.name ?? 'Room',
    invite: [memberId],
    ...(options.encrypted ? { encrypted: true } : {}),
  });
  await member.join(roomId);
  return roomId;
}

/** Two new users of a classic homeserver: `me` (the channel's owner) and `other`, with an API client each. */
export async function twoUsers(
  server: TestHomeserver = HOMESERVERS[0]!,
): Promise<{ me: MatrixUser; other: MatrixUser; mine: MatrixApi; theirs: MatrixApi }> {
  const [me, other] = await Promise.all([userOn(server), userOn(server)]);
  return {
    me,
    other,
    mine: new MatrixApi(server.baseUrl, me.accessToken),
    theirs: new MatrixApi(server.baseUrl, other.accessToken),
  };
}

/** Three new users of a classic homeserver: `me`, a `friend` and a `stranger`, with an API client each. */
export async function threeUsers(server: TestHomeserver) {
  const [me, friend, stranger] = await Promise.all([userOn(server), userOn(server), userOn(server)]);
  const api = (user: MatrixUser) => new MatrixApi(server.baseUrl, user.accessToken);
  return { me, friend, stranger, mine: api(me), friends: api(friend), strangers: api(stranger) };
}
