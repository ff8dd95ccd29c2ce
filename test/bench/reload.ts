/**
 * `npm run bench:reload`: window reload → every signed-in account connected, for BENCH_RELOAD_ACCOUNTS accounts
 * (2 and 10; half password accounts on the classic homeserver, half OAuth accounts on the delegated one, each in a
 * room with a message). The accounts are signed in once through the accounts service; each reload is then a fresh
 * Node process that restores them from the stores a reload keeps (see reload/restore-sample.ts). Baseline in the
 * same run: a default matrix-js-sdk client per stored session. BENCH_SAMPLES (5) interleaved reloads per variant
 * after one discarded warm-up each. Uses the bed in MATRIX_BED, or starts its own. Prints medians and ratios;
 * asserts nothing.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startBed, type BedInfo } from '../bed/bed.ts';
import { createClassicUser, createOAuthAccount, MatrixApi } from '../bed/matrix.ts';
import { repoRoot, resultsDir } from '../bed/paths.ts';
import { CHANNEL_DEFAULTS, type ChannelConfig } from '../../src/core/channel/config.ts';
import { personAtBrowser } from '../integration/core/support.ts';
import { runFreshProcess } from './fresh-process.ts';
import type { ReloadResult } from './reload/restore-sample.ts';
import { openWindow } from './reload/window.ts';

const SIZES = (process.env.BENCH_RELOAD_ACCOUNTS ?? '2,10').split(',').map(Number);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 5);
const VARIANTS = ['ours', 'default'] as const;
const out = join(resultsDir, 'bench-reload');
const log = (line: string) => console.log(line);

const channel = (id: string, homeserver: string): ChannelConfig => ({
  ...CHANNEL_DEFAULTS,
  roomAllowlist: [],
  userAllowlist: [],
  id,
  homeserver,
});

/** Signs in `count` accounts into the stores of `dir` and waits until each stored its sync position. */
async function signInAccounts(bed: BedInfo, dir: string, count: number): Promise<void> {
  const ids = Array.from({ length: count }, (_, i) => `acct-${i}`);
  // Password accounts sign in directly; OAuth accounts through the loopback flow and a person at the browser.
  for (const [i, id] of ids.entries()) {
    if (i % 2 === 0) {
      const user = await createClassicUser(bed);
      await new MatrixApi(bed.classic.baseUrl, user.accessToken).createRoom({ name: `Room ${i}` });
      const { service } = openWindow(dir);
      await service.signIn(
        { ...channel(id, bed.classic.baseUrl), userId: user.userId, authMode: 'password' },
        { password: user.password },
      );
      await service.dispose();
    } else {
      const account = await createOAuthAccount(bed);
      const person = personAtBrowser(account);
      const { service } = openWindow(dir, {
        openBrowser: person.openBrowser,
        flows: (engine) => [new engine.LoopbackFlow()],
      });
      await service.signIn({ ...channel(id, bed.delegated.baseUrl), authMode: 'oidc' }, {});
      await person.finished();
      const session = service.session(id)!.session;
      await new MatrixApi(bed.delegated.baseUrl, session.accessToken).createRoom({ name: `Room ${i}` });
      await service.dispose();
    }
  }
}

function reload(dir: string, variant: (typeof VARIANTS)[number]): Promise<ReloadResult> {
  return runFreshProcess<ReloadResult>(
    `${variant} reload`,
    join(repoRoot, 'test', 'bench', 'reload', 'restore-sample.ts'),
    {
      args: [dir, variant],
    },
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function measure(bed: BedInfo, accounts: number) {
  const dir = join(out, `${accounts}-accounts`);
  await rm(dir, { recursive: true, force: true });
  const setupStarted = Date.now();
  await signInAccounts(bed, dir, accounts);
  log(`${accounts} accounts signed in (${seconds(Date.now() - setupStarted)})`);
  for (const variant of VARIANTS) await reload(dir, variant); // warm-up: caches, file system, JIT of the server
  const runs: Record<(typeof VARIANTS)[number], ReloadResult[]> = { ours: [], default: [] };
  for (let i = 0; i < SAMPLES; i++) {
    for (const variant of i % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
      const run = await reload(dir, variant);
      runs[variant].push(run);
      log(`  ${variant.padEnd(8)} ${seconds(run.wallMs)} (first account ${seconds(run.perAccountMs[0] ?? NaN)})`);
    }
  }
  return {
    accounts,
    ours: median(runs.ours.map((r) => r.wallMs)),
    baseline: median(runs.default.map((r) => r.wallMs)),
  };
}

async function main() {
  // Closing a window while matrix-js-sdk's sync request is in flight aborts it, and the SDK leaves that promise
  // without a handler when its loop has already stopped; the extension host logs such rejections and goes on,
  // so the benchmark does too (anything else still ends it).
  process.on('unhandledRejection', (reason) => {
    if (reason instanceof Error && reason.name === 'AbortError') return;
    throw reason;
  });
  await rm(out, { recursive: true, force: true });
  const shared = process.env.MATRIX_BED ? (JSON.parse(process.env.MATRIX_BED) as BedInfo) : undefined;
  const own = shared ? undefined : await startBed({ logDir: join(out, 'bed'), log });
  const bed = shared ?? own!.info;
  try {
    const rows = [];
    for (const accounts of SIZES) rows.push(await measure(bed, accounts));
    log('');
    log(`reload → every account connected, median of ${SAMPLES} fresh processes`);
    log(`${'accounts'.padEnd(10)}${'ours'.padStart(10)}${'default'.padStart(10)}${'default/ours'.padStart(16)}`);
    for (const row of rows) {
      const ratio = row.baseline / row.ours;
      log(
        `${String(row.accounts).padEnd(10)}${seconds(row.ours).padStart(10)}${seconds(row.baseline).padStart(10)}${`${ratio.toFixed(2)}x`.padStart(16)}`,
      );
    }
    const two = rows.find((row) => row.accounts === 2);
    if (two) log(`goal: 2 accounts connected ≤ 2 s after a reload: ${two.ours <= 2000 ? 'met' : 'NOT met'}`);
    log(
      `(ours: the accounts service and dist/engine.js; default: matrix-js-sdk createClient + startClient; Node ${process.versions.node})`,
    );
  } finally {
    await own?.stop();
  }
}

// matrix-js-sdk leaves request timers behind its stopped clients (up to hours for some): exit once done.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
