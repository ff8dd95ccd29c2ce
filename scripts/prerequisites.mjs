// The operating-system packages the README's two commands need, provisioned by the commands themselves: as root
// on a machine with apt-get, what is missing is installed quietly and named; otherwise the run stops at once with
// the exact command to run. Nothing here downloads a binary of its own: only the system's package manager does.
// Looking at the machine (machineFacts) is kept apart from deciding what to do about it (decidePrerequisites, a
// pure function: test/unit/bed/prerequisites.test.ts).
//   node scripts/prerequisites.mjs [need…]   checks (and installs) the needs given, default all
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  debianGoPath,
  dendriteBin,
  DENDRITE_VERSION,
  describeGoFound,
  GO_MINOR_NEEDED,
  isDendriteBuilt,
  probeGo,
  usableGo,
} from '../test/bed/dendrite-build.mjs';
import { cacheDir } from './node24.mjs';

/**
 * What each need checks, and the Debian package that satisfies it. A check looks at the machine, not at dpkg,
 * so that a tool installed another way counts too. The `dendrite` need also wants Go (see machineFacts), which
 * Debian may not package new enough.
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
  // Dendrite, the bed's second homeserver, is built once into the cache with Go (cgo, for SQLite).
  dendrite: [
    {
      what: 'a C compiler (Dendrite uses cgo)',
      pkg: 'build-essential',
      ok: () => isDendriteBuilt(cacheDir()) || compilesC(),
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

/** Whether the C compiler cgo uses (CC, default gcc) compiles and links a program with the C library. */
function compilesC() {
  const result = spawnSync(process.env.CC || 'gcc', ['-x', 'c', '-', '-o', '/dev/null'], {
    input: '#include <stdlib.h>\nint main(void) { return EXIT_SUCCESS; }\n',
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  return !result.error && result.status === 0;
}

/** The minors of the golang-1.NN-go packages apt's package lists offer. */
function aptGoMinors() {
  const result = spawnSync('apt-cache', ['search', '--names-only', '^golang-1\\.[0-9]+-go$'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return [];
  return [...result.stdout.matchAll(/^golang-1\.(\d+)-go\s/gm)].map((match) => Number(match[1]));
}

function aptUpdate() {
  return spawnSync('apt-get', ['update', '-qq'], { env: aptEnv(), encoding: 'utf8' });
}

function aptEnv() {
  return { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
}

/**
 * @typedef {{ what: string, pkg: string }} Missing  a requirement the machine lacks, and its Debian package
 * @typedef {{ path: string, version: string | undefined }} GoFound  a go tried, and its `go env GOVERSION`
 * @typedef {{
 *   root: boolean,
 *   apt: boolean,
 *   missing: Missing[],
 *   go?: { env: string | undefined, found: GoFound[], aptMinors: number[], bin: string },
 * }} Facts
 *   What the machine has. `missing`: the packaged requirements it lacks. `go`: present only when Dendrite has to be
 *   built (the `dendrite` need, and no build in the cache): GO as set, the go binaries tried, the golang-1.NN-go
 *   packages apt offers, and where Dendrite is built.
 * @typedef {{ install: string[], what: string[], go?: string, stop?: string }} Decision
 *   What to do: install these Debian packages (for the `what`s), then use this go for Dendrite (GO), then, if
 *   `stop` is set, stop with that message (the exact thing to do).
 */

/**
 * Looks at the machine for `needs` (keys of REQUIREMENTS). May run `apt-get update` (as root, when it must know
 * whether apt offers a new enough Go).
 * @param {string[]} needs
 * @param {{ aptUpdated?: boolean }} [state]  whether apt-get update already ran (set here when it runs)
 * @returns {Facts}
 */
export function machineFacts(needs, state = {}) {
  const unknown = needs.filter((need) => !REQUIREMENTS[need]);
  if (unknown.length) throw new Error(`unknown prerequisite: ${unknown.join(', ')}`);
  const root = process.getuid?.() === 0;
  const apt = runs('apt-get', ['--version']);
  const missing = needs.flatMap((need) => REQUIREMENTS[need]).filter((req) => !req.ok());
  const facts = { root, apt, missing: missing.map(({ what, pkg }) => ({ what, pkg })) };
  if (!needs.includes('dendrite') || isDendriteBuilt(cacheDir())) return facts;
  const found = probeGo();
  let aptMinors = [];
  if (!usableGo(found) && !process.env.GO && apt) {
    // Only now is it worth knowing what apt offers; as root, from fresh package lists.
    if (root && !state.aptUpdated) state.aptUpdated = aptUpdate().status === 0;
    aptMinors = aptGoMinors();
  }
  return { ...facts, go: { env: process.env.GO, found, aptMinors, bin: dendriteBin(cacheDir()) } };
}

/**
 * What to do about the machine's facts: nothing, install packages (root with apt-get), or stop with the exact
 * command or instructions. Pure.
 * @param {Facts} facts
 * @returns {Decision}
 */
export function decidePrerequisites({ root, apt, missing, go }) {
  const wanted = [...missing];
  let goPath;
  let goProblem;
  if (go) {
    const usable = usableGo(go.found);
    const aptMinor = Math.max(0, ...go.aptMinors.filter((minor) => minor >= GO_MINOR_NEEDED));
    if (usable) goPath = usable.path;
    else if (!go.env && aptMinor) {
      wanted.push({ what: `Go 1.${GO_MINOR_NEEDED} or newer, to build Dendrite`, pkg: `golang-1.${aptMinor}-go` });
      goPath = debianGoPath(aptMinor);
    } else goProblem = goMissing(go, apt);
  }
  const install = [...new Set(wanted.map((req) => req.pkg))];
  const what = [...new Set(wanted.map((req) => req.what))];
  if (install.length === 0 || (apt && root)) {
    // As root, what apt-get can install is installed even when Go then stops the run: one thing less to do by hand.
    return { install, what, ...(goPath ? { go: goPath } : {}), ...(goProblem ? { stop: stopForGo(goProblem) } : {}) };
  }
  const missingAll = [describe(wanted), ...(goProblem ? [goProblem.need] : [])].join('; ');
  const thenGo = goProblem ? `\n${goProblem.how}, then run this again.` : '';
  if (!apt) {
    const how = goProblem
      ? "Install the packages with your system's package manager."
      : "Install them with your system's package manager, then run this again.";
    return { install: [], what: [], stop: `Missing: ${missingAll}. ${how}${thenGo}` };
  }
  const how = goProblem ? 'Install the packages:' : 'Install them, then run this again:';
  return {
    install: [],
    what: [],
    stop: `Missing: ${missingAll}. ${how}\n  sudo sh -c '${aptCommand(install)}'${thenGo}`,
  };
}

function stopForGo({ need, how }) {
  return `Missing: ${need}.\n${how}, then run this again.`;
}

/** What to say when no go is new enough and apt offers none (or GO names another): what is missing, and how. */
function goMissing({ env, found, aptMinors, bin }, apt) {
  const newEnough = `Go 1.${GO_MINOR_NEEDED} or newer`;
  const has = describeGoFound(found, { GO: env });
  const need = `${newEnough}, to build Dendrite ${DENDRITE_VERSION} (the test bed's second homeserver) once into ${bin}; found ${has}`;
  if (env)
    return {
      need,
      how: `Set GO to a go binary of 1.${GO_MINOR_NEEDED} or newer (https://go.dev/doc/install), or unset it`,
    };
  const install = `install ${newEnough} from https://go.dev/doc/install (or set GO to a go binary of 1.${GO_MINOR_NEEDED} or newer)`;
  if (!apt) return { need, how: install[0].toUpperCase() + install.slice(1) };
  const offered = aptMinors.length ? ` (only ${aptMinors.map((minor) => `golang-1.${minor}-go`).join(', ')})` : '';
  return { need, how: `apt offers no golang-1.${GO_MINOR_NEEDED}-go or newer here${offered}: ${install}` };
}

function describe(reqs) {
  const byPkg = new Map();
  for (const req of reqs) byPkg.set(req.pkg, [...(byPkg.get(req.pkg) ?? []), req.what]);
  return [...byPkg].map(([pkg, whats]) => `${whats.join(', ')} (${pkg})`).join(', ');
}

function aptCommand(packages) {
  return `apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')}`;
}

/**
 * Makes sure the machine has what `needs` require. Installs the missing Debian packages when it can (root and
 * apt-get) and says what it installed; points GO at the go Dendrite is to be built with when that is not the
 * default one; otherwise throws an error whose message is the exact command to run or what to install.
 * @param {string[]} needs  keys of REQUIREMENTS
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {string[]} the packages installed
 */
export function ensurePrerequisites(needs, { log = (line) => console.log(line) } = {}) {
  const state = { aptUpdated: false };
  let decision = decidePrerequisites(machineFacts(needs, state));
  const packages = decision.install;
  if (packages.length) {
    log(`[prerequisites] installing ${packages.join(' ')} with apt-get (missing: ${decision.what.join(', ')})`);
    const steps = [
      ...(state.aptUpdated ? [] : [['apt-get', ['update', '-qq']]]),
      ['apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages]],
    ];
    for (const [cmd, args] of steps) {
      const result = spawnSync(cmd, args, { env: aptEnv(), encoding: 'utf8' });
      if (result.error || result.status !== 0) {
        const detail = (result.stderr || result.error?.message || '').trim().split('\n').slice(-5).join('\n');
        throw new Error(
          `"${cmd} ${args.join(' ')}" failed (exit ${result.status}):\n${detail}\nRun yourself: ${aptCommand(packages)}`,
        );
      }
    }
    decision = decidePrerequisites(machineFacts(needs, state));
    if (decision.install.length) throw new Error(`Still missing after apt-get: ${decision.what.join(', ')}`);
    log(`[prerequisites] installed ${packages.join(' ')}`);
  }
  if (decision.go && decision.go !== (process.env.GO ?? 'go')) {
    // The bed (test/bed/dendrite.ts) inherits it: it builds Dendrite with GO when set.
    process.env.GO = decision.go;
    log(`[prerequisites] Dendrite will be built with ${decision.go} (GO)`);
  }
  if (decision.stop) throw new Error(decision.stop);
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
