/**
 * Who writes an account's encryption store file. The record, in the secret storage the windows share, names
 * the store that opened the file last and the process it runs in; only that store writes the file, and it clears
 * the record once it has saved for the last time.
 *
 * Handover: a window that takes an account over from another one that still runs (the person moved to it) opens
 * the file only once that one has saved and let go, or has gone. Otherwise what the other one received in its
 * last seconds (room keys, which are not sent twice; Olm sessions) would be missing from the file the new owner
 * opens, and its own saves would be refused. A record whose process is gone (a crash) is not waited for.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.ts';
import type { SecretStore } from '../session/session.ts';

const WRITER_PREFIX = 'matrix-channels.crypto-store-writer.';
const POLL_MS = 100;

function writerKey(accountId: string): string {
  return `${WRITER_PREFIX}${accountId}`;
}

/** A new writer's name: unique, and saying which process it runs in. */
export function newWriter(): string {
  return `${randomUUID()}@${process.pid}`;
}

/** This writer writes the file from now on. */
export function claimWriter(secrets: SecretStore, accountId: string, writer: string): Promise<void> {
  return secrets.store(writerKey(accountId), writer);
}

/** Whether this writer is still the one that writes the file. */
export async function isWriter(secrets: SecretStore, accountId: string, writer: string): Promise<boolean> {
  return (await secrets.get(writerKey(accountId))) === writer;
}

/** The writer has saved for the last time: the next store may open the file at once. */
export async function releaseWriter(secrets: SecretStore, accountId: string, writer: string): Promise<void> {
  if (await isWriter(secrets, accountId, writer)) await secrets.delete(writerKey(accountId));
}

export function forgetWriter(secrets: SecretStore, accountId: string): Promise<void> {
  return secrets.delete(writerKey(accountId));
}

export interface HandoverOptions {
  secrets: SecretStore;
  accountId: string;
  log: Logger;
  /** The longest wait for a running writer in another process (it lets go within its next ownership check). */
  waitMs: number;
}

/**
 * Resolves once no other running process writes the account's file: at once when none does, when its writer
 * lets go, or after `waitMs` (then this store takes the file over, and the other one's last changes are lost).
 * A writer in this process is not waited for here: its store closes before the next one opens.
 */
export async function awaitHandover({ secrets, accountId, log, waitMs }: HandoverOptions): Promise<void> {
  const started = Date.now();
  let waiting = false;
  for (;;) {
    const pid = processOf(await secrets.get(writerKey(accountId)));
    if (pid === undefined || pid === process.pid || !isRunning(pid)) {
      if (waiting) log.info(`account ${accountId}: the other window let go of the encryption store`);
      return;
    }
    if (Date.now() - started >= waitMs) {
      log.warn(`account ${accountId}: the other window did not let go of the encryption store; taking it over`);
      return;
    }
    if (!waiting) log.info(`account ${accountId}: waiting for the other window to save the encryption store`);
    waiting = true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function processOf(writer: string | undefined): number | undefined {
  const pid = Number(writer?.split('@')[1]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
