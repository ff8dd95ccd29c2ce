/**
 * The encryption store across restarts, with the real Rust crypto (OlmMachine) writing into it: the device
 * keeps its identity keys; a damaged, truncated, deleted or foreign file, or a lost key, starts a new device
 * and says why; nothing of it is readable without the key; sign-out deletes file, key and databases.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as wasm from '@matrix-org/matrix-sdk-crypto-wasm';
import { CryptoStore, type CryptoStoreOptions } from '../../../../src/core/crypto/crypto-store.ts';
import { databaseNames } from '../../../../src/core/crypto/idb-snapshot.ts';
import { memoryIndexedDb } from '../../../../src/core/crypto/memory-idb.ts';
import { silentLogger } from '../../../../src/core/log.ts';
import { MemorySecrets } from '../memory-secrets.ts';

const directory = mkdtempSync(join(tmpdir(), 'crypto-store-'));
after(() => rmSync(directory, { recursive: true, force: true }));

let accounts = 0;

function location(secrets = new MemorySecrets()): CryptoStoreOptions {
  accounts++;
  return {
    accountId: `account-${accounts}`,
    directory,
    secrets,
    log: silentLogger,
    flushDelayMs: 10,
    device: { userId: '@me:example.org', deviceId: 'DEV' },
  };
}

/** The Rust crypto on an open store, as a channel runs it: its identity key, and how to stop it. */
async function runCrypto(store: CryptoStore, deviceId = 'DEV') {
  const handle = await wasm.StoreHandle.open(store.prefix, undefined);
  const machine = await wasm.OlmMachine.initFromStore(
    new wasm.UserId('@me:example.org'),
    new wasm.DeviceId(deviceId),
    handle,
  );
  return {
    machine,
    identity: machine.identityKeys.ed25519.toBase64(),
    stop() {
      machine.close();
      handle.free();
    },
  };
}

/** Opens the store and the Rust crypto on it, as a channel does; returns the device's identity key. */
async function startDevice(options: CryptoStoreOptions): Promise<{ store: CryptoStore; identity: string }> {
  const store = await CryptoStore.open(options);
  const crypto = await runCrypto(store);
  crypto.stop();
  await store.close();
  return { store, identity: crypto.identity };
}

const fileOf = (options: CryptoStoreOptions) => join(directory, `${options.accountId}.crypto`);

describe('the encryption store', () => {
  it('comes back with the same device keys after a restart', async () => {
    const options = location();
    const first = await startDevice(options);
    assert.deepEqual(first.store.opened, { kind: 'new' });
    const second = await startDevice(options);
    assert.deepEqual(second.store.opened, { kind: 'restored' });
    assert.equal(second.identity, first.identity);
    assert.deepEqual(await databaseNames((await memoryIndexedDb()).factory, second.store.prefix), [], 'freed on close');
  });

  it('a crash after the writes settled loses nothing: the file follows every write by itself', async () => {
    const options = location();
    const store = await CryptoStore.open(options);
    const crypto = await runCrypto(store);
    const identity = crypto.identity;
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The window dies here: the file is what it was at this moment.
    const atCrash = readFileSync(fileOf(options));
    crypto.stop();
    await store.close();
    writeFileSync(fileOf(options), atCrash);
    const next = await startDevice(options);
    assert.deepEqual(next.store.opened, { kind: 'restored' });
    assert.equal(next.identity, identity);
  });

  it('keeps nothing readable without its key', async () => {
    const options = location();
    const { identity } = await startDevice(options);
    const bytes = readFileSync(fileOf(options));
    assert.ok(bytes.length > 1000, `${bytes.length} bytes`);
    for (const clear of [identity, 'matrix-sdk-crypto', '@me:example.org', 'DEV'])
      assert.equal(bytes.includes(Buffer.from(clear)), false, `"${clear}" is not in the file`);
  });

  const damages: Array<[string, (path: string, options: CryptoStoreOptions) => void, string]> = [
    ['truncated', (path) => writeFileSync(path, readFileSync(path).subarray(0, 40)), 'wrong_key'],
    ['overwritten with JSON', (path) => writeFileSync(path, '{"not":"a store"}'), 'damaged'],
    [
      'one byte changed',
      (path) => {
        const bytes = readFileSync(path);
        bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 1;
        writeFileSync(path, bytes);
      },
      'wrong_key',
    ],
    ['its key lost', (_path, options) => void (options.secrets as MemorySecrets).values.clear(), 'wrong_key'],
    [
      'sealed for another account',
      (path, options) => {
        writeFileSync(path, readFileSync(join(directory, `account-1.crypto`)));
        void options;
      },
      'wrong_key',
    ],
  ];
  for (const [damage, spoil, failure] of damages) {
    it(`a file ${damage}: a new device, and why`, async () => {
      const options = location();
      const first = await startDevice(options);
      spoil(fileOf(options), options);
      const second = await startDevice(options);
      assert.deepEqual(second.store.opened, { kind: 'reset', failure });
      assert.notEqual(second.identity, first.identity);
      const third = await startDevice(options);
      assert.deepEqual(third.store.opened, { kind: 'restored' }, 'the new device is kept from then on');
      assert.equal(third.identity, second.identity);
    });
  }

  it("a sign-in as a new device: the old device's keys are not restored for it", async () => {
    const options = location();
    const first = await startDevice(options);
    const next = { ...options, device: { userId: '@me:example.org', deviceId: 'NEW' } };
    const store = await CryptoStore.open(next);
    assert.deepEqual(store.opened, { kind: 'new' });
    const crypto = await runCrypto(store, 'NEW');
    assert.notEqual(crypto.identity, first.identity);
    crypto.stop();
    await store.close();
  });

  it("a store opened while the account's previous one is still open waits for it to close", async () => {
    const options = location();
    const old = await CryptoStore.open(options);
    const crypto = await runCrypto(old);
    const identity = crypto.identity;
    const opening = CryptoStore.open(options);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The old channel stops now: its crypto first, then its store.
    crypto.stop();
    await old.close();
    const next = await opening;
    assert.deepEqual(next.opened, { kind: 'restored' }, 'opened after the old one saved and closed');
    await next.close();
    assert.equal((await startDevice(options)).identity, identity);
  });

  it('a deleted file: a new device (the key alone is nothing)', async () => {
    const options = location();
    const first = await startDevice(options);
    rmSync(fileOf(options));
    const second = await startDevice(options);
    assert.deepEqual(second.store.opened, { kind: 'new' });
    assert.notEqual(second.identity, first.identity);
  });

  it('a window that lost the account to another does not write over the store the other opened', async () => {
    const options = location();
    const { identity } = await startDevice(options);
    const old = await CryptoStore.open(options);
    const crypto = await runCrypto(old);
    const machine = crypto.machine;
    // Another window opens the store (it owns the account now) and saves it.
    const file = () => readFileSync(fileOf(options));
    const before = file();
    const secrets = options.secrets as MemorySecrets;
    secrets.values.set(`matrix-channels.crypto-store-writer.${options.accountId}`, 'the other window');
    await machine.receiveSyncChanges('[]', new wasm.DeviceLists(), new Map([['signed_curve25519', 0]]), undefined);
    crypto.stop();
    await old.close();
    assert.ok(file().equals(before), 'the file is as the other window left it');
    assert.equal((await startDevice(options)).identity, identity);
  });

  it('sign-out deletes the file, the key and the databases', async () => {
    const secrets = new MemorySecrets();
    const options = location(secrets);
    const store = await CryptoStore.open(options);
    assert.equal(secrets.values.size, 2, 'the key, and which window writes');
    await store.close();
    assert.equal(secrets.values.size, 1, 'the key: a closed store has let go of the file');
    await CryptoStore.destroy(options);
    assert.equal(secrets.values.size, 0);
    assert.equal(readdirSync(directory).includes(`${options.accountId}.crypto`), false);
  });
});
