#!/usr/bin/env node
/**
 * npm run bench: activation cost of the extension, against a baseline built in the same run that loads the
 * engine (matrix-js-sdk, openid-client) eagerly. Each sample is a fresh Node process that loads the bundle and
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

const sampler = join(root, 'test', 'bench', 'activation', 'sample.cjs');

function sample(bundle) {
  const result = spawnSync(process.execPath, [sampler, bundle], { encoding: 'utf8' });
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
