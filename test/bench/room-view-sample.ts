/**
 * One sample of the room-view benchmark (room-view.ts), in a fresh process (`--expose-gc`): input in
 * BENCH_SAMPLE, the result printed for the parent. `ours` opens the room the way a room view does
 * (RoomTimeline over /messages, folded and sanitized); `default` is matrix-js-sdk's own timeline of a started
 * client (the click comes after its first sync, as in an editor that is already connected).
 */
import { performance } from 'node:perf_hooks';
import { ClientEvent, createClient, SyncState, type MatrixClient } from 'matrix-js-sdk';
import { historyPage, tokenBefore } from '../../src/core/timeline/room-history.ts';
import { RoomTimeline } from '../../src/core/timeline/room-timeline.ts';
import { sanitizeMatrixHtml } from '../../src/core/timeline/sanitize-html.ts';
import type { TimelineItem } from '../../src/core/timeline/timeline-item.ts';
import { reportFromFreshProcess } from './fresh-process.ts';

export interface RoomViewSampleInput {
  variant: 'ours' | 'default';
  baseUrl: string;
  userId: string;
  accessToken: string;
  deviceId: string;
  roomId: string;
  /** Events one view holds when paged back (the window's bound). */
  window: number;
}

export interface RoomViewSampleResult {
  firstViewMs: number;
  /** What the first view shows (ours only), for the page's draw. */
  firstItems?: TimelineItem[];
  pageBackMs: number;
  heapBytes: number;
}

const FIRST_PAGE = 50;

function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

async function ours(input: RoomViewSampleInput): Promise<RoomViewSampleResult> {
  const requester = {
    homeserver: input.baseUrl,
    fetch: ((url, init) =>
      fetch(url, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${input.accessToken}` },
      })) as typeof fetch,
  };
  // Connected already, as the SDK's client is when its click comes: the HTTP client is warm.
  await (await requester.fetch(`${input.baseUrl}/_matrix/client/v3/account/whoami`)).json();
  const before = heapAfterGc();
  const started = performance.now();
  const timeline = new RoomTimeline(
    {
      page: (from) => historyPage(requester, input.roomId, { limit: FIRST_PAGE, ...(from ? { from } : {}) }),
      tokenBefore: (eventId) => tokenBefore(requester, input.roomId, eventId),
    },
    { me: input.userId, maxEvents: input.window, sanitize: (html) => sanitizeMatrixHtml(html).html },
  );
  await timeline.open();
  let items = timeline.items();
  const firstViewMs = performance.now() - started;
  const firstItems = items;
  const paging = performance.now();
  while (timeline.size < input.window && (await timeline.loadOlder())) items = timeline.items();
  const pageBackMs = performance.now() - paging;
  const heapBytes = heapAfterGc() - before;
  if (items.length === 0) throw new Error('nothing to show');
  return { firstViewMs, firstItems, pageBackMs, heapBytes };
}

async function sdkDefault(input: RoomViewSampleInput): Promise<RoomViewSampleResult> {
  const client: MatrixClient = createClient({
    baseUrl: input.baseUrl,
    accessToken: input.accessToken,
    userId: input.userId,
    deviceId: input.deviceId,
  });
  await new Promise<void>((resolve) => {
    client.on(ClientEvent.Sync, (state) => {
      if (state === SyncState.Prepared) resolve();
    });
    void client.startClient({ initialSyncLimit: 20, lazyLoadMembers: true });
  });
  const room = client.getRoom(input.roomId);
  if (!room) throw new Error('the room is not in the first sync');
  const events = () => room.getLiveTimeline().getEvents().length;
  const before = heapAfterGc();
  const started = performance.now();
  while (events() < FIRST_PAGE) await client.scrollback(room, FIRST_PAGE - events());
  const firstViewMs = performance.now() - started;
  const paging = performance.now();
  while (events() < input.window) {
    const had = events();
    await client.scrollback(room, Math.min(FIRST_PAGE, input.window - had));
    if (events() === had) break;
  }
  const pageBackMs = performance.now() - paging;
  const heapBytes = heapAfterGc() - before;
  client.stopClient();
  return { firstViewMs, pageBackMs, heapBytes };
}

const input = JSON.parse(process.env['BENCH_SAMPLE'] ?? '{}') as RoomViewSampleInput;
reportFromFreshProcess(input.variant === 'ours' ? ours(input) : sdkDefault(input));
