// Bundles the extension host (CommonJS, Node) and the webview (IIFE, browser) with esbuild.
// CLI: node scripts/build.mjs [--production] [--watch] [--tests]   (--tests: the extension-host test bundles only)
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CRYPTO_WASM_PACKAGE = join(root, 'node_modules', '@matrix-org', 'matrix-sdk-crypto-wasm');
const CRYPTO_WASM_ENTRY = join(CRYPTO_WASM_PACKAGE, 'node.cjs');
const CRYPTO_WASM = 'pkg/matrix_sdk_crypto_wasm_bg.wasm';

/**
 * The Rust crypto's WebAssembly, where a bundle's copy of its loader reads it: `pkg/` beside the bundle
 * (dist/pkg/ for the engine, dist/test/pkg/ for the extension tests' peer client).
 */
function copyCryptoWasm(directory = join(root, 'dist')) {
  mkdirSync(join(directory, 'pkg'), { recursive: true });
  copyFileSync(join(CRYPTO_WASM_PACKAGE, CRYPTO_WASM), join(directory, CRYPTO_WASM));
}

/** @param {{ production?: boolean }} options */
function buildOptions({ production = false } = {}) {
  /** @type {import('esbuild').BuildOptions} */
  const common = {
    absWorkingDir: root,
    bundle: true,
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    metafile: true,
  };
  return [
    {
      ...common,
      entryPoints: ['src/extension.ts'],
      outfile: 'dist/extension.js',
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      // Activation only: the workbench is a separate bundle, required on first need.
      external: ['vscode', './workbench.js'],
    },
    {
      ...common,
      entryPoints: ['src/workbench.ts'],
      outfile: 'dist/workbench.js',
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      // The engine (matrix-js-sdk, openid-client) is a separate bundle, required on first need.
      external: ['vscode', './engine.js'],
    },
    {
      ...common,
      entryPoints: ['src/core/engine.ts'],
      outfile: 'dist/engine.js',
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      external: ['vscode'],
      // The Rust crypto's CommonJS entry finds its WebAssembly beside the bundle (dist/pkg/, copied below) and
      // reads it only when an account starts its encryption; the ES module entry would look for it through
      // import.meta.url, which a CommonJS bundle lacks.
      alias: { '@matrix-org/matrix-sdk-crypto-wasm': CRYPTO_WASM_ENTRY },
    },
    {
      ...common,
      entryPoints: ['webview/main.ts'],
      outfile: 'dist/webview/main.js',
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
    },
    {
      ...common,
      entryPoints: ['webview/room/main.ts'],
      outfile: 'dist/webview/room.js',
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
    },
  ];
}

/** @param {import('esbuild').BuildResult[]} results */
function summary(results, label) {
  const parts = [];
  for (const result of results) {
    for (const file of Object.keys(result.metafile?.outputs ?? {})) {
      if (file.endsWith('.map')) continue;
      const size = statSync(join(root, file)).size;
      parts.push(`${relative('.', join(root, file)) || file} ${(size / 1024).toFixed(1)} KB`);
    }
  }
  return `[${label}] ${parts.join(', ')}`;
}

/**
 * One-shot build of extension + webview. Throws on esbuild errors.
 * @param {{ production?: boolean }} [options]
 */
export async function build({ production = false } = {}) {
  if (production) {
    // Don't leave stale development source maps next to minified bundles.
    for (const o of buildOptions({ production })) rmSync(join(root, `${o.outfile}.map`), { force: true });
  }
  const results = await Promise.all(buildOptions({ production }).map((o) => esbuild.build(o)));
  copyCryptoWasm();
  console.log(summary(results, `build ${production ? 'production' : 'development'}`));
  return results;
}

/**
 * The extension-host test bundles (never packaged: .vscodeignore excludes dist/test/**):
 *  - dist/test/index.js: the suite entry (`run()`), loaded as extensionTestsPath by the code-server harness
 *    (scripts/extension-tests.mjs);
 *  - dist/test/after-reload.js: the after-reload suite's entry, which the harness loads after reloading the
 *    workbench when the main suite asked for it;
 *  - dist/test/suite.js: the same suite as a plain Mocha test file, for `vscode-test` (desktop VS Code,
 *    .vscode-test.mjs), whose own runner calls Mocha with `files`;
 *  - dist/test/desktop-setup.js: Mocha global setup for `vscode-test` (starts the test bed).
 */
export async function buildExtensionTests() {
  /** @type {import('esbuild').BuildOptions} */
  const common = {
    absWorkingDir: root,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    sourcemap: 'inline',
    logLevel: 'warning',
    // Mocha's parallel mode (unused here) resolves worker files at run time.
    logOverride: { 'require-resolve-not-external': 'silent' },
    metafile: true,
    // A test plays the other side of an encrypted conversation with the Rust crypto, as the engine runs it.
    alias: { '@matrix-org/matrix-sdk-crypto-wasm': CRYPTO_WASM_ENTRY },
  };
  copyCryptoWasm(join(root, 'dist', 'test'));
  const results = await Promise.all([
    esbuild.build({ ...common, entryPoints: ['test/extension/index.ts'], outfile: 'dist/test/index.js' }),
    esbuild.build({ ...common, entryPoints: ['test/extension/after-reload.ts'], outfile: 'dist/test/after-reload.js' }),
    esbuild.build({ ...common, entryPoints: ['test/extension/suite/index.ts'], outfile: 'dist/test/suite.js' }),
    esbuild.build({
      ...common,
      entryPoints: ['test/extension/desktop-setup.ts'],
      outfile: 'dist/test/desktop-setup.js',
    }),
  ]);
  console.log(summary(results, 'build extension tests'));
  return results;
}

/**
 * Watch mode: rebuilds on change, prints a summary after each rebuild. Resolves once watching.
 * @param {{ production?: boolean }} [options]
 */
export async function watch({ production = false } = {}) {
  const contexts = await Promise.all(
    buildOptions({ production }).map((o) =>
      esbuild.context({
        ...o,
        plugins: [
          {
            name: 'report',
            setup(b) {
              b.onEnd((result) => {
                const when = new Date().toLocaleTimeString();
                if (result.errors.length > 0) {
                  console.log(`[watch ${when}] ${o.outfile}: ${result.errors.length} error(s)`);
                } else {
                  console.log(summary([result], `watch ${when}`));
                }
              });
            },
          },
        ],
      }),
    ),
  );
  copyCryptoWasm();
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[watch] watching for changes (Ctrl+C to stop)');
  return contexts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const production = args.includes('--production');
  try {
    if (args.includes('--watch')) {
      const contexts = await watch({ production });
      const stop = async () => {
        await Promise.all(contexts.map((c) => c.dispose()));
        process.exit(0);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    } else if (args.includes('--tests')) {
      await buildExtensionTests();
    } else {
      await build({ production });
    }
  } catch (error) {
    // esbuild already printed the diagnostics (logLevel: 'warning'); keep the exit code meaningful.
    if (!(error && typeof error === 'object' && 'errors' in error)) console.error(error);
    process.exitCode = 1;
  }
}
