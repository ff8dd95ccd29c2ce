// What building Dendrite for the test bed takes, in one place for both its users: test/bed/dendrite.ts, which
// builds it, and scripts/prerequisites.mjs, which checks before anything runs that it can be built. Plain
// JavaScript because the scripts run on plain Node, which cannot import TypeScript; types in dendrite-build.d.mts.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const DENDRITE_VERSION = '0.13.8';
/** The commands the bed runs, built by `go install` into dendriteBin(). */
export const DENDRITE_COMMANDS = ['dendrite', 'generate-keys', 'generate-config'];
/** Dendrite 0.13.8's go.mod asks for Go 1.21. */
export const GO_MINOR_NEEDED = 21;

/** Where the commands are built, under the cache folder (test/bed/paths.ts cacheDir()). */
export function dendriteBin(cache) {
  return join(cache, `dendrite-${DENDRITE_VERSION}`, 'bin');
}

/** Whether Dendrite is already built in the cache: then neither Go nor a C compiler is needed. */
export function isDendriteBuilt(cache) {
  const bin = dendriteBin(cache);
  return DENDRITE_COMMANDS.every((command) => existsSync(join(bin, command)));
}

/** The minor version of a `go env GOVERSION` ("go1.22.3" → 22); 0 when it is not a Go 1 release. */
export function goMinor(version) {
  return Number(/^go1\.(\d+)/.exec(version?.trim() ?? '')?.[1] ?? 0);
}

export function isGoNewEnough(version) {
  return goMinor(version) >= GO_MINOR_NEEDED;
}

/** Where Debian's golang-1.NN-go package puts its go, which is not on PATH. */
export function debianGoPath(minor) {
  return `/usr/lib/go-1.${minor}/bin/go`;
}

/** `go env GOVERSION` of the go binary `go`, or undefined when it does not run. */
export function goVersion(go) {
  const result = spawnSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' });
  return !result.error && result.status === 0 && result.stdout.trim() ? result.stdout.trim() : undefined;
}

/**
 * The go binaries to try, best first: GO alone when it is set; otherwise `go` on PATH, then the versioned ones
 * Debian installs under /usr/lib, newest first.
 */
export function goCandidates(env = process.env) {
  if (env.GO) return [env.GO];
  let debian = [];
  try {
    debian = readdirSync('/usr/lib')
      .map((name) => Number(/^go-1\.(\d+)$/.exec(name)?.[1] ?? 0))
      .filter((minor) => minor > 0)
      .sort((a, b) => b - a)
      .map(debianGoPath)
      .filter((path) => existsSync(path));
  } catch {
    // no /usr/lib (not Linux)
  }
  return ['go', ...debian];
}

/** Each candidate with its version (undefined: it does not run). */
export function probeGo(env = process.env) {
  return goCandidates(env).map((path) => ({ path, version: goVersion(path) }));
}

/** The first found go that is new enough to build Dendrite. */
export function usableGo(found) {
  return found.find((go) => isGoNewEnough(go.version));
}

/** What was found, for a message: "go1.19.8 (go)", "no go on PATH", "GO=/x/go, which does not run". */
export function describeGoFound(found, env = process.env) {
  const runs = found.filter((go) => go.version);
  if (runs.length) return runs.map((go) => `${go.version} (${go.path})`).join(', ');
  return env.GO ? `GO=${env.GO}, which does not run` : 'no go on PATH';
}
