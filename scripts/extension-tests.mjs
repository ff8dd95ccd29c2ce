#!/usr/bin/env node
/**
 * Extension-host tests in real VS Code: code-server (Node 24, from the cache) driven by headless Chromium
 * through Playwright. The workbench loads the extension from this checkout and runs the Mocha suite bundled
 * into dist/test/index.js (test/extension/); a browser control server lets the tests act like a person at the
 * browser (scripts/browser-control.mjs). When a test registered work for after a reload, the page is then
 * reloaded (same browser profile and user data) with dist/test/after-reload.js, and both phases' counts add up.
 *   node scripts/extension-tests.mjs        starts its own test bed; the last line is "N passed, N failed"
 * Env: MATRIX_TEST_GREP (only tests whose title matches), MATRIX_CHROMIUM (browser binary, default
 * /usr/bin/chromium), MATRIX_KEEP_LOGS=1 (keep logs even when green).
 */
import { once } from 'node:events';
import {
  cpSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { format } from 'node:util';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startBedProcess, stopBedProcess } from './bed-process.mjs';
import { startBrowserControl } from './browser-control.mjs';
import { build, buildExtensionTests } from './build.mjs';
import {
  cmdlineOf,
  ensureCodeServer,
  isCodeServerInstalled,
  procStats,
  startCodeServer,
  WORKBENCH_SETTINGS,
} from './code-server.mjs';
import { chromiumPath, ensurePrerequisites } from './prerequisites.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUN_TIMEOUT_MS = 20 * 60_000;
const SERVER_START_TIMEOUT_MS = 60_000;
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
const PHASES = [
  { name: 'main', label: '', bundle: 'dist/test/index.js', results: 'results.json' },
  {
    name: 'after-reload',
    label: 'after reload: ',
    bundle: 'dist/test/after-reload.js',
    results: 'results-after-reload.json',
  },
];

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Provisions what the extension tests need (Chromium; the toolchain that builds code-server on its first
 * install) or throws the exact command to run; returns the Chromium binary.
 */
export function checkExtensionTestPrerequisites() {
  ensurePrerequisites(['python', 'chromium', ...(isCodeServerInstalled() ? [] : ['code-server-build'])]);
  return chromiumPath();
}

/**
 * Runs the extension-host suite against a running bed.
 * @param {{ bed: any, logDir: string }} options  bed: the BedInfo; logDir: kept (only) when something failed
 * @returns {Promise<{ passed: number, failed: number }>}
 */
export async function runExtensionTests({ bed, logDir }) {
  const chromium = checkExtensionTestPrerequisites();
  const started = Date.now();
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const harnessLog = createWriteStream(join(logDir, 'harness.log'));
  const log = (line) => harnessLog.write(`${new Date().toISOString()} ${line}\n`);
  const say = (line) => {
    console.log(`[extension] ${line}`);
    log(line);
  };

  const cleanups = [];
  const cleanup = async () => {
    while (cleanups.length) {
      try {
        await cleanups.pop()();
      } catch (error) {
        log(`cleanup: ${error?.message ?? error}`);
      }
    }
  };
  const onSignal = async (signal) => {
    say(`${signal}: stopping`);
    await cleanup();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  cleanups.push(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });

  const timings = {};
  let memory;
  /** What tests measured and reported to the harness (POST /measurement), printed after the timings. */
  let measured = [];
  const result = { passed: 0, failed: 0 };
  const failures = [];
  const keepLogs = () => Boolean(failures.length || result.failed > 0 || process.env.MATRIX_KEEP_LOGS);
  let workbench;
  try {
    let t = Date.now();
    await build();
    await buildExtensionTests();
    const { node, entry } = ensureCodeServer();
    timings.build = Date.now() - t;

    const temp = mkdtempSync(join(tmpdir(), 'matrix-ext-'));
    cleanups.push(() => rmSync(temp, { recursive: true, force: true }));
    const dirs = Object.fromEntries(
      ['user-data', 'extensions', 'workspace', 'chromium'].map((d) => {
        mkdirSync(join(temp, d));
        return [d, join(temp, d)];
      }),
    );
    mkdirSync(join(dirs['user-data'], 'User'));
    writeFileSync(join(dirs['user-data'], 'User', 'settings.json'), `${JSON.stringify(WORKBENCH_SETTINGS, null, 2)}\n`);
    cleanups.push(() => {
      if (keepLogs()) cpSync(join(dirs['user-data'], 'logs'), join(logDir, 'server-logs'), { recursive: true });
    });
    const resultsFile = (phase) => join(temp, phase.results);

    const control = await startBrowserControl({
      oauthIssuer: bed.oauth.issuer,
      screenshotDir: join(root, 'test-results', 'screenshots'),
      log,
    });
    cleanups.push(() => {
      measured = control.phases.measurements();
      return control.close();
    });

    t = Date.now();
    const server = await startCodeServer({
      node,
      entry,
      userDataDir: dirs['user-data'],
      extensionsDir: dirs.extensions,
      cwd: dirs.workspace,
      // The bed's OAuth server is on another loopback address (see OAUTH_HOST in test/bed/bed.ts): a person
      // would be asked once whether to open it; the test browser trusts it up front.
      trustedDomains: [new URL(bed.oauth.issuer).origin],
      args: ['--vscode-option', 'enable-smoke-test-driver'], // without it the workbench ignores `payload`
      env: {
        MATRIX_BED: JSON.stringify(bed),
        MATRIX_TEST_RESULTS: resultsFile(PHASES[0]),
        MATRIX_TEST_RESULTS_AFTER_RELOAD: resultsFile(PHASES[1]),
        MATRIX_HARNESS_URL: control.url,
        // code-server's user data (settings, globalState, logs); SecretStorage lives in the browser profile.
        MATRIX_USER_DATA_DIR: dirs['user-data'],
        // The workbench rewrites every localhost URL it opens externally (env.openExternal, asExternalUri)
        // to this template; code-server's default is its own port proxy (/proxy/{{port}}/), through which the
        // OAuth server's absolute redirects and cookies would break. The bed's servers are on 127.0.0.1 and the
        // browser reaches them directly, as a person's browser reaches a real homeserver: the control server
        // redirects /proxy/PORT/… to http://127.0.0.1:PORT/… (the template must stay a valid URL unfilled).
        VSCODE_PROXY_URI: `${control.url}/proxy/{{port}}/`,
      },
      stdout: createWriteStream(join(logDir, 'code-server.stdout.log')),
      stderr: createWriteStream(join(logDir, 'code-server.stderr.log')),
      startTimeoutMs: SERVER_START_TIMEOUT_MS,
    });
    cleanups.push(() => server.stop());
    const { origin, port } = server;
    const sampler = startMemorySampler(server.child.pid, dirs.chromium);
    cleanups.push(() => {
      memory = sampler.stop();
    });
    timings.codeServer = Date.now() - t;
    say(`code-server ${origin} up in ${seconds(timings.codeServer)}`);

    // Chromium with a fresh profile; the automation hooks must exist before the workbench loads.
    const { chromium: playwright } = await import('playwright-core');
    const context = await playwright.launchPersistentContext(dirs.chromium, {
      executablePath: chromium,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: CHROMIUM_ARGS,
    });
    cleanups.push(async () => {
      await context.close();
      await stopLeftovers(dirs.chromium);
    });
    workbench = context.pages()[0] ?? (await context.newPage());
    control.attach(context, workbench);

    const extHostLog = createWriteStream(join(logDir, 'extension-host.log'));
    cleanups.push(() => extHostLog.end());
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
        console.log(text.slice(REPORT_PREFIX.length));
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
      const url = `${origin}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
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

    const first = await runPhase(PHASES[0]);
    if (control.phases.afterReloadRequested()) {
      if (first.serverDied || first.crashed) {
        result.failed++;
        failures.push('the after-reload phase could not run: the first phase ended abnormally');
      } else {
        say('reloading the workbench for the after-reload tests');
        control.phases.startReload();
        await runPhase(PHASES[1]);
      }
    }
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
    result.failed++;
  } finally {
    if ((failures.length || result.failed > 0) && workbench && !workbench.isClosed()) {
      await workbench.screenshot({ path: join(logDir, 'workbench.png'), timeout: 10_000 }).catch(() => {});
    }
    await cleanup();
  }

  timings.total = Date.now() - started;
  const phaseText = (phase) => {
    const p = timings[phase.name];
    if (!p) return [];
    return [
      `${phase.label}workbench load ${seconds(p.workbench)}, first test output ${seconds(p.suite)}, exit ${seconds(p.tests)} (after opening the page)`,
    ];
  };
  const parts = [
    `code-server start ${seconds(timings.codeServer)}`,
    ...PHASES.flatMap(phaseText),
    `total ${seconds(timings.total)} (build ${seconds(timings.build)})`,
    ...(memory ? [`peak memory ${memory}`] : []),
  ];
  say(parts.join(', '));
  for (const line of measured) say(`measured: ${line}`);
  for (const failure of failures) console.error(`[extension] FAILED: ${failure}`);
  harnessLog.end();
  await once(harnessLog, 'close').catch(() => {});
  if (failures.length || result.failed > 0) {
    console.log(
      `[extension] logs kept in ${relative(root, logDir)}/ (harness.log, extension-host.log, ` +
        'code-server.*.log, server-logs/ (remote extension host), workbench-logs*/, workbench.png)',
    );
  } else if (!keepLogs()) {
    rmSync(logDir, { recursive: true, force: true });
  }
  return result;
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

function seconds(ms) {
  return ms === undefined ? '-' : `${(ms / 1000).toFixed(1)}s`;
}

/** Chromium processes still using `profileDir` after the browser closed: waited for, then killed. */
async function stopLeftovers(profileDir) {
  const find = () =>
    procStats()
      .filter((s) => s.state !== 'Z' && cmdlineOf(s.pid).includes(profileDir))
      .map((s) => s.pid);
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline && find().length > 0) await new Promise((r) => setTimeout(r, 100));
  for (const pid of find()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/**
 * Samples the proportional memory (PSS) of code-server's process group and of the Chromium using `profileDir`
 * every 2 s; stop() returns the peak as text, e.g. "1.3 GiB (code-server 0.6, Chromium 0.7)".
 */
function startMemorySampler(group, profileDir) {
  let peak;
  const pss = (pid) => {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
    } catch {
      return 0;
    }
  };
  const sample = () => {
    let server = 0;
    let browser = 0;
    for (const { pid, pgrp } of procStats()) {
      if (pgrp === group) server += pss(pid);
      else if (cmdlineOf(pid).includes(profileDir)) browser += pss(pid);
    }
    if (!peak || server + browser > peak.server + peak.browser) peak = { server, browser };
  };
  const timer = setInterval(sample, 2_000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (!peak) return undefined;
      const gib = (bytes) => (bytes / 2 ** 30).toFixed(2);
      return `${gib(peak.server + peak.browser)} GiB PSS (code-server ${gib(peak.server)}, Chromium ${gib(peak.browser)})`;
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const bedLogDir = join(root, 'test-results', 'bed');
  let bed;
  let result = { passed: 0, failed: 1 };
  try {
    checkExtensionTestPrerequisites();
    const t = Date.now();
    bed = await startBedProcess(bedLogDir);
    console.log(`test bed up in ${seconds(Date.now() - t)}`);
    result = await runExtensionTests({ bed: bed.info, logDir: join(root, 'test-results', 'extension') });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
  } finally {
    if (bed) await stopBedProcess(bed.child);
  }
  if (result.failed === 0) rmSync(bedLogDir, { recursive: true, force: true });
  else if (existsSync(bedLogDir)) console.log(`Server logs kept in ${relative(root, bedLogDir)}/`);
  console.log(`${result.passed} passed, ${result.failed} failed`);
  process.exit(result.failed === 0 ? 0 : 1);
}
