// Real VS Code for the extension-host tests: code-server from npm (desktop VS Code cannot be downloaded
// here), installed once into the cache folder with Node 24, whose native modules need Node 24 headers.
// Also: starting and stopping it (its own process group), shared by the extension tests and the sandbox.
// CLI: node scripts/code-server.mjs   (installs if needed and prints the entry path)
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cacheDir, ensureNode24 } from './node24.mjs';

export const CODE_SERVER_VERSION = '4.139.1';

export function codeServerDir() {
  return join(cacheDir(), `code-server-${CODE_SERVER_VERSION}`);
}

/** Whether code-server is installed in the cache (installing it compiles native modules). */
export function isCodeServerInstalled() {
  const dir = codeServerDir();
  return (
    existsSync(join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js')) &&
    existsSync(join(dir, '.installed'))
  );
}

/** Returns { node, entry }: the Node 24 binary and code-server's entry script, installing when absent. */
export function ensureCodeServer({ quiet = false } = {}) {
  const node = ensureNode24({ quiet });
  const dir = codeServerDir();
  const entry = join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  const marker = join(dir, '.installed');
  if (isCodeServerInstalled()) return { node, entry };

  if (!quiet)
    console.log(`[code-server] installing code-server@${CODE_SERVER_VERSION} into ${dir} (first run, a few minutes)`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify(
      {
        private: true,
        dependencies: { 'code-server': CODE_SERVER_VERSION },
        allowScripts: { 'code-server': true, argon2: true },
      },
      null,
      2,
    )}\n`,
  );
  const nodeHome = dirname(dirname(node));
  // Under `npm test`, the outer npm's settings arrive as npm_* variables, and the nested npm would take them
  // as its own config: npm_config_user_agent would say "node/v20" and code-server's postinstall refuses that.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const env = {
    ...inherited,
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
    throw new Error(
      `[code-server] install failed (exit ${result.status}). It needs a C/C++ toolchain and Kerberos headers: ` +
        'apt-get install build-essential python3 libkrb5-dev',
    );
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

/**
 * A quiet workbench: no gallery queries, AI features, tips or welcome page (less noise, less memory). Written
 * into `<user-data-dir>/User/settings.json` by the extension tests and the sandbox.
 */
export const WORKBENCH_SETTINGS = {
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/**
 * Starts code-server on 127.0.0.1 in its own process group (so that everything it starts can be stopped
 * together) and resolves once it answers /healthz.
 * @param {{
 *   node: string, entry: string, port?: number, userDataDir: string, extensionsDir: string, cwd: string,
 *   trustedDomains?: string[], args?: string[], env?: Record<string, string>,
 *   stdout?: NodeJS.WritableStream, stderr?: NodeJS.WritableStream, startTimeoutMs?: number,
 * }} options
 * @returns {Promise<{ origin: string, port: number, child: import('node:child_process').ChildProcess,
 *   exited: Promise<{ code: number | null, signal: NodeJS.Signals | null }>, stop: () => Promise<void> }>}
 */
export async function startCodeServer(options) {
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const configFile = join(options.userDataDir, 'code-server.yaml'); // keeps code-server away from ~/.config/code-server
  writeFileSync(configFile, '');
  const child = spawn(
    options.node,
    [
      options.entry,
      '--config',
      configFile,
      '--auth',
      'none',
      ...(options.trustedDomains?.length ? ['--link-protection-trusted-domains', ...options.trustedDomains] : []),
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--user-data-dir',
      options.userDataDir,
      '--extensions-dir',
      options.extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(options.args ?? []),
    ],
    {
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', options.stdout ? 'pipe' : 'ignore', options.stderr ? 'pipe' : 'ignore'],
      env: { ...process.env, ...options.env },
    },
  );
  if (options.stdout) child.stdout?.pipe(options.stdout);
  if (options.stderr) child.stderr?.pipe(options.stderr);
  const exited = once(child, 'exit').then(([code, signal]) => ({ code, signal }));
  const stop = () => stopProcessGroup(child, exited);
  try {
    await waitForHttp(`${origin}/healthz`, options.startTimeoutMs ?? 60_000, exited);
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  return { origin, port, child, exited, stop };
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHttp(url, timeoutMs, exited) {
  let dead;
  void exited.then(({ code, signal }) => (dead = `code-server exited (${code ?? signal}) before it answered`));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dead) throw new Error(dead);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs / 1000}s`);
}

/** SIGTERM to the whole process group, SIGKILL after 5 s; resolves when none of it is left. */
export async function stopProcessGroup(child, exited) {
  const group = child.pid;
  const signalGroup = (signal) => {
    try {
      process.kill(-group, signal);
    } catch {
      // already gone
    }
  };
  signalGroup('SIGTERM');
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && groupMembers(group).length > 0) await new Promise((r) => setTimeout(r, 100));
  if (groupMembers(group).length > 0) signalGroup('SIGKILL');
  await exited;
  const killDeadline = Date.now() + 5_000;
  while (Date.now() < killDeadline && groupMembers(group).length > 0) await new Promise((r) => setTimeout(r, 100));
  const left = groupMembers(group);
  if (left.length > 0) throw new Error(`code-server processes still running: ${left.join(', ')}`);
}

/** Live processes (not zombies) of a process group, from /proc (Linux; elsewhere: none known). */
function groupMembers(group) {
  return procStats()
    .filter((s) => s.pgrp === group && s.state !== 'Z')
    .map((s) => s.pid);
}

/** Every process's pid, state and process group, from /proc (Linux; elsewhere: empty). */
export function procStats() {
  let entries;
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const stats = [];
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.push({ pid: Number(pid), state: fields[0], pgrp: Number(fields[2]) });
    } catch {
      // exited meanwhile
    }
  }
  return stats;
}

/** A process's command line (NUL-separated), or '' when it is gone. */
export function cmdlineOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(ensureCodeServer().entry);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
