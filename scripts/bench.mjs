#!/usr/bin/env node
/**
 * npm run bench: activation cost of the extension, against a baseline built in the same run that loads the
 * engine (matrix-js-sdk, openid-client) eagerly. Each sample is a fresh Node process that loads the bundle and
 * calls activate() with a minimal stand-in for the `vscode` module (what is measured is our code, not VS Code).
 * Prints sizes, medians and ratios; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const out = join(root, 'test-results', 'bench');
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 15);
mkdirSync(out, { recursive: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  minify: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'error',
};

// The product: activation bundle with the engine as a sibling bundle, required on first need.
await esbuild.build({
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: join(out, 'lazy', 'extension.js'),
  external: ['vscode', './engine.js'],
});
await esbuild.build({
  ...common,
  entryPoints: ['src/core/engine.ts'],
  outfile: join(out, 'lazy', 'engine.js'),
  external: ['vscode'],
});
// The baseline: the same extension with the engine imported at load time, in one bundle.
writeFileSync(
  join(out, 'eager-entry.ts'),
  "import '../../src/core/engine.ts';\nexport * from '../../src/extension.ts';\n",
);
await esbuild.build({
  ...common,
  entryPoints: [join(out, 'eager-entry.ts')],
  outfile: join(out, 'eager', 'extension.js'),
  external: ['vscode'],
  plugins: [
    {
      name: 'engine-inline',
      setup(b) {
        b.onResolve({ filter: /^\.\/engine\.js$/ }, () => ({ path: join(root, 'src/core/engine.ts') }));
      },
    },
  ],
});

writeFileSync(join(out, 'vscode-stub.cjs'), VSCODE_STUB());
writeFileSync(join(out, 'sample.cjs'), SAMPLE());

function sample(bundle) {
  const result = spawnSync(process.execPath, [join(out, 'sample.cjs'), bundle], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`sample failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const results = {};
for (const variant of ['lazy', 'eager']) {
  const bundle = join(out, variant, 'extension.js');
  sample(bundle); // warm the file cache
  const runs = Array.from({ length: SAMPLES }, () => sample(bundle));
  results[variant] = {
    size: statSync(bundle).size,
    load: median(runs.map((r) => r.loadMs)),
    activate: median(runs.map((r) => r.activateMs)),
    heap: median(runs.map((r) => r.heapMb)),
  };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const { lazy, eager } = results;
console.log(
  `activation bundle (minified): ${kb(lazy.size)}; engine bundle loaded on demand: ${kb(statSync(join(out, 'lazy', 'engine.js')).size)}`,
);
console.log(`eager baseline bundle:        ${kb(eager.size)}  (${(eager.size / lazy.size).toFixed(1)}x larger)`);
console.log(
  `load (require) median:        ${lazy.load.toFixed(2)} ms vs ${eager.load.toFixed(2)} ms eager  (${(eager.load / lazy.load).toFixed(1)}x faster)`,
);
console.log(
  `activate() median:            ${lazy.activate.toFixed(2)} ms vs ${eager.activate.toFixed(2)} ms eager  (ratio ${(eager.activate / lazy.activate).toFixed(2)})`,
);
console.log(
  `load + activate median:       ${(lazy.load + lazy.activate).toFixed(2)} ms vs ${(eager.load + eager.activate).toFixed(2)} ms eager  (${((eager.load + eager.activate) / (lazy.load + lazy.activate)).toFixed(1)}x faster)`,
);
console.log(`heap after activation:        ${lazy.heap.toFixed(1)} MB vs ${eager.heap.toFixed(1)} MB eager`);
console.log(`(${SAMPLES} fresh processes per variant, Node ${process.versions.node})`);

function SAMPLE() {
  return `
const Module = require('node:module');
const { performance } = require('node:perf_hooks');
const stub = require(${JSON.stringify(join(out, 'vscode-stub.cjs'))});
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub };
const t0 = performance.now();
const extension = require(process.argv[2]);
const t1 = performance.now();
extension.activate(stub.context);
const t2 = performance.now();
process.stdout.write(JSON.stringify({ loadMs: t1 - t0, activateMs: t2 - t1, heapMb: process.memoryUsage().heapUsed / 1048576 }));
process.exit(0);
`;
}

function VSCODE_STUB() {
  return `
const disposable = { dispose() {} };
const event = () => disposable;
class EventEmitter { constructor() { this.event = event; } fire() {} dispose() {} }
class ThemeIcon { constructor(id, color) { this.id = id; this.color = color; } }
class ThemeColor { constructor(id) { this.id = id; } }
const channel = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, show() {}, dispose() {} };
const config = { get: (_k, d) => (d === undefined ? [] : d), update: async () => {}, inspect: () => undefined };
const statusItem = { show() {}, hide() {}, dispose() {} };
module.exports = {
  EventEmitter, ThemeIcon, ThemeColor, Disposable: class { dispose() {} },
  StatusBarAlignment: { Left: 1, Right: 2 }, ProgressLocation: { Notification: 15 }, UIKind: { Desktop: 1, Web: 2 },
  ConfigurationTarget: { Global: 1 }, TreeItemCollapsibleState: { None: 0 },
  TreeItem: class { constructor(label) { this.label = label; } }, MarkdownString: class { appendText() { return this; } },
  Uri: { parse: (s) => ({ toString: () => s }), file: (p) => ({ fsPath: p }) },
  l10n: { t: (m) => m },
  env: { uiKind: 1, uriScheme: 'vscode', clipboard: { writeText: async () => {} }, openExternal: async () => true, asExternalUri: async (u) => u },
  window: {
    createOutputChannel: () => channel, registerTreeDataProvider: () => disposable, registerUriHandler: () => disposable,
    createStatusBarItem: () => statusItem, showInformationMessage: async () => undefined, showWarningMessage: async () => undefined,
    showErrorMessage: async () => undefined, withProgress: async (_o, task) => task({ report() {} }, { onCancellationRequested: event }),
    setStatusBarMessage: () => disposable,
  },
  commands: { registerCommand: () => disposable, executeCommand: async () => undefined },
  workspace: { getConfiguration: () => config, onDidChangeConfiguration: event },
  authentication: { registerAuthenticationProvider: () => disposable },
  context: {
    subscriptions: [], secrets: { get: async () => undefined, store: async () => {}, delete: async () => {}, onDidChange: event },
    globalStorageUri: { fsPath: '/tmp/matrix-channels-bench' },
    extension: { id: 'matrix-channels.matrix-channels', packageJSON: { name: 'matrix-channels', displayName: 'Matrix Channels', homepage: 'https://matrix-channels.github.io/vscode', version: '0' } },
  },
};
`;
}
