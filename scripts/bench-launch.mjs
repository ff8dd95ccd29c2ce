// Runs a TypeScript benchmark (test/bench/…, through tsx) with this process's arguments, and exits with its code.
// `smokeEnv`: the settings of its --smoke run (a quick run inside `npm test`, so that it cannot rot); the
// environment still overrides them.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');

export function launchBench(file, { smokeEnv = {} } = {}) {
  const args = process.argv.slice(2);
  const env = args.includes('--smoke') ? { ...smokeEnv, ...process.env } : process.env;
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test', 'bench', file), ...args], {
    env,
    cwd: root,
    stdio: 'inherit',
  });
  process.exit(result.status ?? 1);
}
