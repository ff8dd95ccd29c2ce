/**
 * Verifying this device with another of the person's devices by comparing emoji (SAS, "short authentication
 * string"), as Element does: one device asks, the other accepts, both show the same seven emoji when no one
 * is in between, and the person says whether they match on both. Then the devices trust each other, and the
 * one that holds the account's cross-signing keys signs the other: this device becomes verified.
 *
 * The person's answer comes through `CompareEmoji` (a dialog in the editor); everything else is the SDK's.
 */
import { MatrixChannelError } from '../errors.ts';
import { l10n } from '../l10n.ts';
import type { CompareEmoji, VerificationOutcome } from './status-types.ts';

type VerificationRequest = import('matrix-js-sdk/lib/crypto-api/index.js').VerificationRequest;
type Verifier = import('matrix-js-sdk/lib/crypto-api/index.js').Verifier;
type ShowSasCallbacks = import('matrix-js-sdk/lib/crypto-api/index.js').ShowSasCallbacks;
type RequestEvent = import('matrix-js-sdk/lib/crypto-api/index.js').VerificationRequestEvent;
type ShowSasEvent = import('matrix-js-sdk/lib/crypto-api/index.js').VerifierEvent.ShowSas;

/** The SDK's phases (numbers: this module loads no SDK code). */
const PHASE = { ready: 3, cancelled: 5, done: 6 } as const;
const SAS = 'm.sas.v1';

/** How long the other device has to accept, and to start once accepted. */
const TIMEOUTS = { acceptMs: 120_000, startMs: 10_000 } as const;

/** Resolves once `done(request)` holds (checked at each change of the request), or false after `ms`. */
function until(request: VerificationRequest, done: (request: VerificationRequest) => boolean, ms: number) {
  return new Promise<boolean>((resolve) => {
    const check = () => {
      if (!done(request)) return;
      finish(true);
    };
    const finish = (result: boolean) => {
      clearTimeout(timer);
      request.off('change' as RequestEvent, check);
      resolve(result);
    };
    const timer = setTimeout(() => finish(false), ms);
    request.on('change' as RequestEvent, check);
    check();
  });
}

/**
 * Runs an accepted (or asked-for) request to its end with emoji. The device that asked starts the emoji once
 * the other accepted; the one that accepted waits for that, and starts itself if the other does not.
 */
export async function verifyByEmoji(request: VerificationRequest, compare: CompareEmoji): Promise<VerificationOutcome> {
  const phase = () => request.phase as number;
  const accepted = await until(request, () => phase() >= PHASE.ready, TIMEOUTS.acceptMs);
  if (!accepted) {
    await request.cancel({ code: 'm.timeout', reason: 'No answer' }).catch(() => undefined);
    return 'timed_out';
  }
  if (phase() === PHASE.cancelled) return 'cancelled_elsewhere';
  if (!request.otherPartySupportsMethod(SAS)) {
    await request.cancel({ code: 'm.unknown_method' }).catch(() => undefined);
    throw new MatrixChannelError(
      'unexpected_response',
      l10n.t('The other device cannot verify by comparing emoji; verify from it, or use the recovery key.'),
    );
  }
  if (!request.initiatedByMe) await until(request, () => request.verifier !== undefined, TIMEOUTS.startMs);
  if (phase() === PHASE.cancelled) return 'cancelled_elsewhere';
  const verifier = request.verifier ?? (await request.startVerification(SAS));
  return compareAndFinish(request, verifier, compare);
}

async function compareAndFinish(
  request: VerificationRequest,
  verifier: Verifier,
  compare: CompareEmoji,
): Promise<VerificationOutcome> {
  let answer: boolean | undefined | 'unasked' = 'unasked';
  const shown = new Promise<ShowSasCallbacks>((resolve) => {
    const now = verifier.getShowSasCallbacks();
    if (now) resolve(now);
    else verifier.once('show_sas' as ShowSasEvent, resolve);
  });
  // verify() exchanges keys, then waits for both people's answers; it fails when either side cancels.
  const verified = verifier.verify().then(
    () => true,
    () => false,
  );
  const sas = await Promise.race([shown, verified.then(() => undefined)]);
  if (sas) {
    answer = await compare((sas.sas.emoji ?? []).map(([symbol, name]) => ({ symbol, name })));
    if (answer === true) await sas.confirm();
    else if (answer === false) sas.mismatch();
    else sas.cancel();
  }
  const ok = await verified;
  if (ok && (request.phase as number) === PHASE.done) return 'verified';
  if (answer === false) return 'mismatch';
  if (answer === undefined) return 'cancelled';
  return 'cancelled_elsewhere';
}
