// The extension suite's phases, for scripts/extension-tests.mjs: each a load of the workbench page with a test
// bundle, whose report lines are printed as they come and whose summary adds to the run's counts.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { format } from 'node:util';

const RUN_TIMEOUT_MS = 20 * 60_000;
const WORKBENCH_TIMEOUT_MS = 120_000;
const SUITE_START_TIMEOUT_MS = 180_000;

/** Mocha's report lines in the extension host's console start with this (test/extension/runner.ts). */
const REPORT_PREFIX = '[mocha] ';

/**
 * The suite runs in up to two phases, each a workbench page load with its own test bundle: the main suite, and,
 * when a test of it registered work for after a reload (POST /phase/after-reload on the control server), the
 * same page reloaded with the same browser profile and user data (so the same SecretStorage and settings) and
 * the after-reload suite (test/extension/suite-after-reload/).
 */
export const PHASES = [
  { name: 'main', label: '', bundle: 'dist/test/index.js', results: 'results.json' },
  {
    name: 'after-reload',
    label: 'after reload: ',
    bundle: 'dist/test/after-reload.js',
    results: 'results-after-reload.json',
  },
];

/**
 * Hooks the workbench page's automation functions up (the extension host's console, and its exit) and returns
 * runPhase(phase): loads the workbench (`workspace` open, the extension from `root`) with the phase's test
 * bundle and waits for its result. Its report lines go to `print`; its counts add to `result`, what went wrong
 * without a failed test to `failures`, its timings go to `timings[phase.name]`, its workbench logs below `logDir`.
 * @param {{
 *   root: string,
 *   workbench: import('playwright-core').Page,
 *   server: { origin: string, port: number, exited: Promise<{ code: number | null, signal: string | null }> },
 *   workspace: string,
 *   resultsFile: (phase: (typeof PHASES)[number]) => string,
 *   extHostLog: import('node:fs').WriteStream,
 * }} run  what runs where; resultsFile: where the extension host writes a phase's summary
 * @param {{
 *   logDir: string,
 *   log: (line: string) => void,
 *   say: (line: string) => void,
 *   print?: (line: string) => void,
 *   result: { passed: number, failed: number },
 *   failures: string[],
 *   timings: Record<string, unknown>,
 * }} report  where the outcome goes
 */
export async function phaseRunner(
  { root, workbench, server, workspace, resultsFile, extHostLog },
  { logDir, log, say, print = console.log, result, failures, timings },
) {
  const { origin, port } = server;
  /** The phase running now: its start time, timings and the resolvers of its promises. */
  let current;
  // (Exposed functions survive navigations: one set serves both phases.)
  await workbench.exposeFunction('codeAutomationLog', (level, message) => {
    // Workbench log lines and the extension host's console (as the console call's arguments) alike;
    // Mocha's report lines start with REPORT_PREFIX (test/extension/runner.ts).
    const text = Array.isArray(message) ? format(...message) : String(message ?? '');
    extHostLog.write(`${new Date().toISOString()} [${level}] ${text}\n`);
    if (text.startsWith(REPORT_PREFIX) && current) {
      current.timings.suite ??= Date.now() - current.t;
      current.suiteStarted();
      print(text.slice(REPORT_PREFIX.length));
    }
  });
  await workbench.exposeFunction('codeAutomationExit', (code, logs) => {
    current?.exit({ code, logs });
  });
  workbench.on('pageerror', (error) => log(`workbench page error: ${error.message}`));
  workbench.on('crash', () => current?.exit({ code: 1, crashed: true }));

  /** Loads the workbench with a phase's test bundle and waits for its result. */
  const runPhase = async (phase) => {
    const phaseTimings = {};
    const phaseStarted = Date.now();
    let exitResolve;
    let suiteStarted;
    const suiteStart = new Promise((resolveStart) => (suiteStarted = resolveStart));
    const exited = new Promise((resolveExit) => (exitResolve = resolveExit));
    current = { t: phaseStarted, timings: phaseTimings, suiteStarted, exit: exitResolve };
    rmSync(resultsFile(phase), { force: true });

    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${root}`],
      ['extensionTestsPath', `vscode-remote://127.0.0.1:${port}${root}/${phase.bundle}`],
    ];
    const url = `${origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const navigated = phase === PHASES[0] ? workbench.goto(url) : reloadWith(workbench, url);
    const workbenchUp = navigated
      .then(() => workbench.locator('.monaco-workbench').waitFor({ timeout: WORKBENCH_TIMEOUT_MS }))
      .then(() => {
        phaseTimings.workbench = Date.now() - phaseStarted;
        say(`${phase.label}workbench loaded in ${seconds(phaseTimings.workbench)}`);
      });

    let timer;
    const outcome = await Promise.race([
      exited,
      server.exited.then(({ code, signal }) => ({
        serverDied: true,
        code: 1,
        detail: `code-server exited (${code ?? signal})`,
      })),
      workbenchUp.then(
        // Loaded: the suite must start printing soon (else the extension host or the suite is stuck).
        // (Only until the first output: a race against a bare timer would end a long suite that is running fine.)
        () =>
          new Promise((resolveStuck) => {
            const stuck = setTimeout(
              () =>
                resolveStuck({
                  code: 1,
                  detail: `no test output ${SUITE_START_TIMEOUT_MS / 1000}s after the workbench loaded`,
                }),
              SUITE_START_TIMEOUT_MS,
            );
            stuck.unref();
            void suiteStart.then(() => clearTimeout(stuck));
          }),
        (error) => ({ code: 1, detail: `the workbench did not load: ${error.message}` }),
      ),
      new Promise((resolveTimeout) => {
        timer = setTimeout(
          () => resolveTimeout({ code: 1, detail: `no result after ${RUN_TIMEOUT_MS / 60_000} minutes` }),
          RUN_TIMEOUT_MS,
        );
      }),
    ]);
    clearTimeout(timer);
    current = undefined;
    phaseTimings.tests = Date.now() - phaseStarted;
    if (outcome.detail) say(`${phase.label}${outcome.detail}`);
    if (outcome.crashed) say(`${phase.label}the workbench page crashed`);
    if (Array.isArray(outcome.logs))
      saveWorkbenchLogs(
        outcome.logs,
        join(logDir, phase === PHASES[0] ? 'workbench-logs' : `workbench-logs-${phase.name}`),
      );

    const summary = readSummary(resultsFile(phase));
    if (summary) {
      writeFileSync(join(logDir, phase.results), `${JSON.stringify(summary, null, 2)}\n`);
      result.passed += summary.passed;
      result.failed += summary.failed;
      for (const f of summary.failures ?? []) log(`FAILED ${phase.label}${f.title}\n${f.error}`);
    } else say(`${phase.label}no test summary from the extension host (${phase.results} missing)`);
    if (outcome.code !== 0 && (summary?.failed ?? 0) === 0) {
      result.failed++; // the run failed without a failed test: the suite did not load, the host crashed…
      failures.push(`${phase.label}${outcome.detail ?? `the extension host exited with code ${outcome.code}`}`);
    }
    if (!summary && outcome.code === 0) {
      result.failed++;
      failures.push(`${phase.label}the extension host reported success but wrote no summary`);
    }
    timings[phase.name] = phaseTimings;
    return outcome;
  };
  return runPhase;
}

/**
 * Navigates the workbench page to another URL (a window reload with another payload). The old page's unload
 * stops its extension host; a `beforeunload` prompt (there should be none) is accepted rather than left to
 * Playwright's default, which would dismiss it and keep the old page.
 */
async function reloadWith(page, url) {
  const onDialog = (dialog) => {
    if (dialog.type() === 'beforeunload') dialog.accept().catch(() => {});
  };
  page.on('dialog', onDialog);
  try {
    await page.goto(url);
  } finally {
    page.off('dialog', onDialog);
  }
}

function readSummary(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function saveWorkbenchLogs(logs, dir) {
  for (const { relativePath, contents } of logs) {
    if (typeof relativePath !== 'string' || relativePath.includes('..')) continue;
    const file = join(dir, relativePath);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, contents ?? '');
  }
}

export function seconds(ms) {
  return ms === undefined ? '-' : `${(ms / 1000).toFixed(1)}s`;
}
