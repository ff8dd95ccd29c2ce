// Real VS Code for the extension-host tests: code-server from npm (desktop VS Code cannot be downloaded
// here), installed once into the cache folder with Node 24, whose native modules need Node 24 headers.
// CLI: node scripts/code-server.mjs   (installs if needed and prints the entry path)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cacheDir, ensureNode24 } from './node24.mjs';

export const CODE_SERVER_VERSION = '4.139.1';

export function codeServerDir() {
  return join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`);
}

/** Returns { node, entry }: the Node 24 binary and code-server's entry script, installing when absent. */
export function ensureCodeServer({ quiet = false } = {}) {
  const node = ensureNode24({ quiet });
  const dir = codeServerDir();
  const entry = join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const marker = join(dir, '.installed');
  if (existsSync(entry) && existsSync(marker)) return { node, entry };

  if (!quiet) console.log(`[code-server] installing code-server@${CODE_SERVER_VERSION} into ${dir} (first run, a few minutes)`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({
    private: true,
    dependencies: { 'code-server': CODE_SERVER_VERSION },
    allowScripts: { 'code-server': true, argon2: true },
  }, null, 2)}\n`);
  const nodeHome = dirname(dirname(node));
  const env = {
    ...process.env,
    PATH: `${dirname(node)}:${process.env.PATH}`,
    // The machine's npmrc may point node-gyp at another Node's headers; native modules must match Node 24.
    npm_config_nodedir: nodeHome,
    npm_config_update_notifier: 'false',
  };
  const npmCli = findNpmCli();
  const result = spawnSync(node, [npmCli, 'install', '--no-audit', '--no-fund', '--omit=dev'], {
    cwd: dir,
    env,
    stdio: quiet ? 'ignore' : 'inherit',
  });
  if (result.status !== 0 || !existsSync(entry)) {
    throw new Error(`[code-server] install failed (exit ${result.status}). It needs a C/C++ toolchain and Kerberos headers: ` +
      'apt-get install build-essential python3 libkrb5-dev');
  }
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  return { node, entry };
}

/** npm's CLI script of the npm that runs us (or the one next to the system node). */
function findNpmCli() {
  const candidates = [
    process.env.npm_execpath,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
    '/usr/lib/node_modules/npm/bin/npm-cli.js',
    '/usr/local/lib/node_modules/npm/bin/npm-cli.js',
  ];
  const found = candidates.find((c) => c && c.endsWith('.js') && existsSync(c));
  if (!found) throw new Error('[code-server] cannot find npm-cli.js to install code-server');
  return found;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(ensureCodeServer().entry);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
