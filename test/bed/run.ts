/**
 * Starts the bed in this process, prints its BedInfo as one JSON line on stdout, and stops it on SIGTERM,
 * SIGINT or when stdin closes (so a crashed parent never leaves servers behind).
 *   node --import tsx test/bed/run.ts [--log-dir DIR] [--auto-approve] [--access-token-ttl S] [--dendrite]
 *     [--demo [--bot]]
 * --dendrite: also a Dendrite homeserver (built with Go on first use; see dendrite.ts).
 * --demo: demo users (test/bed/demo.ts), printed under "demo"; --bot: also a demo room on each homeserver that
 * the demo users have joined, where a bot posts now and then until the bed stops (the sandbox, npm start).
 */
import { join } from 'node:path';
import { format, parseArgs } from 'node:util';
import { startBed, type RunningBed } from './bed.ts';
import { createDemoUsers, startDemoBot, type DemoBot } from './demo.ts';
import { resultsDir } from './paths.ts';

// stdout carries the one JSON line its parent waits for: what libraries print there goes to stderr, except
// oidc-provider's notices about its development defaults (console.info, at the first request using each).
console.log = console.info = (...args: unknown[]) => {
  const line = format(...args);
  if (!line.startsWith('oidc-provider NOTICE')) process.stderr.write(`${line}\n`);
};

const { values } = parseArgs({
  options: {
    'log-dir': { type: 'string', default: join(resultsDir, 'bed') },
    'auto-approve': { type: 'boolean', default: false },
    'access-token-ttl': { type: 'string' },
    demo: { type: 'boolean', default: false },
    bot: { type: 'boolean', default: false },
    dendrite: { type: 'boolean', default: false },
  },
});

// Stop requests are honoured from the start: one arriving while the servers come up stops them once they are.
/** Set once the servers are up. */
const running: { bed?: RunningBed } = {};
let bot: DemoBot | undefined;
let stopRequested = false;
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  bot?.stop();
  await running.bed?.stop();
  process.exit(0);
};
const requestStop = () => {
  stopRequested = true;
  if (running.bed) void stop();
};
process.on('SIGTERM', requestStop);
process.on('SIGINT', requestStop);
process.stdin.on('end', requestStop);
process.stdin.resume();

const started = Date.now();
const bed = await startBed({
  logDir: values['log-dir'],
  autoApprove: values['auto-approve'],
  dendrite: values.dendrite,
  ...(values['access-token-ttl'] ? { accessTokenTtl: Number(values['access-token-ttl']) } : {}),
  log: (line) => process.stderr.write(`[bed] ${line}\n`),
});
running.bed = bed;
if (stopRequested) await stop();
process.stderr.write(`[bed] started in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
let demoInfo;
if (values.demo || values.bot) {
  try {
    const { seats, ...demo } = await createDemoUsers(bed.info, { rooms: values.bot });
    demoInfo = demo;
    if (values.bot && !stopping) bot = startDemoBot(seats, { log: (line) => process.stderr.write(`[bed] ${line}\n`) });
  } catch (error) {
    if (stopping) await new Promise(() => {}); // stop() exits
    process.stderr.write(`[bed] the demo users could not be created: ${(error as Error).message}\n`);
    stopping = true;
    await bed.stop();
    process.exit(1);
  }
}
if (!stopping) process.stdout.write(`${JSON.stringify({ ...bed.info, ...(demoInfo ? { demo: demoInfo } : {}) })}\n`);
