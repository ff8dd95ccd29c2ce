#!/usr/bin/env node
/**
 * Extension-host tests in real VS Code: code-server (Node 24, from the cache) driven by headless Chromium
 * through Playwright. The workbench loads the extension from this checkout and runs the Mocha suite bundled
 * into dist/test/index.js (test/extension/); a browser control server lets the tests act like a person at the
 * browser (scripts/browser-control.mjs). When a test registered work for after a reload, the page is then
 * reloaded (same browser profile and user data) with dist/test/after-reload.js, and both phases' counts add up
 * (scripts/test-phases.mjs).
 *   node scripts/extension-tests.mjs        starts its own test bed; the last line is "N passed, N failed"
 * Env: MATRIX_TEST_GREP (only tests whose title matches), MATRIX_CHROMIUM (browser binary, default
 * /usr/bin/chromium), MATRIX_KEEP_LOGS=1 (keep logs even when green), MATRIX_LOCALE=qps-ploc (the workbench in
 * the pseudo-locale of scripts/pseudo-locale.mjs).
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
import { installPseudoLocale, PSEUDO_LOCALE } from './pseudo-locale.mjs';
import { PHASES, phaseRunner, seconds } from './test-phases.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SERVER_START_TIMEOUT_MS = 60_000;

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
 * How many code-server windows share the suite (see test/extension/shards.ts): two, as the tests mostly wait;
 * one when only some tests run (MATRIX_TEST_GREP), or as MATRIX_TEST_SHARDS says.
 */
function windowCount() {
  if (process.env.MATRIX_TEST_SHARDS) return Number(process.env.MATRIX_TEST_SHARDS) === 1 ? 1 : 2;
  return process.env.MATRIX_TEST_GREP ? 1 : 2;
}

/**
 * Runs the extension-host suite against a running bed, split across windows run at once: the first prints its
 * report as it comes, the others once they are done; the counts add up.
 * @param {{ bed: any, logDir: string }} options  bed: the BedInfo; logDir: kept (only) when something failed
 * @returns {Promise<{ passed: number, failed: number }>}
 */
export async function runExtensionTests({ bed, logDir }) {
  const chromium = checkExtensionTestPrerequisites();
  rmSync(logDir, { recursive: true, force: true });
  let t = Date.now();
  await build();
  await buildExtensionTests();
  const codeServer = ensureCodeServer();
  const buildTime = Date.now() - t;
  const count = windowCount();
  const cleanups = [];
  const onSignal = async (signal) => {
    console.log(`[extension] ${signal}: stopping`);
    await Promise.all(cleanups.map((cleanup) => cleanup()));
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const windows = Array.from({ length: count }, (_, i) => {
      const held = [];
      const print = i === 0 ? (line) => console.log(line) : (line) => held.push(line);
      const shard = `${i + 1}/${count}`;
      const running = runWindow({
        bed,
        chromium,
        codeServer,
        shard,
        logDir: count === 1 ? logDir : join(logDir, `window-${i + 1}`),
        print,
        prefix: count === 1 ? '[extension]' : `[extension ${shard}]`,
        cleanups,
      });
      return running.then((result) => {
        if (held.length) console.log(`\n[extension] window ${shard}'s report:`);
        for (const line of held) console.log(line);
        return result;
      });
    });
    const results = await Promise.all(windows);
    console.log(`[extension] build ${seconds(buildTime)}, ${count} window(s) at once`);
    if (results.every((r) => r.failed === 0) && !process.env.MATRIX_KEEP_LOGS)
      rmSync(logDir, { recursive: true, force: true });
    return {
      passed: results.reduce((sum, r) => sum + r.passed, 0),
      failed: results.reduce((sum, r) => sum + r.failed, 0),
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** One code-server window and its browser running its part of the suite; its cleanup is added to `cleanups`. */
async function runWindow({ bed, chromium, codeServer, shard, logDir, print, prefix, cleanups: allCleanups }) {
  const started = Date.now();
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const harnessLog = createWriteStream(join(logDir, 'harness.log'));
  const log = (line) => harnessLog.write(`${new Date().toISOString()} ${line}\n`);
  const say = (line) => {
    print(`${prefix} ${line}`);
    log(line);
  };

  const cleanups = [];
  let cleaning;
  const cleanup = () =>
    (cleaning ??= (async () => {
      while (cleanups.length) {
        try {
          await cleanups.pop()();
        } catch (error) {
          log(`cleanup: ${error?.message ?? error}`);
        }
      }
    })());
  allCleanups.push(cleanup);

  const timings = {};
  let memory;
  /** What tests measured and reported to the harness (POST /measurement), printed after the timings. */
  let measured = [];
  const result = { passed: 0, failed: 0 };
  const failures = [];
  const keepLogs = () => Boolean(failures.length || result.failed > 0 || process.env.MATRIX_KEEP_LOGS);
  let workbench;
  try {
    const { node, entry } = codeServer;
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
    const locale = process.env.MATRIX_LOCALE;
    if (locale === PSEUDO_LOCALE) {
      cleanups.push(installPseudoLocale({ root, extensionsDir: dirs.extensions, userDataDir: dirs['user-data'] }));
    } else if (locale) {
      throw new Error(`MATRIX_LOCALE=${locale}: only ${PSEUDO_LOCALE} is provided`);
    }

    const control = await startBrowserControl({
      oauthIssuer: bed.oauth.issuer,
      screenshotDir: join(root, 'test-results', 'screenshots'),
      log,
    });
    cleanups.push(() => {
      measured = control.phases.measurements();
      return control.close();
    });

    const t = Date.now();
    const server = await startCodeServer({
      node,
      entry,
      userDataDir: dirs['user-data'],
      extensionsDir: dirs.extensions,
      cwd: dirs.workspace,
      // The bed's OAuth server is on another loopback address (see OAUTH_HOST in test/bed/bed.ts): a person
      // would be asked once whether to open it; the test browser trusts it up front.
      trustedDomains: [new URL(bed.oauth.issuer).origin],
      // without enable-smoke-test-driver the workbench ignores `payload`
      args: ['--vscode-option', 'enable-smoke-test-driver', ...(locale ? ['--locale', locale] : [])],
      env: {
        MATRIX_BED: JSON.stringify(bed),
        MATRIX_TEST_SHARD: shard,
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
    const { origin } = server;
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
    const runPhase = await phaseRunner(
      { root, workbench, server, workspace: dirs.workspace, resultsFile, extHostLog },
      { logDir, log, say, print, result, failures, timings },
    );

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
    `total ${seconds(timings.total)}`,
    ...(memory ? [`peak memory ${memory}`] : []),
  ];
  say(parts.join(', '));
  for (const line of measured) say(`measured: ${line}`);
  for (const failure of failures) print(`${prefix} FAILED: ${failure}`);
  harnessLog.end();
  await once(harnessLog, 'close').catch(() => {});
  if (failures.length || result.failed > 0) {
    print(
      `${prefix} logs kept in ${relative(root, logDir)}/ (harness.log, extension-host.log, ` +
        'code-server.*.log, server-logs/ (remote extension host), workbench-logs*/, workbench.png)',
    );
  } else if (!keepLogs()) {
    rmSync(logDir, { recursive: true, force: true });
  }
  return result;
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
