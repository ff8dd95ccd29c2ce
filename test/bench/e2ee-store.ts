/**
 * npm run bench:e2ee: what keeping an account's encryption store across restarts costs. The account holds room
 * keys for BENCH_E2EE_ROOMS encrypted rooms (default 500; one Megolm session each, made by a peer and imported
 * as a key export would be). Printed, as medians of BENCH_SAMPLES (default 5):
 * - the sealed file's size;
 * - a save (snapshot of the databases, sealed, written atomically: what CryptoStore does a second after each
 *   write), against the same snapshot written unsealed: the ratio is what sealing costs;
 * - a save against the Rust crypto's own import of those keys into its store: how a save compares to the work
 *   that caused it;
 * - a restore (read, unseal, recreate the databases: every window load) and the crypto opening on it;
 * - decrypt latency (p50, p95) of BENCH_E2EE_MESSAGES messages (default 200) spread over the rooms, on the
 *   restored store, against the same crypto on its own in-memory store: the ratio is what our store costs.
 * No server is needed. `--smoke`: 20 rooms, 2 samples, 20 messages.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { serialize } from 'node:v8';
import * as wasm from '@matrix-org/matrix-sdk-crypto-wasm';
import { CryptoStore } from '../../src/core/crypto/crypto-store.ts';
import { snapshotDatabases } from '../../src/core/crypto/idb-snapshot.ts';
import { memoryIndexedDb } from '../../src/core/crypto/memory-idb.ts';
import { readSealed, writeSealed } from '../../src/core/crypto/sealed-file.ts';
import { silentLogger } from '../../src/core/log.ts';

const smoke = process.argv.includes('--smoke');
const ROOMS = Number(process.env['BENCH_E2EE_ROOMS'] ?? (smoke ? 20 : 500));
const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? (smoke ? 2 : 5));
const MESSAGES = Number(process.env['BENCH_E2EE_MESSAGES'] ?? (smoke ? 20 : 200));

/** Nearest-rank percentile. */
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil(p * values.length) - 1)]!;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(1)} ms`;
async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/**
 * Room keys for `rooms` rooms, as a peer's key export (one outbound Megolm session per room), and `messages`
 * room events the peer encrypted with them, spread over the rooms.
 */
async function peerTraffic(rooms: number, messages: number): Promise<{ exported: string; events: RoomEvent[] }> {
  const peerId = () => new wasm.UserId('@peer:bench'); // each call hands its ID over to the crypto
  const peer = await wasm.OlmMachine.initialize(peerId(), new wasm.DeviceId('PEER'));
  for (let i = 0; i < rooms; i++)
    await peer.shareRoomKey(new wasm.RoomId(`!room${i}:bench`), [peerId()], new wasm.EncryptionSettings());
  const events: RoomEvent[] = [];
  for (let i = 0; i < messages; i++) {
    const roomId = `!room${(i * 7) % rooms}:bench`;
    const content = await peer.encryptRoomEvent(
      new wasm.RoomId(roomId),
      'm.room.message',
      JSON.stringify({ msgtype: 'm.text', body: `message ${i}` }),
    );
    const event = { type: 'm.room.encrypted', content: JSON.parse(content) as unknown, sender: '@peer:bench' };
    events.push({ roomId, json: JSON.stringify({ ...event, event_id: `$e${i}`, origin_server_ts: Date.now() }) });
  }
  const exported = await peer.exportRoomKeys(() => true);
  peer.close();
  return { exported, events };
}

interface RoomEvent {
  roomId: string;
  json: string;
}

/** How long each event takes to decrypt, one at a time (as a sync delivers them). */
async function decryptTimes(machine: wasm.OlmMachine, events: RoomEvent[]): Promise<number[]> {
  const times: number[] = [];
  for (const event of events) {
    const settings = new wasm.DecryptionSettings(wasm.TrustRequirement.Untrusted);
    const started = performance.now();
    const decrypted = await machine.decryptRoomEvent(event.json, new wasm.RoomId(event.roomId), settings);
    times.push(performance.now() - started);
    if (!decrypted.event.includes('"body"')) throw new Error('an event did not decrypt');
  }
  return times;
}

const values = new Map<string, string>();
const secrets = {
  get: (key: string) => Promise.resolve(values.get(key)),
  store: (key: string, value: string) => Promise.resolve(void values.set(key, value)),
  delete: (key: string) => Promise.resolve(void values.delete(key)),
};
const directory = mkdtempSync(join(tmpdir(), 'bench-e2ee-'));
const options = {
  accountId: 'bench',
  directory,
  secrets,
  log: silentLogger,
  device: { userId: '@me:bench', deviceId: 'ME' },
};
const me = new wasm.UserId('@me:bench');
const device = new wasm.DeviceId('ME');

async function openDevice() {
  const store = await CryptoStore.open(options);
  const handle = await wasm.StoreHandle.open(store.prefix, undefined);
  const machine = await wasm.OlmMachine.initFromStore(me, device, handle);
  handle.free();
  return { store, machine };
}

try {
  await wasm.initAsync();
  const { exported, events } = await peerTraffic(ROOMS, MESSAGES);
  const { store, machine } = await openDevice();
  const importMs = await timed(() => machine.importExportedRoomKeys(exported, () => {}));
  await store.flush();

  const { factory } = await memoryIndexedDb();
  const key = Buffer.from(values.get('matrix-channels.crypto-store-key.bench')!, 'base64');
  const file = join(directory, 'sample.crypto');
  const saves: number[] = [];
  const plainSaves: number[] = [];
  let bytes = 0;
  for (let i = 0; i < SAMPLES; i++) {
    saves.push(
      await timed(async () => {
        bytes = await writeSealed(file, await snapshotDatabases(factory, `${store.prefix}::`), key, 'bench');
      }),
    );
    plainSaves.push(
      await timed(async () =>
        writeFile(join(directory, 'plain.bin'), serialize(await snapshotDatabases(factory, `${store.prefix}::`))),
      ),
    );
  }
  machine.close();
  await store.close();

  const restores: number[] = [];
  const opens: number[] = [];
  let decrypts: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    let opened!: Awaited<ReturnType<typeof openDevice>>;
    restores.push(await timed(async () => (opened = await openDevice())));
    opens.push(await timed(() => readSealed(join(directory, 'bench.crypto'), key, 'bench')));
    const sessions = JSON.parse(await opened.machine.exportRoomKeys(() => true)) as unknown[];
    if (sessions.length !== ROOMS) throw new Error(`restored ${sessions.length} of ${ROOMS} room keys`);
    if (i === SAMPLES - 1) decrypts = await decryptTimes(opened.machine, events);
    opened.machine.close();
    await opened.store.close();
  }
  // The baseline: the same crypto on its own in-memory store, holding the same keys.
  const inMemory = await wasm.OlmMachine.initialize(new wasm.UserId('@me:bench'), new wasm.DeviceId('ME'));
  await inMemory.importExportedRoomKeys(exported, () => {});
  const baseline = await decryptTimes(inMemory, events);
  inMemory.close();

  const save = median(saves);
  console.log(`encryption store for ${ROOMS} encrypted rooms (one room key each), medians of ${SAMPLES}:`);
  console.log(`sealed file:                 ${(bytes / 1024).toFixed(1)} KB`);
  console.log(
    `save (snapshot+seal+write):  ${ms(save)} vs ${ms(median(plainSaves))} unsealed  (sealing costs ${(save / median(plainSaves)).toFixed(2)}x)`,
  );
  console.log(
    `save vs the crypto's import: ${ms(save)} vs ${ms(importMs)}  (${(save / importMs).toFixed(2)}x the work that caused it)`,
  );
  console.log(
    `restore + open the crypto:   ${ms(median(restores))} (reading and unsealing alone ${ms(median(opens))})`,
  );
  const p95 = percentile(decrypts, 0.95);
  const baseP95 = percentile(baseline, 0.95);
  console.log(
    `decrypt, ${events.length} messages:      p50 ${ms(percentile(decrypts, 0.5))}, p95 ${ms(p95)} vs p95 ${ms(baseP95)} on the crypto's own memory store  (${(p95 / baseP95).toFixed(2)}x)`,
  );
} finally {
  rmSync(directory, { recursive: true, force: true });
}
