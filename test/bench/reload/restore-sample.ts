/**
 * One reload of `npm run bench:reload`, in a fresh Node process as an extension host restart is: from the start
 * of activation (the engine bundle not yet loaded) until every signed-in account is connected (its live channel
 * had its first sync). Variants: ours (the accounts service restoring from the stored sessions and sync positions)
 * and default (a default matrix-js-sdk client per stored session: createClient + startClient, until PREPARED).
 * Input: argv[2] the folder of the stores, argv[3] the variant; output: one `BENCH_RESULT {json}` line.
 */
import { performance } from 'node:perf_hooks';
import { startClient, type RunningClient } from '../clients.ts';
import { reportFromFreshProcess } from '../fresh-process.ts';
import { disk } from './disk.ts';
import { openWindow } from './window.ts';

export interface ReloadResult {
  variant: 'ours' | 'default';
  accounts: number;
  /** Activation start → every account connected. */
  wallMs: number;
  /** Activation start → each account connected, in the order they got there. */
  perAccountMs: number[];
}

async function ours(dir: string): Promise<ReloadResult> {
  const started = performance.now();
  const { service, configs } = openWindow(dir);
  const expected = configs.list().length;
  const connectedAt = new Map<string, number>();
  const allConnected = new Promise<void>((resolve, reject) => {
    const check = () => {
      for (const account of service.accounts()) {
        const { state } = account.status;
        if (state === 'connected' && !connectedAt.has(account.id)) connectedAt.set(account.id, performance.now());
        if (state === 'needs_sign_in' || state === 'error') reject(new Error(`account ${account.id}: ${state}`));
      }
      if (connectedAt.size === expected) resolve();
    };
    service.onDidChange(check);
  });
  await service.restoreAll();
  await allConnected;
  const wallMs = performance.now() - started;
  await service.dispose();
  return {
    variant: 'ours',
    accounts: expected,
    wallMs,
    perAccountMs: [...connectedAt.values()].map((t) => t - started).sort((a, b) => a - b),
  };
}

async function baseline(dir: string): Promise<ReloadResult> {
  const started = performance.now();
  const sessions = disk(dir)
    .secrets.sessions()
    .map((value) => JSON.parse(value) as { homeserver: string; userId: string; deviceId: string; accessToken: string });
  const clients: RunningClient[] = [];
  const perAccountMs = await Promise.all(
    sessions.map(async (session) => {
      const client = await startClient('default', { baseUrl: session.homeserver, ...session }, (input, init) =>
        fetch(input, init),
      );
      clients.push(client);
      await client.ready;
      return performance.now() - started;
    }),
  );
  const wallMs = performance.now() - started;
  await Promise.all(clients.map((client) => client.stop()));
  return { variant: 'default', accounts: sessions.length, wallMs, perAccountMs: perAccountMs.sort((a, b) => a - b) };
}

const [dir, variant] = process.argv.slice(2);
reportFromFreshProcess(variant === 'ours' ? ours(dir!) : baseline(dir!));
