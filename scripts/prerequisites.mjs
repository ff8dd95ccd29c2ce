// The operating-system packages the README's two commands need, provisioned by the commands themselves: as root
// on a machine with apt-get, what is missing is installed quietly and named; otherwise the run stops at once with
// the exact command to run. Nothing here downloads a binary of its own: only the system's package manager does.
//   node scripts/prerequisites.mjs [need…]   checks (and installs) the needs given, default all
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * What each need checks, and the Debian package that satisfies it. A check looks at the machine, not at dpkg,
 * so that a tool installed another way counts too.
 */
const REQUIREMENTS = {
  // Synapse runs from PyPI in a virtual environment.
  python: [
    { what: 'Python 3 with venv', pkg: 'python3-venv', ok: () => runs(python(), ['-c', 'import venv, ensurepip']) },
  ],
  // The extension tests drive VS Code in a headless browser.
  chromium: [{ what: 'Chromium', pkg: 'chromium', ok: () => existsSync(chromiumPath()) }],
  // code-server's native modules are compiled once, when it is first installed into the cache.
  'code-server-build': [
    {
      what: 'a C/C++ compiler and make',
      pkg: 'build-essential',
      ok: () => runs('g++', ['--version']) && runs('make', ['--version']),
    },
    { what: 'Python 3 (for node-gyp)', pkg: 'python3', ok: () => runs('python3', ['--version']) },
    {
      what: 'Kerberos headers',
      pkg: 'libkrb5-dev',
      ok: () => existsSync('/usr/include/krb5.h') || existsSync('/usr/include/krb5/krb5.h'),
    },
  ],
};

/** The Python that makes Synapse's virtual environment (PYTHON overrides it, as in test/bed/synapse.ts). */
function python() {
  return process.env.PYTHON || 'python3';
}

/** The browser the extension tests drive. */
export function chromiumPath() {
  return process.env.MATRIX_CHROMIUM || '/usr/bin/chromium';
}

function runs(command, args) {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return !result.error && result.status === 0;
}

/** The requirements of `needs` that this machine lacks. */
export function missingPrerequisites(needs) {
  const unknown = needs.filter((need) => !REQUIREMENTS[need]);
  if (unknown.length) throw new Error(`unknown prerequisite: ${unknown.join(', ')}`);
  const seen = new Set();
  return needs
    .flatMap((need) => REQUIREMENTS[need])
    .filter((req) => !seen.has(req.pkg) && seen.add(req.pkg) && !req.ok());
}

/**
 * Makes sure the machine has what `needs` require. Installs the missing Debian packages when it can (root and
 * apt-get) and says what it installed; otherwise throws an error whose message is the exact command to run.
 * @param {string[]} needs  keys of REQUIREMENTS
 * @param {{ log?: (line: string) => void }} [options]
 */
export function ensurePrerequisites(needs, { log = (line) => console.log(line) } = {}) {
  const missing = missingPrerequisites(needs);
  if (missing.length === 0) return [];
  const packages = missing.map((req) => req.pkg);
  const described = missing.map((req) => `${req.what} (${req.pkg})`).join(', ');
  const hasApt = runs('apt-get', ['--version']);
  const isRoot = process.getuid?.() === 0;
  if (!hasApt) {
    throw new Error(`Missing: ${described}. Install them with your system's package manager, then run this again.`);
  }
  const command = `apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  if (!isRoot) {
    throw new Error(`Missing: ${described}. Install them, then run this again:\n  sudo sh -c '${command}'`);
  }
  log(
    `[prerequisites] installing ${packages.join(' ')} with apt-get (missing: ${missing.map((r) => r.what).join(', ')})`,
  );
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const steps = [
    ['apt-get', ['update', '-qq']],
    ['apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages]],
  ];
  for (const [cmd, args] of steps) {
    const result = spawnSync(cmd, args, { env, encoding: 'utf8' });
    if (result.error || result.status !== 0) {
      const detail = (result.stderr || result.error?.message || '').trim().split('\n').slice(-5).join('\n');
      throw new Error(
        `"${cmd} ${args.join(' ')}" failed (exit ${result.status}):\n${detail}\nRun yourself: ${command}`,
      );
    }
  }
  const still = missingPrerequisites(needs);
  if (still.length) {
    throw new Error(`Still missing after apt-get: ${still.map((r) => `${r.what} (${r.pkg})`).join(', ')}`);
  }
  log(`[prerequisites] installed ${packages.join(' ')}`);
  return packages;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const needs = process.argv.slice(2);
    const installed = ensurePrerequisites(needs.length ? needs : Object.keys(REQUIREMENTS));
    if (installed.length === 0) console.log('[prerequisites] everything is present');
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
