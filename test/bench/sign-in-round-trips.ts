/**
 * `npm run bench:sign-in`: the HTTP requests on the critical path from Sign In to connected (the live channel's
 * first sync), per sign-in method, counted by the test bed, against a floor computed here: the fewest requests
 * the protocol needs for that method. Password and access token sign in at the bed's classic homeserver, OAuth
 * (loopback and device flows) at the one that delegates to its OAuth server. A recording proxy in front of each
 * homeserver and the OAuth server's own request log count; the bed's browser-like client plays the person, whose
 * requests are listed apart and not counted. Asserts nothing about numbers: it prints them.
 *
 * Uses the bed in MATRIX_BED when set (the test command passes its own), else starts one
 * (test-results/bench-sign-in/bed/). BENCH_RUNS sign-ins per method (3; medians); `--smoke` or BENCH_SMOKE=1:
 * one each, without the device flow (its poll interval alone takes 5 s). Results: test-results/bench-sign-in/.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startBed, type BedInfo } from '../bed/bed.ts';
import { resultsDir } from '../bed/paths.ts';
import { RecordingProxy } from '../bed/recording-proxy.ts';
import { SYNAPSE_VERSION } from '../bed/synapse.ts';
import { METHODS, signInOnce, type MethodId, type RunResult, type Trip } from './sign-in-run.ts';

const smoke = process.argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';
const RUNS = Number(process.env.BENCH_RUNS ?? (smoke ? 1 : 3));
const methods: readonly MethodId[] = smoke ? METHODS.filter((m) => m !== 'oauth_device') : METHODS;
const out = join(resultsDir, 'bench-sign-in');
const log = (line: string) => console.log(line);

interface FloorEntry {
  request: string;
  why: string;
}

/**
 * The baseline: what the protocol cannot do without, for a client that has the homeserver's URL and the
 * method to use, up to its first sync. Anything more is the product's own cost (choosing the method for the
 * person, checks, start-up of the sync loop).
 */
const FLOORS: Record<MethodId, FloorEntry[]> = {
  password: [
    // The only way to turn a user ID and password into an access token and a device.
    { request: 'POST /_matrix/client/v3/login', why: 'the password for an access token and a device' },
    // "Connected" is the first sync; nothing shorter proves the live channel works.
    { request: 'GET /_matrix/client/v3/sync', why: 'the first sync' },
  ],
  access_token: [
    // A token says nothing of its owner or device, and a mistyped one must be refused before it is kept.
    { request: 'GET /_matrix/client/v3/account/whoami', why: 'whose token it is, and for which device' },
    { request: 'GET /_matrix/client/v3/sync', why: 'the first sync' },
  ],
  oauth_loopback: [
    // Where the homeserver's authorization server is, and its endpoints (MSC2965): nothing else tells.
    { request: 'GET /_matrix/client/v1/auth_metadata', why: 'the authorization server and its endpoints' },
    // MAS knows no client in advance: every client registers itself (RFC 7591).
    { request: 'POST [oauth] registration', why: 'a client_id (dynamic registration)' },
    // The authorization code the browser brought back, for tokens (with the PKCE verifier).
    { request: 'POST [oauth] token', why: 'the code for an access and a refresh token' },
    // The token response names no user: the homeserver does.
    { request: 'GET /_matrix/client/v3/account/whoami', why: 'whose session it is' },
    { request: 'GET /_matrix/client/v3/sync', why: 'the first sync' },
  ],
  oauth_device: [
    { request: 'GET /_matrix/client/v1/auth_metadata', why: 'the authorization server and its endpoints' },
    { request: 'POST [oauth] registration', why: 'a client_id (dynamic registration)' },
    // The device and user codes to show the person (RFC 8628).
    { request: 'POST [oauth] device authorization', why: 'a device code and the code the person enters' },
    // At least one poll, after the person approved (those before are the person's time).
    { request: 'POST [oauth] token', why: 'the device code for tokens' },
    { request: 'GET /_matrix/client/v3/account/whoami', why: 'whose session it is' },
    { request: 'GET /_matrix/client/v3/sync', why: 'the first sync' },
  ],
};

/** Paths as printed: the user, room and interaction IDs in them are not what matters (and not worth reading). */
function shown(trip: Trip): string {
  const path = trip.path
    .replace(/\/user\/[^/?]+/, '/user/{userId}')
    .replace(/\/rooms\/[^/?]+/, '/rooms/{roomId}')
    .replace(/^\/(interaction|authorize|link)\/[^/?]+/, '/$1/{uid}');
  return `${trip.server === 'oauth' ? '[oauth] ' : ''}${path}`;
}

const line = (trip: Trip) => `    ${trip.method.padEnd(6)} ${shown(trip).padEnd(64)} ${trip.status}`;
const signature = (trips: Trip[]) => trips.map((t) => `${t.method} ${shown(t)} ${t.status}`).join('\n');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

function printRun(run: RunResult): void {
  log(`  client requests, Sign In → connected (${run.client.length}):`);
  for (const trip of run.client) log(line(trip));
  if (run.waiting.length) {
    log(`  device-code polls before the person approved (not counted, ${run.waiting.length}):`);
    for (const trip of run.waiting) log(line(trip));
  }
  if (run.browser.length) {
    log(`  the browser at the OAuth server's pages (the person; not counted, ${run.browser.length}):`);
    for (const trip of run.browser) log(line(trip));
  }
  if (run.serverToServer.length) {
    log(`  the homeserver asking the OAuth server (not the client's; ${run.serverToServer.length}):`);
    for (const trip of run.serverToServer) log(line(trip));
  }
  if (run.after.length) {
    log(`  after connected, up to the sync loop's first long poll (not on the critical path, ${run.after.length}):`);
    for (const trip of run.after) log(line(trip));
  }
}

async function bedToUse(): Promise<{ info: BedInfo; stop(): Promise<void>; shared: boolean }> {
  if (process.env.MATRIX_BED)
    return { info: JSON.parse(process.env.MATRIX_BED) as BedInfo, stop: async () => {}, shared: true };
  log('starting a test bed (set MATRIX_BED to use a running one)');
  const bed = await startBed({ logDir: join(out, 'bed') });
  return { ...bed, shared: false };
}

async function main(): Promise<void> {
  await mkdir(out, { recursive: true });
  const bed = await bedToUse();
  const classic = new RecordingProxy(bed.info.classic.baseUrl);
  const delegated = new RecordingProxy(bed.info.delegated.baseUrl);
  const stopAll = async () => {
    await Promise.allSettled([classic.stop(), delegated.stop()]);
    await bed.stop();
  };
  const stopOnSignal = () => void stopAll().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    await Promise.all([classic.start(), delegated.start()]);
    log(
      `sign-in round trips: ${RUNS} sign-in(s) per method${smoke ? ' (smoke)' : ''}, ${bed.shared ? 'shared' : 'own'} bed, ` +
        `Synapse ${SYNAPSE_VERSION}, Node ${process.versions.node}`,
    );
    const summary: Record<string, unknown> = {};
    for (const method of methods) {
      const runs: RunResult[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await signInOnce({ bed: bed.info, classic, delegated }, method));
      const floor = FLOORS[method];
      const counts = runs.map((run) => run.client.length);
      const count = median(counts);
      const wall = median(runs.map((run) => run.wallMs));
      const browser = median(runs.map((run) => run.browserMs));
      log('');
      log(`${method}:`);
      printRun(runs[0]!);
      runs.slice(1).forEach((run, i) => {
        if (signature(run.client) === signature(runs[0]!.client)) return;
        log(`  run ${i + 2} differed:`);
        printRun(run);
      });
      log(`  floor (${floor.length}): ${floor.map((f) => `${f.request} (${f.why})`).join('; ')}`);
      const ratio = count / floor.length;
      log(
        `${method}: ${count} requests (floor ${floor.length}; ${ratio.toFixed(1)}x)` +
          `${RUNS > 1 ? ` median of ${RUNS} [${counts.join(', ')}]` : ''}; Sign In → connected ${wall} ms` +
          `${browser > 0 ? ` (of which the browser ${browser} ms)` : ''}`,
      );
      summary[method] = { requests: count, floor: floor.length, ratio, wallMs: wall, browserMs: browser, runs };
    }
    await writeFile(
      join(out, 'results.json'),
      JSON.stringify(
        { date: new Date().toISOString(), node: process.versions.node, synapse: SYNAPSE_VERSION, runs: RUNS, summary },
        null,
        2,
      ),
    );
    log('');
    log(`results: ${join(out, 'results.json')}`);
  } finally {
    await stopAll();
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  // matrix-js-sdk leaves timers behind a stopped client (request timeouts, its capabilities poller): the
  // process would linger for minutes.
  .finally(() => process.exit());
