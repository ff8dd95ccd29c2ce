// npm run package: production build + `vsce package` (run on Node >= 22) + content listing.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';
import { ensureNode24 } from './node24.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function fail(message) {
  console.error(`[package] ${message}`);
  process.exit(1);
}

function vsceEntry() {
  const pkgJson = require.resolve('@vscode/vsce/package.json', { paths: [root] });
  const { bin } = JSON.parse(readFileSync(pkgJson, 'utf8'));
  const rel = typeof bin === 'string' ? bin : bin.vsce;
  return join(dirname(pkgJson), rel);
}

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const vsix = `${name}-${version}.vsix`;

try {
  await build({ production: true });
} catch {
  fail('production build failed');
}

let node;
try {
  node = ensureNode24();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

const vsce = vsceEntry();
// vsce runs `npm run vscode:prepublish` (production build again, on the system Node) before packing.
const packed = spawnSync(node, [vsce, 'package', '--no-dependencies', '--out', vsix], {
  cwd: root,
  stdio: 'inherit',
});
if (packed.error) fail(packed.error.message);
if (packed.status !== 0) fail(`vsce package failed (exit ${packed.status})`);

const vsixPath = join(root, vsix);
console.log(`\n[package] contents of ${vsix}:`);
if (hasCommand('unzip')) {
  spawnSync('unzip', ['-l', vsixPath], { stdio: 'inherit' });
} else {
  spawnSync(node, [vsce, 'ls', '--no-dependencies', '--tree'], { cwd: root, stdio: 'inherit' });
}
console.log(`[package] ${vsix}: ${(statSync(vsixPath).size / 1024).toFixed(1)} KB`);
