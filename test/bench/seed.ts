/**
 * Seeding for `npm run bench:sync`: a user joined to many rooms, each with a name and a little history from
 * a second user, created with bounded parallelism. A 429 is retried and counted (the bench's Synapse should
 * have none: its rate limits are generous).
 */
import { performance } from 'node:perf_hooks';
import type { BedInfo } from '../bed/bed.ts';
import { createClassicUser, MatrixApi, MatrixError, type MatrixUser } from '../bed/matrix.ts';
import type { SynapseServer } from '../bed/synapse.ts';

export interface Seeded {
  me: MatrixUser;
  other: MatrixUser;
  roomIds: string[];
  seedMs: number;
  throttled: number;
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** A classic homeserver the benchmark can register users on: the bed's, or one of its own. */
export type Homeserver = Pick<SynapseServer, 'baseUrl' | 'serverName' | 'logFile' | 'registrationSecret'>;

export async function seed(
  server: Homeserver,
  options: { rooms: number; history: number; parallel: number; progress: (line: string) => void },
): Promise<Seeded> {
  const started = performance.now();
  let throttled = 0;
  const retrying = async <T>(call: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof MatrixError) || error.status !== 429 || attempt >= 50) throw error;
        throttled++;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };
  // createClassicUser only needs the classic homeserver's URL and registration secret.
  const bed = {
    classic: {
      baseUrl: server.baseUrl,
      serverName: server.serverName,
      logFile: server.logFile,
      registrationSecret: server.registrationSecret,
    },
  } as BedInfo;
  const [me, other] = await Promise.all([createClassicUser(bed, 'bench-me'), createClassicUser(bed, 'bench-other')]);
  const mine = new MatrixApi(server.baseUrl, me.accessToken);
  const theirs = new MatrixApi(server.baseUrl, other.accessToken);
  let done = 0;
  const roomIds = await inParallel(
    Array.from({ length: options.rooms }, (_, i) => i),
    options.parallel,
    async (i) => {
      // A public (unlisted) room: joined without an invite, two events fewer than a private one to create.
      const { room_id: roomId } = await retrying(() =>
        theirs.request<{ room_id: string }>('POST', '/_matrix/client/v3/createRoom', {
          name: `Bench room ${i + 1}`,
          preset: 'public_chat',
        }),
      );
      await retrying(() => mine.join(roomId));
      for (let m = 0; m < options.history; m++) {
        await retrying(() =>
          theirs.sendText(
            roomId,
            `history ${m + 1} of room ${i + 1}: ${'lorem ipsum dolor sit amet '.repeat(2).trim()}`,
          ),
        );
      }
      if (++done % 100 === 0)
        options.progress(`  ${done}/${options.rooms} rooms (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      return roomId;
    },
  );
  return { me, other, roomIds, seedMs: performance.now() - started, throttled };
}

/** A fresh device (and token) for the user: each sample is a client's first start. */
export async function freshDevice(
  baseUrl: string,
  user: MatrixUser,
): Promise<{ accessToken: string; deviceId: string }> {
  const result = await new MatrixApi(baseUrl).request<{ access_token: string; device_id: string }>(
    'POST',
    '/_matrix/client/v3/login',
    {
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: user.userId },
      password: user.password,
      initial_device_display_name: 'bench',
    },
  );
  return { accessToken: result.access_token, deviceId: result.device_id };
}
