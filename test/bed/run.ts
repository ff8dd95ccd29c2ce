/**
 * Starts the bed in this process, prints its BedInfo as one JSON line on stdout, and stops it on SIGTERM,
 * SIGINT or when stdin closes (so a crashed parent never leaves servers behind).
 *   node --import tsx test/bed/run.ts [--log-dir DIR] [--auto-approve] [--access-token-ttl S]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBed } from './bed.ts';
import { createDemoUsers } from './demo.ts';
import { resultsDir } from './paths.ts';

const { values } = parseArgs({
  options: {
    'log-dir': { type: 'string', default: join(resultsDir, 'bed') },
    'auto-approve': { type: 'boolean', default: false },
    'access-token-ttl': { type: 'string' },
    demo: { type: 'boolean', default: false },
  },
});

const started = Date.now();
const bed = await startBed({
  logDir: values['log-dir']!,
  autoApprove: values['auto-approve']!,
  ...(values['access-token-ttl'] ? { accessTokenTtl: Number(values['access-token-ttl']) } : {}),
  log: (line) => process.stderr.write(`[bed] ${line}\n`),
});
process.stderr.write(`[bed] started in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
const demo = values.demo ? await createDemoUsers(bed.info) : undefined;
process.stdout.write(`${JSON.stringify({ ...bed.info, ...(demo ? { demo } : {}) })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await bed.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
