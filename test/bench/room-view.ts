/**
 * `npm run bench:room-view`: what opening a room view costs for a room with a long history, against
 * matrix-js-sdk's own timeline in the same run. Seeds a room with BENCH_ROOM_EVENTS messages (10 000) on the
 * classic Synapse of the bed in MATRIX_BED (or of its own bed), then, in fresh Node processes (BENCH_SAMPLES each,
 * 5; after one discarded warm-up each), measures:
 * - first view: from the click to the view's first page ready to draw (ours: RoomTimeline.open() and the fold,
 *   sanitizer included; the SDK's: a started client's room timeline back-paginated to the same 50 events);
 * - heap held by one view paged back to the window's bound (500 events), after a GC, against the SDK's timeline
 *   holding the same events.
 * - the page's draw of that first view: the built webview in headless Chromium, from the view posted to the
 *   next frame, against the same messages drawn as a bare list (room-view-draw.ts); with the host's part, the
 *   first paint after the click.
 * Prints medians and ratios; asserts nothing. `--smoke`: 300 events, 2 samples, a bound of 200.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startBed, type BedInfo } from '../bed/bed.ts';
import { MatrixApi, createClassicUser } from '../bed/matrix.ts';
import { repoRoot, resultsDir } from '../bed/paths.ts';
import { runFreshProcess } from './fresh-process.ts';
import { freshDevice, inParallel } from './seed.ts';
import type { RoomViewSampleInput, RoomViewSampleResult } from './room-view-sample.ts';
import { drawTimes } from './room-view-draw.ts';

const smoke = process.argv.includes('--smoke');
const setting = (name: string, normal: number, quick: number) => Number(process.env[name] ?? (smoke ? quick : normal));
const EVENTS = setting('BENCH_ROOM_EVENTS', 10_000, 300);
const SAMPLES = setting('BENCH_SAMPLES', 5, 2);
const WINDOW = setting('BENCH_ROOM_WINDOW', 500, 200);
const log = (line: string) => console.log(line);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function seedRoom(bed: BedInfo) {
  const [me, other] = await Promise.all([createClassicUser(bed), createClassicUser(bed)]);
  const theirs = new MatrixApi(bed.classic.baseUrl, other.accessToken);
  const roomId = await theirs.createRoom({ name: 'Long history', invite: [me.userId] });
  await new MatrixApi(bed.classic.baseUrl, me.accessToken).join(roomId);
  const started = performance.now();
  const numbers = Array.from({ length: EVENTS }, (_, i) => i + 1);
  await inParallel(numbers, 16, async (n) => {
    const body = `message ${n}: ${randomBytes(12).toString('hex')}`;
    // Every tenth formatted, as code and links are: the sanitizer's share is in the measure.
    const formatted = n % 10 === 0 ? { format: 'org.matrix.custom.html', formatted_body: `<p><b>${body}</b></p>` } : {};
    await theirs.sendText(roomId, body, formatted);
  });
  log(`seeded ${EVENTS} messages in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { me, roomId };
}

function sample(input: RoomViewSampleInput): Promise<RoomViewSampleResult> {
  return runFreshProcess<RoomViewSampleResult>(
    `${input.variant} sample`,
    join(repoRoot, 'test', 'bench', 'room-view-sample.ts'),
    { env: { BENCH_SAMPLE: JSON.stringify(input) }, nodeOptions: ['--expose-gc'] },
  );
}

async function main() {
  const shared = process.env.MATRIX_BED ? (JSON.parse(process.env.MATRIX_BED) as BedInfo) : undefined;
  const own = shared ? undefined : await startBed({ logDir: join(resultsDir, 'bench-room-view', 'bed'), log });
  const bed = shared ?? own!.info;
  try {
    const { me, roomId } = await seedRoom(bed);
    const results: Record<'ours' | 'default', RoomViewSampleResult[]> = { ours: [], default: [] };
    for (let round = 0; round <= SAMPLES; round++) {
      for (const variant of ['ours', 'default'] as const) {
        const device = await freshDevice(bed.classic.baseUrl, me);
        const result = await sample({
          variant,
          baseUrl: bed.classic.baseUrl,
          userId: me.userId,
          ...device,
          roomId,
          window: WINDOW,
        });
        if (round > 0) results[variant].push(result); // round 0 warms up
      }
    }
    const row = (label: string, pick: (r: RoomViewSampleResult) => number, unit: (v: number) => string) => {
      const ours = median(results.ours.map(pick));
      const theirs = median(results.default.map(pick));
      log(
        `${label.padEnd(34)}${unit(ours).padStart(12)}${unit(theirs).padStart(12)}${`${(theirs / ours).toFixed(2)}x`.padStart(14)}`,
      );
    };
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const mb = (v: number) => `${(v / 1048576).toFixed(2)} MB`;
    log('');
    log(`a room of ${EVENTS} messages, median of ${SAMPLES} fresh processes`);
    log(`${''.padEnd(34)}${'ours'.padStart(12)}${'default'.padStart(12)}${'default/ours'.padStart(14)}`);
    row('click → first page ready (50)', (r) => r.firstViewMs, ms);
    row(`heap of one view (${WINDOW} events)`, (r) => r.heapBytes, mb);
    row(`paging back to ${WINDOW} events`, (r) => r.pageBackMs, ms);
    const first = median(results.ours.map((r) => r.firstViewMs));
    const items = results.ours.find((r) => r.firstItems)?.firstItems ?? [];
    const drawn = await drawTimes(
      {
        type: 'timeline',
        room: { accountId: 'bench', roomId },
        roomName: 'Long history',
        me: me.userId,
        items,
        names: {},
        hasOlder: true,
        loadingOlder: false,
      },
      SAMPLES,
    );
    if (typeof drawn === 'string') {
      log(`page draw skipped: ${drawn}`);
      log(`goal: first view ≤ 300 ms after the click: ${first <= 300 ? 'met' : 'NOT met'} (${ms(first)}, host side)`);
    } else {
      const page = median(drawn.page);
      const bare = median(drawn.bare);
      log(
        `${`page draw of it (${items.length} messages)`.padEnd(34)}${ms(page).padStart(12)}${ms(bare).padStart(12)}${`${(bare / page).toFixed(2)}x`.padStart(14)}  (bare list/ours)`,
      );
      const paint = first + page;
      log(
        `goal: first paint ≤ 300 ms after the click: ${paint <= 300 ? 'met' : 'NOT met'} (${ms(paint)}: host ${ms(first)} + page ${ms(page)})`,
      );
    }
    log(
      `(ours: RoomTimeline over /messages; default: matrix-js-sdk startClient + scrollback; Node ${process.versions.node})`,
    );
  } finally {
    await own?.stop();
  }
}

await main();
