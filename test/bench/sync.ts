/**
 * `npm run bench:sync`: the cost of a live channel for a user in many rooms, against a default matrix-js-sdk
 * client in the same run. Starts its own classic Synapse (test-results/bench-sync/, a random port; or uses the
 * classic homeserver of the bed in MATRIX_BED), seeds a user joined to BENCH_ROOMS rooms (500) with BENCH_HISTORY messages each (3), then, in fresh Node processes
 * (BENCH_SAMPLES each, 3; interleaved, after one discarded warm-up each), measures the initial sync: /sync
 * response bytes, wall time to ready, heap and RSS growth. The last sample of each client also measures
 * message-sent → shown latency over BENCH_MESSAGES messages (40; ours: to the notification batcher's flush, the
 * editor's path; the default client: to its timeline event). Prints medians and ratios,
 * writes results.json; asserts nothing.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../bed/ports.ts';
import { repoRoot, resultsDir } from '../bed/paths.ts';
import { ensureSynapseInstalled, SynapseServer, SYNAPSE_VERSION } from '../bed/synapse.ts';
import type { Variant } from './clients.ts';
import type { SampleInput, SampleResult } from './sample.ts';
import { runFreshProcess } from './fresh-process.ts';
import { freshDevice, seed, type Homeserver, type Seeded } from './seed.ts';
import type { BedInfo } from '../bed/bed.ts';

const setting = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ROOMS = setting('BENCH_ROOMS', 500);
const HISTORY = setting('BENCH_HISTORY', 3);
const SAMPLES = setting('BENCH_SAMPLES', 3);
const MESSAGES = setting('BENCH_MESSAGES', 40);
const PARALLEL = setting('BENCH_PARALLEL', 8);
const GAP_MS = 150;
const VARIANTS: readonly Variant[] = ['ours', 'default'];
const out = join(resultsDir, 'bench-sync');
const log = (line: string) => console.log(line);

function runSample(input: SampleInput): Promise<SampleResult> {
  return runFreshProcess<SampleResult>(`${input.variant} sample`, join(repoRoot, 'test', 'bench', 'sample.ts'), {
    env: { BENCH_SAMPLE: JSON.stringify(input) },
    nodeOptions: ['--expose-gc'],
  });
}

async function sample(
  server: Homeserver,
  seeded: Seeded,
  variant: Variant,
  withLatency: boolean,
): Promise<SampleResult> {
  const device = await freshDevice(server.baseUrl, seeded.me);
  return runSample({
    variant,
    account: { baseUrl: server.baseUrl, userId: seeded.me.userId, ...device },
    ...(withLatency
      ? {
          latency: {
            senderToken: seeded.other.accessToken,
            roomIds: seeded.roomIds.slice(-MESSAGES),
            count: MESSAGES,
            gapMs: GAP_MS,
          },
        }
      : {}),
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
/** Nearest-rank percentile. */
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(p * values.length) - 1)] ?? NaN;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(2)} MB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const ratio = (baseline: number, ours: number) => (ours > 0 ? baseline / ours : Infinity);

function summarize(runs: SampleResult[]) {
  const latency = runs.flatMap((run) => run.latencyMs ?? []);
  return {
    syncBytes: median(runs.map((r) => r.syncBytes)),
    totalBytes: median(runs.map((r) => r.totalBytes)),
    syncResponses: median(runs.map((r) => r.syncResponses)),
    wallMs: median(runs.map((r) => r.wallMs)),
    heapDeltaBytes: median(runs.map((r) => r.heapDeltaBytes)),
    rssDeltaBytes: median(runs.map((r) => r.rssDeltaBytes)),
    latency: latency.length
      ? {
          count: latency.length,
          p50: percentile(latency, 0.5),
          p95: percentile(latency, 0.95),
          max: Math.max(...latency),
        }
      : undefined,
  };
}

function report(seeded: Seeded, ours: ReturnType<typeof summarize>, baseline: ReturnType<typeof summarize>) {
  const ratios = {
    syncBytes: ratio(baseline.syncBytes, ours.syncBytes),
    totalBytes: ratio(baseline.totalBytes, ours.totalBytes),
    wall: ratio(baseline.wallMs, ours.wallMs),
    heap: ratio(baseline.heapDeltaBytes, ours.heapDeltaBytes),
    rss: ratio(baseline.rssDeltaBytes, ours.rssDeltaBytes),
  };
  const row = (label: string, a: string, b: string, r: number) =>
    log(`${label.padEnd(26)}${a.padStart(12)}${b.padStart(12)}${`${r.toFixed(2)}x`.padStart(16)}`);
  log('');
  log(`initial sync of ${ROOMS} rooms (${HISTORY} messages each), median of ${SAMPLES} fresh processes per client`);
  log(`${''.padEnd(26)}${'ours'.padStart(12)}${'default'.padStart(12)}${'default/ours'.padStart(16)}`);
  row('/sync response bytes', mb(ours.syncBytes), mb(baseline.syncBytes), ratios.syncBytes);
  row('all response bytes', mb(ours.totalBytes), mb(baseline.totalBytes), ratios.totalBytes);
  row('wall time to ready', ms(ours.wallMs), ms(baseline.wallMs), ratios.wall);
  row('heap growth (after gc)', mb(ours.heapDeltaBytes), mb(baseline.heapDeltaBytes), ratios.heap);
  row('RSS growth', mb(ours.rssDeltaBytes), mb(baseline.rssDeltaBytes), ratios.rss);
  for (const [name, summary] of [
    ['ours', ours],
    ['default', baseline],
  ] as const) {
    const l = summary.latency;
    if (l)
      log(
        `latency sent → shown, ${name.padEnd(8)} p50 ${ms(l.p50)}, p95 ${ms(l.p95)}, max ${ms(l.max)} (${l.count} messages, one at a time, ${GAP_MS} ms apart)`,
      );
  }
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  log(
    `goals: ≥5x fewer /sync bytes ${verdict(ratios.syncBytes >= 5)}; ≥3x less heap ${verdict(ratios.heap >= 3)}; ` +
      `latency p95 ≤ 500 ms ${verdict((ours.latency?.p95 ?? Infinity) <= 500)}`,
  );
  log(
    `(seeding: ${(seeded.seedMs / 1000).toFixed(1)} s, ${seeded.throttled} throttled requests; Node ${process.versions.node}, Synapse ${SYNAPSE_VERSION})`,
  );
  return ratios;
}

async function main(): Promise<void> {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  // A bed the test command started (MATRIX_BED) serves as well: its classic Synapse has the same generous limits.
  const shared = process.env.MATRIX_BED ? (JSON.parse(process.env.MATRIX_BED) as BedInfo).classic : undefined;
  const own = shared
    ? undefined
    : new SynapseServer({
        name: 'bench',
        port: await freePort(),
        dataDir: join(out, 'synapse'),
        python: ensureSynapseInstalled(log),
      });
  const server: Homeserver = shared ?? own!;
  const stopOnSignal = () => void own?.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    await own?.start();
    log(
      `Synapse ${SYNAPSE_VERSION} at ${server.baseUrl}; seeding ${ROOMS} rooms × ${HISTORY} messages, ${PARALLEL} at a time`,
    );
    const seeded = await seed(server, { rooms: ROOMS, history: HISTORY, parallel: PARALLEL, progress: log });
    log(
      `seeded in ${(seeded.seedMs / 1000).toFixed(1)} s (${(ROOMS / (seeded.seedMs / 1000)).toFixed(1)} rooms/s, ${seeded.throttled} throttled requests)`,
    );
    for (const variant of VARIANTS) await sample(server, seeded, variant, false); // warm Synapse's caches
    const runs: Record<Variant, SampleResult[]> = { ours: [], default: [] };
    for (let i = 0; i < SAMPLES; i++) {
      const order = i % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const variant of order) {
        const run = await sample(server, seeded, variant, i === SAMPLES - 1 && MESSAGES > 0);
        runs[variant].push(run);
        log(
          `  ${variant.padEnd(8)} /sync ${mb(run.syncBytes)}, ${ms(run.wallMs)}, heap +${mb(run.heapDeltaBytes)}, RSS +${mb(run.rssDeltaBytes)}`,
        );
      }
    }
    const ours = summarize(runs.ours);
    const baseline = summarize(runs.default);
    const ratios = report(seeded, ours, baseline);
    const results = {
      date: new Date().toISOString(),
      node: process.versions.node,
      synapse: SYNAPSE_VERSION,
      rooms: ROOMS,
      historyPerRoom: HISTORY,
      samples: SAMPLES,
      messages: MESSAGES,
      seeding: { ms: seeded.seedMs, throttled: seeded.throttled },
      median: { ours, default: baseline },
      ratios,
      runs,
    };
    await writeFile(join(out, 'results.json'), JSON.stringify(results, null, 2));
    log(`results: ${join(out, 'results.json')}`);
  } finally {
    await own?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
