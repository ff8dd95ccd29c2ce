#!/usr/bin/env node
/**
 * The test command. Stages: check (type-check + lint), unit (plain Node, no servers), package (.vsix
 * contents), integration (against the test bed it starts and stops itself). The last line is always "N passed, N failed" over all stages.
 *   node scripts/test.mjs                 all stages
 *   node scripts/test.mjs unit            unit tests only
 *   node scripts/test.mjs integration [file…]   bed + integration tests (optionally only these files)
 *   node scripts/test.mjs check | package       type-check and lint | build the .vsix and check its contents
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '..', '..');
const resultsDir = join(root, 'test-results');
const [mode = 'all', ...fileArgs] = process.argv.slice(2);
const totals = { passed: 0, failed: 0, skipped: 0 };
const timings = [];

function testFiles(dir) {
  return readdirSync(join(root, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => join(dir, f))
    .sort();
}

function run(command, args, options = {}) {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    child.on('exit', (code, signal) => resolveRun(code ?? (signal ? 1 : 0)));
    child.on('error', (error) => {
      console.error(`cannot run ${command}: ${error.message}`);
      resolveRun(1);
    });
  });
}

async function stage(name, fn) {
  const started = Date.now();
  console.log(`\n=== ${name} ===`);
  await fn();
  timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

/** Type-check and lint, each counted as one check. */
async function checks() {
  const steps = [
    ['tsc', [join(root, 'node_modules/typescript/bin/tsc'), '-p', '.']],
    ['tsc webview', [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'webview']],
    ['eslint', [join(root, 'node_modules/eslint/bin/eslint.js'), '.']],
  ];
  for (const [label, args] of steps) {
    const code = await run(process.execPath, args);
    console.log(`${code === 0 ? 'ok' : 'FAILED'}: ${label}`);
    if (code === 0) totals.passed++;
    else totals.failed++;
  }
}

/** Runs node:test over files, printing the spec report and counting from a TAP copy. */
async function nodeTests(label, files, env = {}) {
  if (files.length === 0) {
    console.log(`no ${label} test files`);
    totals.failed++;
    return;
  }
  mkdirSync(resultsDir, { recursive: true });
  const tapFile = join(resultsDir, `${label}.tap`);
  const code = await run(process.execPath, [
    '--import', 'tsx',
    '--test',
    '--test-concurrency=6',
    '--test-timeout=240000',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tapFile}`,
    ...files,
  ], { env: { ...process.env, ...env } });
  const tap = readFileSync(tapFile, 'utf8');
  const count = (key) => Number((tap.match(new RegExp(`^# ${key} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += count('skipped') + count('todo');
  if (code !== 0 && failed === 0) totals.failed++; // the runner itself failed (e.g. a file did not load)
  return code === 0 && failed === 0;
}

/** Starts the bed in a child process and resolves with its info once it is up. */
function startBed(logDir) {
  return new Promise((resolveBed, rejectBed) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/bed/run.ts', '--log-dir', logDir], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolveBed({ info: JSON.parse(line), child }));
    child.once('exit', (code) => rejectBed(new Error(`the test bed exited (code ${code}) before it was up`)));
  });
}

function stopBed(child) {
  return new Promise((resolveStop) => {
    if (child.exitCode !== null) return resolveStop();
    child.once('exit', () => resolveStop());
    child.kill('SIGTERM');
  });
}

async function integration() {
  const files = fileArgs.length ? fileArgs : testFiles('test/integration');
  const logDir = join(resultsDir, 'bed');
  const started = Date.now();
  let bed;
  try {
    bed = await startBed(logDir);
  } catch (error) {
    console.error(`\nThe test bed could not start: ${error.message}\nServer logs: ${relative(root, logDir)}/`);
    totals.failed++;
    return;
  }
  console.log(`test bed up in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  let ok;
  try {
    ok = await nodeTests('integration', files, { MATRIX_BED: JSON.stringify(bed.info) });
  } finally {
    await stopBed(bed.child);
  }
  if (ok) rmSync(logDir, { recursive: true, force: true });
  else console.log(`\nServer logs kept in ${relative(root, logDir)}/ (oauth.log, synapse-*/synapse.log)`);
}

const stages = {
  check: () => stage('check: type-check and lint', checks),
  unit: () => stage('unit tests', () => nodeTests('unit', fileArgs.length ? fileArgs : testFiles('test/unit'))),
  integration: () => stage('integration tests (test bed)', integration),
  package: () => stage('packaging (.vsix)', () => nodeTests('package', testFiles('test/package'))),
};
const plan = {
  all: ['check', 'unit', 'package', 'integration'],
  unit: ['unit'],
  integration: ['integration'],
  check: ['check'],
  package: ['package'],
}[mode];
if (!plan) {
  console.error(`unknown mode "${mode}"; use one of: all, unit, integration, check`);
  process.exit(2);
}
for (const name of plan) await stages[name]();
console.log(`\n${timings.join(', ')}${totals.skipped ? `; ${totals.skipped} skipped` : ''}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 ? 0 : 1);
