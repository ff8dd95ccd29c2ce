#!/usr/bin/env node
/**
 * The test command. Stages: check (type-check, lint, format, the l10n check), unit (plain Node, no servers),
 * package (.vsix contents), integration (against the test bed), bench (every benchmark's smoke run, against the
 * same bed), extension (the extension in real VS Code: code-server driven by Chromium, against the same bed). The
 * bed is started once, for the stages that need it, and stopped at the end. The last line is always
 * "N passed, N failed" over all stages.
 *   node scripts/test.mjs                 all stages
 *   node scripts/test.mjs unit            unit tests only
 *   node scripts/test.mjs integration [file…]   bed + integration tests (optionally only these files)
 *   node scripts/test.mjs extension       bed + extension-host tests (MATRIX_TEST_GREP=… filters by title)
 *   node scripts/test.mjs check | package       type-check, lint, format, l10n | build the .vsix, check it
 *   node scripts/test.mjs bench           bed + every benchmark in its smoke mode (each must print its ratios)
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBedProcess, stopBedProcess } from './bed-process.mjs';
import { isCodeServerInstalled } from './code-server.mjs';
import { ensurePrerequisites } from './prerequisites.mjs';

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

/**
 * Type-check and lint, each counted as one check. ESLint (the longest) runs beside the others, one per core;
 * their output is printed whole, in this order, once each is done.
 */
async function checks() {
  const steps = [
    ['tsc', [join(root, 'node_modules/typescript/bin/tsc'), '-p', '.']],
    ['tsc webview', [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'webview']],
    ['eslint', [join(root, 'node_modules/eslint/bin/eslint.js'), '.']],
    ['prettier', [join(root, 'node_modules/prettier/bin/prettier.cjs'), '--check', '--log-level=warn', '.']],
    ['l10n', [join(root, 'scripts/l10n.mjs'), '--check']],
  ];
  const runStep = ([, args]) => runCaptured(process.execPath, args, { timeoutMs: 300_000 });
  const eslint = steps.find(([label]) => label === 'eslint');
  const linting = runStep(eslint);
  const results = new Map();
  for (const step of steps) if (step !== eslint) results.set(step, await runStep(step));
  results.set(eslint, await linting);
  for (const step of steps) {
    const { code, output } = results.get(step);
    process.stdout.write(output);
    console.log(`${code === 0 ? 'ok' : 'FAILED'}: ${step[0]}`);
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
  const code = await run(process.execPath, nodeTestArgs(label, files), { env: { ...process.env, ...env } });
  return countResults(label, code);
}

function nodeTestArgs(label, files) {
  mkdirSync(resultsDir, { recursive: true });
  return [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=6',
    '--test-timeout=240000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${join(resultsDir, `${label}.tap`)}`,
    ...files,
  ];
}

/** Adds a run's results (from its TAP copy) to the totals; true when everything passed. */
function countResults(label, code) {
  const tap = readFileSync(join(resultsDir, `${label}.tap`), 'utf8');
  const count = (key) => Number((tap.match(new RegExp(`^# ${key} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += count('skipped') + count('todo');
  if (code !== 0 && failed === 0) totals.failed++; // the runner itself failed (e.g. a file did not load)
  return code === 0 && failed === 0;
}

/**
 * Integration tests that spend minutes waiting for a server (Synapse keeps honouring a revoked token until its
 * 2-minute introspection cache expires). In a full run they run alongside the later stages, which keeps the
 * whole run short; their report is printed, and counted, at the end.
 */
const WAITING_TESTS = [
  'test/integration/bed/tokens.test.ts',
  'test/integration/core/minute-tokens.test.ts',
  // A minute of short-lived tokens, backoff across a sign-in server's outages, two windows watched for two
  // minutes: mostly waiting too.
  'test/integration/core/engine-lifecycle.test.ts',
  'test/integration/core/auth-server-outage.test.ts',
  'test/integration/core/two-windows.test.ts',
];

/**
 * The integration files that take longest (mostly waiting on tokens, backoff and servers), longest first: they
 * start first, so the stage is not left waiting on one that started last. The rest follow alphabetically.
 */
const SLOW_FIRST = [
  'test/integration/core/live-channel.test.ts',
  'test/integration/core/synapse-outage.test.ts',
  'test/integration/core/e2ee-verification.test.ts',
  'test/integration/core/e2ee.test.ts',
];

function slowFirst(files) {
  const rank = (file) => (SLOW_FIRST.includes(file) ? SLOW_FIRST.indexOf(file) : SLOW_FIRST.length);
  return [...files].sort((a, b) => rank(a) - rank(b));
}
let waitingTests;

async function finishWaitingTests() {
  if (!waitingTests) return;
  const { code, output } = await waitingTests;
  waitingTests = undefined;
  console.log('\n=== integration tests that wait (run alongside the later stages) ===');
  process.stdout.write(output);
  if (!countResults('integration-waiting', code)) bed.stagesFailed = true;
}

/**
 * The test bed, shared by the stages that need it: started on first use, stopped by `stopBed()` at the end.
 * Its server logs are kept when a stage that used it failed.
 */
const bedLogDir = join(resultsDir, 'bed');
const bed = { running: undefined, starting: undefined, failedToStart: false, stagesFailed: false };

/** The bed's info once it is up; stages that ask at the same time share one start. */
function useBed() {
  bed.starting ??= startBed();
  return bed.starting;
}

async function startBed() {
  if (bed.failedToStart) return undefined;
  const started = Date.now();
  try {
    bed.running = await startBedProcess(bedLogDir, { dendrite: true });
  } catch (error) {
    bed.failedToStart = true;
    console.error(`\nThe test bed could not start: ${error.message}\nServer logs: ${relative(root, bedLogDir)}/`);
    return undefined;
  }
  console.log(`test bed up in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  return bed.running.info;
}

async function stopBed() {
  await bed.starting;
  bed.starting = undefined;
  if (!bed.running) return;
  await stopBedProcess(bed.running.child);
  bed.running = undefined;
  if (bed.stagesFailed)
    console.log(`\nServer logs kept in ${relative(root, bedLogDir)}/ (oauth.log, synapse-*/synapse.log)`);
  else rmSync(bedLogDir, { recursive: true, force: true });
}

async function integration() {
  const all = fileArgs.length ? fileArgs : testFiles('test/integration');
  const info = await useBed();
  if (!info) {
    totals.failed++;
    return;
  }
  const env = { ...process.env, MATRIX_BED: JSON.stringify(info) };
  const alongside = plan.length > 1 ? all.filter((file) => WAITING_TESTS.includes(file)) : [];
  if (alongside.length) {
    waitingTests = runCaptured(process.execPath, nodeTestArgs('integration-waiting', alongside), {
      env,
      timeoutMs: 600_000,
    });
  }
  const ok = await nodeTests('integration', slowFirst(all.filter((file) => !alongside.includes(file))), {
    MATRIX_BED: JSON.stringify(info),
  });
  if (!ok) bed.stagesFailed = true;
}

/** The extension in code-server + Chromium (scripts/extension-tests.mjs), against the shared bed. */
async function extension() {
  const { checkExtensionTestPrerequisites, runExtensionTests } = await import('./extension-tests.mjs');
  try {
    checkExtensionTestPrerequisites();
  } catch (error) {
    console.error(`extension tests cannot run: ${error.message}`);
    totals.failed++;
    return;
  }
  const info = await useBed();
  if (!info) {
    totals.failed++;
    return;
  }
  let result;
  try {
    result = await runExtensionTests({ bed: info, logDir: join(resultsDir, 'extension') });
  } catch (error) {
    console.error(`extension tests could not run: ${error instanceof Error ? error.message : error}`);
    result = { passed: 0, failed: 1 };
  }
  totals.passed += result.passed;
  totals.failed += result.failed;
  if (result.failed > 0) bed.stagesFailed = true;
}

/**
 * Every benchmark in its quick smoke mode, so that none can rot: each must run and print its ratios (the numbers
 * themselves are not judged). They share the bed with the other stages.
 */
const BENCHMARKS = [
  ['bench (activation)', 'scripts/bench.mjs'],
  ['bench:sync (first sync, latency)', 'scripts/bench-sync.mjs'],
  ['bench:reload (reload → connected)', 'scripts/bench-reload.mjs'],
  ['bench:sign-in (sign-in round trips)', 'scripts/bench-sign-in.mjs'],
  ['bench:e2ee (encryption store)', 'scripts/bench-e2ee.mjs'],
  ['bench:room-view (a room of 10 000 messages)', 'scripts/bench-room-view.mjs'],
];

/** A smoke run takes seconds; one that has not ended after this is stuck (a process left running, say). */
const BENCH_SMOKE_TIMEOUT_MS = 180_000;

/** `say`: where each benchmark's line goes (printed at once by default; held back when run beside a stage). */
async function benchmarks(say = console.log) {
  const info = await useBed();
  if (!info) {
    totals.failed++;
    return;
  }
  for (const [label, script] of BENCHMARKS) {
    const started = Date.now();
    const { code, output } = await runCaptured(process.execPath, [script, '--smoke'], {
      env: { ...process.env, MATRIX_BED: JSON.stringify(info) },
      timeoutMs: BENCH_SMOKE_TIMEOUT_MS,
    });
    const printedRatios = /\d(\.\d+)?x\b/.test(output);
    const ok = code === 0 && printedRatios;
    say(`${ok ? 'ok' : 'FAILED'}: ${label} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    if (ok) totals.passed++;
    else {
      totals.failed++;
      bed.stagesFailed = true;
      say(output.split('\n').slice(-40).join('\n'));
      if (code === 0) say('(it ran, but printed no ratio)');
    }
  }
}

/** Like run(), with the output kept (shown only when the step fails), and stopped after `timeoutMs`. */
function runCaptured(command, args, { timeoutMs, ...options }) {
  return new Promise((resolveRun) => {
    let output = '';
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n(stopped: still running after ${timeoutMs / 1000} s)`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code: code ?? (signal ? 1 : 0), output });
    });
    child.on('error', (error) => resolveRun({ code: 1, output: `cannot run ${command}: ${error.message}` }));
  });
}

const stages = {
  check: () => stage('check: type-check and lint', checks),
  unit: () => stage('unit tests', () => nodeTests('unit', fileArgs.length ? fileArgs : testFiles('test/unit'))),
  integration: () => stage('integration tests (test bed)', integration),
  extension: () => stage('extension tests (code-server + Chromium, test bed)', extension),
  package: () => stage('packaging (.vsix)', () => nodeTests('package', testFiles('test/package'))),
  bench: () => stage('benchmarks (smoke runs)', benchmarks),
};
const plan = {
  all: ['check', 'unit', 'package', 'integration', 'bench', 'extension'],
  unit: ['unit'],
  integration: ['integration'],
  extension: ['extension'],
  check: ['check'],
  package: ['package'],
  bench: ['bench'],
}[mode];
if (!plan) {
  console.error(`unknown mode "${mode}"; use one of: all, unit, integration, extension, check, package, bench`);
  process.exit(2);
}
// Ctrl-C: the bed child stops when our stdin pipe to it closes; stop it explicitly when we can.
const interrupted = async () => {
  await stopBed();
  process.exit(130);
};
process.once('SIGINT', interrupted);
process.once('SIGTERM', interrupted);
// The operating system's part, before anything runs: installed when we can, otherwise the exact command, at once.
const needs = [
  ...(['integration', 'bench', 'extension'].some((s) => plan.includes(s)) ? ['python', 'dendrite'] : []),
  ...(plan.includes('extension') ? ['chromium', ...(isCodeServerInstalled() ? [] : ['code-server-build'])] : []),
];
try {
  ensurePrerequisites(needs);
} catch (error) {
  console.error(`npm test cannot run: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
/**
 * The integration stage mostly waits on servers and timers (about half a core), so the benchmarks' smoke runs go
 * beside it; their lines are printed, as a stage of their own, once both are done.
 */
async function integrationWithBenchmarks() {
  const lines = [];
  const started = Date.now();
  const benching = benchmarks((line) => lines.push(line));
  await stages.integration();
  await benching;
  console.log('\n=== benchmarks (smoke runs, beside the integration tests) ===');
  for (const line of lines) console.log(line);
  timings.push(`benchmarks beside them ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

try {
  for (const name of plan) {
    if (name === 'bench' && plan.includes('integration')) continue; // run beside it
    if (name === 'integration' && plan.includes('bench')) await integrationWithBenchmarks();
    else await stages[name]();
  }
  await finishWaitingTests();
} finally {
  await stopBed();
}
console.log(`\n${timings.join(', ')}${totals.skipped ? `; ${totals.skipped} skipped` : ''}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 ? 0 : 1);
