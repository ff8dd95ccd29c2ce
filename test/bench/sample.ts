/**
 * One sample of `npm run bench:sync`, in a fresh Node process (`--expose-gc`) so its heap is the client's
 * alone: an initial sync by one client (bytes, wall time, heap and RSS growth), then optionally the
 * message-sent → message-surfaced latency. Input: BENCH_SAMPLE (JSON); output: one `BENCH_RESULT {json}` line.
 */
import { performance } from 'node:perf_hooks';
import { loadSdk } from '../../src/core/matrix/sdk.ts';
import { MatrixApi } from '../bed/matrix.ts';
import { reportFromFreshProcess } from './fresh-process.ts';
import { ByteCounter, startClient, type Account, type RunningClient, type Variant } from './clients.ts';

export interface SampleInput {
  variant: Variant;
  account: Account;
  /** Measure latency after the sync: a second user sends `count` messages, one at a time, into these rooms. */
  latency?: { senderToken: string; roomIds: string[]; count: number; gapMs: number };
}

export interface SampleResult {
  variant: Variant;
  wallMs: number;
  syncBytes: number;
  syncResponses: number;
  totalBytes: number;
  responses: number;
  heapDeltaBytes: number;
  rssDeltaBytes: number;
  heapUsedBytes: number;
  rssBytes: number;
  latencyMs?: number[];
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function settledMemory() {
  gc!();
  gc!();
  return process.memoryUsage();
}

async function latency(
  client: RunningClient,
  baseUrl: string,
  options: NonNullable<SampleInput['latency']>,
): Promise<number[]> {
  const waiting = new Map<string, () => void>();
  client.onText((body) => waiting.get(body)?.());
  const sender = new MatrixApi(baseUrl, options.senderToken);
  const samples: number[] = [];
  for (let i = 0; i < options.count; i++) {
    const body = `latency probe ${i} ${Date.now()}`;
    const roomId = options.roomIds[i % options.roomIds.length]!;
    const received = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`message ${i} not surfaced within 15 s`)), 15_000);
      waiting.set(body, () => {
        clearTimeout(timer);
        resolve(performance.now());
      });
    });
    const sentAt = performance.now();
    await sender.sendText(roomId, body);
    samples.push((await received) - sentAt);
    waiting.delete(body);
    await new Promise((resolve) => setTimeout(resolve, options.gapMs));
  }
  return samples;
}

async function main(): Promise<SampleResult> {
  const input = JSON.parse(process.env.BENCH_SAMPLE ?? '') as SampleInput;
  // The SDK module is the same code for both clients: load it before the baseline, so the delta is state.
  await loadSdk();
  const counter = new ByteCounter();
  const before = settledMemory();
  const started = performance.now();
  const client = await startClient(input.variant, input.account, counter.fetch);
  await client.ready;
  const wallMs = performance.now() - started;
  const bytes = counter.snapshot();
  const after = settledMemory();
  const result: SampleResult = {
    variant: input.variant,
    wallMs,
    ...bytes,
    heapDeltaBytes: after.heapUsed - before.heapUsed,
    rssDeltaBytes: after.rss - before.rss,
    heapUsedBytes: after.heapUsed,
    rssBytes: after.rss,
  };
  if (input.latency) result.latencyMs = await latency(client, input.account.baseUrl, input.latency);
  await client.stop();
  return result;
}

reportFromFreshProcess(main());
