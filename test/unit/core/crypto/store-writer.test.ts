/**
 * The handover of an account's encryption store between windows (processes): a store opens the file only once
 * the running process that wrote it last has let go, or has gone, or after the longest wait; a record of this
 * process, of a process that is gone, or of none, is not waited for. The other window is a real child process.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import {
  awaitHandover,
  claimWriter,
  isWriter,
  newWriter,
  releaseWriter,
} from '../../../../src/core/crypto/store-writer.ts';
import { createLogger, type Logger } from '../../../../src/core/log.ts';
import { MemorySecrets } from '../memory-secrets.ts';

const ACCOUNT = 'a';
const RECORD = `matrix-channels.crypto-store-writer.${ACCOUNT}`;

class CapturedLog {
  readonly lines: string[] = [];
  readonly logger: Logger = createLogger({ log: (level, message) => this.lines.push(`${level}: ${message}`) });
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});

/** Another window's process: runs until killed. */
async function otherProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  await once(child, 'spawn');
  return child;
}

/** Starts waiting; `settled()` says whether the wait is over yet. */
function handover(secrets: MemorySecrets, log: CapturedLog, waitMs = 10_000) {
  let over = false;
  const waiting = awaitHandover({ secrets, accountId: ACCOUNT, log: log.logger, waitMs }).then(() => {
    over = true;
  });
  return { waiting, settled: () => over };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the encryption store handover between windows', () => {
  it('a writer names its process; only it is the writer, until it lets go', async () => {
    const secrets = new MemorySecrets();
    const writer = newWriter();
    assert.match(writer, new RegExp(`^[0-9a-f-]{36}@${process.pid}$`));
    await claimWriter(secrets, ACCOUNT, writer);
    assert.equal(await isWriter(secrets, ACCOUNT, writer), true);
    assert.equal(await isWriter(secrets, ACCOUNT, newWriter()), false);
    await releaseWriter(secrets, ACCOUNT, newWriter());
    assert.equal(await isWriter(secrets, ACCOUNT, writer), true, 'another writer cannot let go for it');
    await releaseWriter(secrets, ACCOUNT, writer);
    assert.equal(secrets.values.has(RECORD), false);
  });

  for (const [record, why] of [
    [undefined, 'no writer (a first start)'],
    [`x@${process.pid}`, 'a writer in this process (its store closes before the next one opens)'],
    ['x', 'a writer of an older version, without a process'],
  ] as const) {
    it(`does not wait for ${why}`, async () => {
      const secrets = new MemorySecrets();
      if (record) secrets.values.set(RECORD, record);
      const log = new CapturedLog();
      await handover(secrets, log, 60_000).waiting;
      assert.deepEqual(log.lines, []);
    });
  }

  it('waits for the running window that writes the file until it lets go', async () => {
    const other = await otherProcess();
    const secrets = new MemorySecrets();
    secrets.values.set(RECORD, `x@${other.pid}`);
    const log = new CapturedLog();
    const wait = handover(secrets, log);
    await pause(300);
    assert.equal(wait.settled(), false, 'still waiting while the other window writes');
    await releaseWriter(secrets, ACCOUNT, `x@${other.pid}`);
    await wait.waiting;
    assert.deepEqual(log.lines, [
      'info: account a: waiting for the other window to save the encryption store',
      'info: account a: the other window let go of the encryption store',
    ]);
  });

  it('stops waiting when that window is gone (it crashed, and will not let go)', async () => {
    const other = await otherProcess();
    const secrets = new MemorySecrets();
    secrets.values.set(RECORD, `x@${other.pid}`);
    const wait = handover(secrets, new CapturedLog());
    await pause(200);
    assert.equal(wait.settled(), false);
    other.kill();
    await once(other, 'exit');
    await wait.waiting;
    assert.equal(secrets.values.get(RECORD), `x@${other.pid}`, 'its record is simply taken over later');
  });

  it('takes the store over after the longest wait, and says so', async () => {
    const other = await otherProcess();
    const secrets = new MemorySecrets();
    secrets.values.set(RECORD, `x@${other.pid}`);
    const log = new CapturedLog();
    await handover(secrets, log, 300).waiting;
    assert.deepEqual(log.lines, [
      'info: account a: waiting for the other window to save the encryption store',
      'warn: account a: the other window did not let go of the encryption store; taking it over',
    ]);
  });
});
