#!/usr/bin/env node
/**
 * npm run bench: activation cost of the extension, against a baseline built in the same run that loads the
 * workbench and the engine (matrix-js-sdk, openid-client) eagerly, with no channel configured (a first start:
 * only the activation bundle runs) and with one (the workbench starts in activate()). Each sample is a fresh Node process that loads the bundle and
 * calls activate() with a stand-in for the `vscode` module (test/bench/activation/: what is measured is our code,
 * not VS Code). Prints sizes, medians and ratios; asserts nothing.
 *   npm run bench [-- --smoke]   --smoke: 2 samples per variant (BENCH_SAMPLES overrides)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const out = join(root, 'test-results', 'bench');
// --smoke: a quick run inside `npm test`, so that the benchmark cannot rot; same output, fewer samples.
const smoke = process.argv.includes('--smoke');
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? (smoke ? 2 : 15));
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

// The product: the activation bundle, with the workbench and the engine as sibling bundles, each required on
// first need.
await esbuild.build({
  ...common,
  entryPoints: ['src/extension.ts'],
  outfile: join(out, 'lazy', 'extension.js'),
  external: ['vscode', './workbench.js'],
});
await esbuild.build({
  ...common,
  entryPoints: ['src/workbench.ts'],
  outfile: join(out, 'lazy', 'workbench.js'),
  external: ['vscode', './engine.js'],
});
await esbuild.build({
  ...common,
  entryPoints: ['src/core/engine.ts'],
  outfile: join(out, 'lazy', 'engine.js'),
  external: ['vscode'],
});
// The baseline: the same extension with the workbench and the engine imported at load time, in one bundle.
writeFileSync(
  join(out, 'eager-entry.ts'),
  "import '../../src/core/engine.ts';\nimport '../../src/workbench.ts';\nexport * from '../../src/extension.ts';\n",
);
await esbuild.build({
  ...common,
  entryPoints: [join(out, 'eager-entry.ts')],
  outfile: join(out, 'eager', 'extension.js'),
  external: ['vscode'],
  plugins: [
    {
      name: 'siblings-inline',
      setup(b) {
        b.onResolve({ filter: /^\.\/engine\.js$/ }, () => ({ path: join(root, 'src/core/engine.ts') }));
        b.onResolve({ filter: /^\.\/workbench\.js$/ }, () => ({ path: join(root, 'src/workbench.ts') }));
      },
    },
  ],
});

const sampler = join(root, 'test', 'bench', 'activation', 'sample.cjs');

// With one channel configured the workbench loads during activate(); without, only the activation bundle runs.
const ONE_CHANNEL = JSON.stringify([{ id: 'bench', homeserver: 'https://matrix.example.org', auth: 'password' }]);
const SCENARIOS = { 'no channel': {}, 'one channel': { BENCH_CHANNELS: ONE_CHANNEL } };

function sample(bundle, env) {
  const result = spawnSync(process.execPath, [sampler, bundle], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`sample failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(variant, env) {
  const bundle = join(out, variant, 'extension.js');
  sample(bundle, env); // warm the file cache
  const runs = Array.from({ length: SAMPLES }, () => sample(bundle, env));
  return {
    load: median(runs.map((r) => r.loadMs)),
    activate: median(runs.map((r) => r.activateMs)),
    heap: median(runs.map((r) => r.heapMb)),
  };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const size = (variant, file) => statSync(join(out, variant, file)).size;
console.log(
  `activation bundle (minified): ${kb(size('lazy', 'extension.js'))}; loaded on demand: workbench ${kb(size('lazy', 'workbench.js'))}, engine ${kb(size('lazy', 'engine.js'))}`,
);
console.log(
  `eager baseline bundle:        ${kb(size('eager', 'extension.js'))}  (${(size('eager', 'extension.js') / size('lazy', 'extension.js')).toFixed(0)}x larger)`,
);
for (const [scenario, env] of Object.entries(SCENARIOS)) {
  const lazy = measure('lazy', env);
  const eager = measure('eager', env);
  const total = (r) => r.load + r.activate;
  console.log(`${scenario}:`);
  console.log(
    `  load (require) median:      ${lazy.load.toFixed(2)} ms vs ${eager.load.toFixed(2)} ms eager  (${(eager.load / lazy.load).toFixed(1)}x faster)`,
  );
  console.log(
    `  activate() median:          ${lazy.activate.toFixed(2)} ms vs ${eager.activate.toFixed(2)} ms eager  (ratio ${(eager.activate / lazy.activate).toFixed(2)})`,
  );
  console.log(
    `  load + activate median:     ${total(lazy).toFixed(2)} ms vs ${total(eager).toFixed(2)} ms eager  (${(total(eager) / total(lazy)).toFixed(1)}x faster)`,
  );
  console.log(`  heap after activation:      ${lazy.heap.toFixed(1)} MB vs ${eager.heap.toFixed(1)} MB eager`);
}
console.log(`(${SAMPLES} fresh processes per variant and scenario, Node ${process.versions.node})`);
