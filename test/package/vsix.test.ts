import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../bed/paths.ts';
import { listZip } from './zip.ts';
// @ts-expect-error: a plain ES module script, without types
import { SANDBOX_FILES } from '../../scripts/sandbox-files.mjs';
import { isMatrixChannelError, MatrixChannelError } from '../../src/core/errors.ts';
import type { CryptoStore } from '../../src/core/crypto/crypto-store.ts';
import { silentLogger } from '../../src/core/log.ts';
import type { createMatrixClient } from '../../src/core/matrix/sdk.ts';

/** What a user's installation needs; anything else in the .vsix is a packaging mistake. */
const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/package\.nls(\.[\w-]+)?\.json$/,
  /^extension\/l10n\/bundle\.l10n(\.[\w-]+)?\.json$/,
  /^extension\/(readme|changelog)\.md$/,
  /^extension\/LICENSE\.txt$/,
  /^extension\/media\/[\w.-]+\.(png|svg)$/,
  /^extension\/dist\/[\w-]+\.js$/,
  /^extension\/dist\/webview\/[\w./-]+\.(js|css)$/,
  /^extension\/dist\/pkg\/matrix_sdk_crypto_wasm_bg\.wasm$/,
];

describe('npm run package', () => {
  it('builds a .vsix with only what users need', () => {
    const result = spawnSync(process.execPath, ['scripts/package.mjs'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(result.status, 0, `packaging failed:\n${result.stdout}\n${result.stderr}`);
    const { name, version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    const entries = listZip(join(repoRoot, `${name}-${version}.vsix`));
    const names = entries.map((e) => e.name);
    assert.deepEqual(
      names.filter((n) => !ALLOWED.some((pattern) => pattern.test(n))),
      [],
      'unexpected files',
    );
    for (const required of [
      'extension/package.json',
      'extension/package.nls.json',
      'extension/dist/extension.js',
      'extension/readme.md',
      'extension/media/icon.png',
      'extension/dist/pkg/matrix_sdk_crypto_wasm_bg.wasm',
    ]) {
      assert.ok(names.includes(required), `${required} is packaged`);
    }
    // Activation reads this bundle in every window, with or without a channel: it stays small, and holds
    // neither the workbench nor the engine (each a bundle of its own, required on first need).
    const activation = readFileSync(join(repoRoot, 'dist', 'extension.js'), 'utf8');
    assert.ok(activation.length > 0 && activation.length <= 64 * 1024, `dist/extension.js: ${activation.length} bytes`);
    // Words that survive minification: the workbench's log line, any Matrix request.
    for (const marker of ['restoring accounts failed', '/_matrix/client']) {
      assert.ok(!activation.includes(marker), `dist/extension.js holds no ${marker}`);
    }
    // The sandbox installs what the .vsix carries (vsce renames README.md to readme.md, LICENSE to LICENSE.txt).
    const topLevel = new Set(names.flatMap((n) => (n.startsWith('extension/') ? [n.split('/')[1]!] : [])));
    const sandbox = new Set((SANDBOX_FILES as string[]).map((file) => file.toLowerCase()));
    assert.deepEqual(
      [...topLevel].filter((file) => !sandbox.has(file.toLowerCase().replace(/\.txt$/, ''))),
      [],
      'the sandbox installs everything the .vsix has',
    );
  });

  it('activation with no channel loads nothing more; the first command starts the workbench', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: { commands: Array<{ command: string }> };
    };
    const declared = manifest.contributes.commands.map((entry) => entry.command);
    const run = activate('matrixChannels.showLog');
    assert.deepEqual(run.atActivation, {
      commands: declared,
      workbench: false,
      engine: false,
      treeRows: [],
      sessions: [],
    });
    assert.ok(run.workbench, 'the command loaded the workbench');
    assert.deepEqual(
      run.events.slice(0, declared.length * 2),
      [...declared.map((id) => `dispose ${id}`), ...run.commands.map((id) => `register ${id}`)],
      'every stand-in gives way before the workbench registers its command',
    );
    assert.deepEqual([...run.commands].sort(), [...declared].sort(), 'the workbench registers every declared command');
    assert.equal(run.events.at(-1), 'execute matrixChannels.showLog', 'then the command runs');
  });

  it('activation with a channel configured starts the workbench at once, but not the engine', () => {
    const channels = JSON.stringify([{ id: 'a', homeserver: 'https://matrix.example.org', auth: 'password' }]);
    const run = activate(undefined, { BENCH_CHANNELS: channels });
    assert.equal(run.atActivation.workbench, true);
    assert.equal(run.atActivation.engine, false, 'the engine loads only once an account restores');
    assert.deepEqual(
      run.atActivation.treeRows.map((row) => (row as { id: string }).id),
      ['a'],
    );
  });

  it('an error the packaged engine throws is a MatrixChannelError to any other copy of the class', async () => {
    // The extension bundle and the engine bundle each hold a copy of the class; here the test's own copy (from
    // the sources) stands for the extension's, facing the real dist/engine.js.
    const engine = createRequire(import.meta.url)(join(repoRoot, 'dist', 'engine.js')) as {
      SignInEngine: new (env: Record<string, unknown>) => { discover(input: string): Promise<unknown> };
    };
    const quiet = { debug() {}, info() {}, warn() {}, error() {}, conceal() {} };
    const signIn = new engine.SignInEngine({ flows: [], host: 'local', log: quiet });
    const error = await signIn.discover('my server').catch((thrown: unknown) => thrown);
    assert.notEqual(Object.getPrototypeOf(error), MatrixChannelError.prototype, 'another copy of the class');
    assert.ok(error instanceof MatrixChannelError, 'instanceof holds across the copies');
    assert.ok(isMatrixChannelError(error, 'invalid_config'));
    assert.equal(error.reason.startsWith('The homeserver address contains spaces.'), true, error.reason);
  });

  it('the packaged engine starts the Rust crypto from its own WebAssembly, on a store that survives', async () => {
    const engine = createRequire(import.meta.url)(join(repoRoot, 'dist', 'engine.js')) as {
      CryptoStore: typeof CryptoStore;
      createMatrixClient: typeof createMatrixClient;
    };
    const directory = mkdtempSync(join(tmpdir(), 'vsix-crypto-'));
    const values = new Map<string, string>();
    const secrets = {
      get: (key: string) => Promise.resolve(values.get(key)),
      store: (key: string, value: string) => Promise.resolve(void values.set(key, value)),
      delete: (key: string) => Promise.resolve(void values.delete(key)),
    };
    const deviceKey = async () => {
      const store = await engine.CryptoStore.open({
        accountId: 'a',
        directory,
        secrets,
        log: silentLogger,
        device: { userId: '@a:x', deviceId: 'D' },
      });
      const client = await engine.createMatrixClient({ baseUrl: 'http://127.0.0.1:9', userId: '@a:x', deviceId: 'D' });
      await client.initRustCrypto({ useIndexedDB: true, cryptoDatabasePrefix: store.prefix });
      const key = (await client.getCrypto()!.getOwnDeviceKeys()).ed25519;
      client.stopClient();
      await store.close();
      return { key, opened: store.opened.kind };
    };
    try {
      const first = await deviceKey();
      const second = await deviceKey();
      assert.deepEqual([first.opened, second.opened], ['new', 'restored']);
      assert.equal(second.key, first.key, 'the same device keys after a restart');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

interface ActivationRun {
  atActivation: { commands: string[]; workbench: boolean; engine: boolean; treeRows: unknown[]; sessions: unknown[] };
  events: string[];
  commands: string[];
  workbench: boolean;
}

/** Activates the built bundles in a fresh process (activation-driver.cjs), then runs `command` if given. */
function activate(command?: string, env: Record<string, string> = {}): ActivationRun {
  const driver = join(repoRoot, 'test', 'package', 'activation-driver.cjs');
  const result = spawnSync(process.execPath, [driver, join(repoRoot, 'dist'), ...(command ? [command] : [])], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as ActivationRun;
}
