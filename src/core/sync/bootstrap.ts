/**
 * The first start of a channel (no stored sync token), made cheap. An initial sync is history only:
 * nothing in it is ever delivered. Through the SDK it would still bring every joined room's whole state and a
 * few timeline events each, and the SDK would keep a Room for every one of them. Instead, one
 * `/sync?timeout=0` asks for no events but the three state events the room list shows (name, canonical alias,
 * encryption), no receipts or typing, and of the account data only `m.direct`. It gives:
 *
 * - a fresh sync token: everything after it is new (live);
 * - the room list: name (else canonical alias, else the summary's heroes, else the room ID), encryption,
 *   DM-ness from `m.direct`, and the server's unread and mention counts;
 * - the pending invites and `m.direct`, handed to the SDK once as a "saved sync" (its store's
 *   `getSavedSync`), so it reports them as usual (MyMembership 'invite', AccountData).
 *
 * From then on the channel resumes from the token like after a restart: a room's state is fetched when its
 * first event needs it. Parsing the response is pure (`parseBootstrap`), so it is tested without a server.
 */
import { requestDeadline } from '../abort.ts';
import { MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';
import { callApi, type RoomRequester } from './room-requests.ts';
import type { SyncCryptoChanges } from '../crypto/channel-crypto.ts';
import type { RoomSummary } from './room-list.ts';
import { directRoomIds } from './sdk-rooms.ts';

/** What matrix-js-sdk's store hands its sync loop instead of a first /sync (`Store.getSavedSync`). */
export type SavedSync = NonNullable<Awaited<ReturnType<import('matrix-js-sdk').MemoryStore['getSavedSync']>>>;

/**
 * The account data a channel syncs: its direct rooms, and what the encryption reads (the secret storage's keys
 * and the secrets it holds, encrypted, and the key backup's key).
 */
export const SYNCED_ACCOUNT_DATA = Object.freeze([
  'm.direct',
  'm.secret_storage.*',
  'm.cross_signing.*',
  'm.megolm_backup.v1',
]);

/** No events but the room list's state, no receipts or typing; of each event the fields we read. */
export const BOOTSTRAP_FILTER = Object.freeze({
  presence: { types: [] },
  account_data: { types: SYNCED_ACCOUNT_DATA },
  room: {
    timeline: { limit: 0 },
    // Lazy loading members also makes the server send each room's summary (its heroes, for unnamed rooms).
    state: { types: ['m.room.name', 'm.room.canonical_alias', 'm.room.encryption'], lazy_load_members: true },
    ephemeral: { types: [] },
    account_data: { types: [] },
    include_leave: false,
  },
  event_fields: ['type', 'state_key', 'content', 'sender'],
});

/** How long the bootstrap may take before it counts as failed (a server assembling thousands of rooms). */
const BOOTSTRAP_TIMEOUT_MS = 120_000;

export interface Bootstrap {
  /** The sync token to resume from: what happens after it is live. */
  nextBatch: string;
  /** The joined rooms. */
  rooms: RoomSummary[];
  /** The rooms `m.direct` lists (DMs). */
  directRooms: Set<string>;
  /** The pending invites and the account data, for the SDK's store. */
  saved: SavedSync;
  /** For the encryption: to-device messages (room keys), key counts, changed devices. */
  crypto: SyncCryptoChanges;
}

interface StrippedEvent {
  type?: unknown;
  state_key?: unknown;
  content?: unknown;
}

interface JoinedRoom {
  state?: { events?: StrippedEvent[] };
  summary?: { 'm.heroes'?: unknown; 'm.joined_member_count'?: unknown; 'm.invited_member_count'?: unknown };
  unread_notifications?: { notification_count?: unknown; highlight_count?: unknown };
}

interface BootstrapResponse {
  next_batch?: unknown;
  to_device?: { events?: unknown };
  device_lists?: { changed?: unknown; left?: unknown };
  device_one_time_keys_count?: unknown;
  device_unused_fallback_key_types?: unknown;
  rooms?: { join?: Record<string, JoinedRoom>; invite?: SavedSync['roomsData']['invite'] };
  account_data?: { events?: StrippedEvent[] };
}

/** The one-off /sync of a first start, parsed. */
export async function fetchBootstrap(requester: RoomRequester, signal?: AbortSignal): Promise<Bootstrap> {
  const deadline = requestDeadline(BOOTSTRAP_TIMEOUT_MS, signal);
  const url = bootstrapUrl(requester.homeserver);
  try {
    const body = await callApi<unknown>(requester, url, { method: 'GET', signal: deadline.signal }, 'first_sync');
    return parseBootstrap(body);
  } finally {
    deadline.dispose();
  }
}

/**
 * The bootstrap request, never the same twice in a row. A homeserver may answer an identical /sync from a cache
 * (Synapse keeps answers for 2 minutes, keyed by the request): a second first start with the same access token
 * (a reload right after signing in) would get the first one's sync token, and what was sent in between would
 * arrive as new. The timeout is part of that key and means nothing to an initial sync (servers answer it at
 * once), so it differs per request: a few milliseconds at most.
 */
export function bootstrapUrl(homeserver: string, random: () => number = Math.random): string {
  const timeout = 1 + Math.floor(random() * 999);
  return `${homeserver}/_matrix/client/v3/sync?timeout=${timeout}&filter=${encodeURIComponent(JSON.stringify(BOOTSTRAP_FILTER))}`;
}

/** A bootstrap /sync response as the channel needs it; throws when it has no sync token. */
export function parseBootstrap(body: unknown): Bootstrap {
  const response = (isObject(body) ? body : {}) as BootstrapResponse;
  if (typeof response.next_batch !== 'string' || response.next_batch === '') {
    throw new MatrixChannelError(
      'unexpected_response',
      l10n.t('The first sync failed: the homeserver sent no sync token.'),
    );
  }
  const accountData = (Array.isArray(response.account_data?.events) ? response.account_data.events : []).filter(
    isObject,
  );
  const directRooms = directRoomIds(accountData.find((event) => event.type === 'm.direct')?.content);
  const joined = isObject(response.rooms?.join) ? response.rooms.join : {};
  const invite = isObject(response.rooms?.invite) ? response.rooms.invite : {};
  return {
    nextBatch: response.next_batch,
    rooms: Object.entries(joined).map(([roomId, room]) =>
      roomSummaryOf(roomId, isObject(room) ? room : {}, directRooms),
    ),
    directRooms,
    saved: {
      nextBatch: response.next_batch,
      roomsData: { join: {}, invite, leave: {}, knock: {} },
      accountData: accountData.filter(
        (event): event is { type: string; content: Record<string, unknown> } =>
          typeof event.type === 'string' && isObject(event.content),
      ),
    },
    crypto: cryptoChangesOf(response),
  };
}

/** The encryption-relevant part of a sync response, with what is malformed left out. */
export function cryptoChangesOf(response: BootstrapResponse): SyncCryptoChanges {
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
  const counts = isObject(response.device_one_time_keys_count)
    ? Object.fromEntries(
        Object.entries(response.device_one_time_keys_count).filter(
          (entry): entry is [string, number] => typeof entry[1] === 'number',
        ),
      )
    : undefined;
  const changed = strings(response.device_lists?.changed);
  const left = strings(response.device_lists?.left);
  const fallback = strings(response.device_unused_fallback_key_types);
  return {
    toDeviceEvents: (Array.isArray(response.to_device?.events) ? response.to_device.events : []).filter(isObject),
    ...(changed || left ? { deviceLists: { ...(changed ? { changed } : {}), ...(left ? { left } : {}) } } : {}),
    ...(counts ? { oneTimeKeysCounts: counts } : {}),
    ...(fallback ? { unusedFallbackKeys: fallback } : {}),
  };
}

/** One joined room of the bootstrap as the room list shows it. */
export function roomSummaryOf(roomId: string, room: JoinedRoom, directRooms: ReadonlySet<string>): RoomSummary {
  const events = Array.isArray(room.state?.events) ? room.state.events.filter(isObject) : [];
  const content = (type: string): Record<string, unknown> | undefined => {
    const event = events.findLast((e) => e.type === type && (e.state_key ?? '') === '');
    return event && isObject(event.content) ? event.content : undefined;
  };
  const counts = room.unread_notifications ?? {};
  const alias = nonEmpty(content('m.room.canonical_alias')?.['alias']);
  return {
    roomId,
    name: nonEmpty(content('m.room.name')?.['name']) ?? alias ?? heroesName(room.summary) ?? roomId,
    ...(alias ? { alias } : {}),
    isDirect: directRooms.has(roomId),
    encrypted: content('m.room.encryption') !== undefined,
    unread: count(counts.notification_count),
    mentions: count(counts.highlight_count),
  };
}

/**
 * An unnamed room's name from its summary's heroes (user IDs: display names are not in the bootstrap, so
 * their localparts): "alice", "alice and bob", "alice, bob and carol", "alice, bob and 3 others",
 * "Empty room (was alice)". Undefined without heroes.
 */
export function heroesName(summary: JoinedRoom['summary']): string | undefined {
  const heroes = Array.isArray(summary?.['m.heroes'])
    ? summary['m.heroes'].filter((id): id is string => typeof id === 'string' && id !== '')
    : [];
  if (heroes.length === 0) return undefined;
  const names = heroes.map(localpart);
  const joined = count(summary?.['m.joined_member_count']);
  const invited = count(summary?.['m.invited_member_count']);
  const known = summary?.['m.joined_member_count'] !== undefined || summary?.['m.invited_member_count'] !== undefined;
  // We are one of the members; with nobody else left, the heroes are who used to be there.
  if (known && joined + invited <= 1)
    return l10n.t({
      message: 'Empty room (was {0})',
      args: [list(names)],
      comment: ['A room\'s name: {0} lists who used to be in it, such as "alice and bob"'],
    });
  const others = known ? joined + invited - 1 - names.length : 0;
  if (others === 1)
    return l10n.t({
      message: '{0} and 1 other',
      args: [series(names)],
      comment: ['A room\'s name: {0} lists people in it, such as "alice, bob"'],
    });
  if (others > 1)
    return l10n.t({
      message: '{0} and {1} others',
      args: [series(names), others],
      comment: [
        'A room\'s name: {0} lists people in it, such as "alice, bob"; {1} is a number of other people, 2 or more',
      ],
    });
  return list(names);
}

/** "@alice:example.org" → "alice". */
function localpart(userId: string): string {
  const colon = userId.indexOf(':');
  const name = userId.slice(userId.startsWith('@') ? 1 : 0, colon > 0 ? colon : undefined);
  return name || userId;
}

/** "alice", "alice and bob", "alice, bob and carol". */
function list(names: string[]): string {
  return names.length <= 1
    ? names.join('')
    : l10n.t({
        message: '{0} and {1}',
        args: [series(names.slice(0, -1)), names.at(-1)!],
        comment: ['Names in a list: {0} is one name, or several already separated; {1} is the last name'],
      });
}

/** "alice, bob, carol": names one after the other, as the person's language separates them. */
function series(names: string[]): string {
  return names.reduce((before, name) =>
    l10n.t({
      message: '{0}, {1}',
      args: [before, name],
      comment: ['Names in a list: {0} is one name, or several already separated; {1} is the next name'],
    }),
  );
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function isObject(value: unknown): value is Record<string, unknown> & StrippedEvent {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
