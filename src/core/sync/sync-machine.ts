/**
 * A live channel's run as a state machine: where its sync resumes, how the events it brings are judged (live,
 * or history to drop), and what the account shows. ChannelSync feeds it what happens (the SDK's sync states,
 * a bootstrap, a failure, a timer) and reads these answers instead of keeping flags of its own.
 *
 *   idle ─start→ starting ─ready(token)→ catching_up ─synced→ live
 *                         └ready(no token)→ bootstrapping ─bootstrapped→ first_sync ─synced→ live
 *   bootstrapping | catching_up | first_sync | live | retrying ─failed→ paused ─retry→ retrying ─synced→ live
 *   any ─session_over→ needs_sign_in        any ─stop→ stopped        (needs_sign_in and stopped are final)
 *
 * catching_up is the first response after resuming a stored token: what happened while the channel was away,
 * so events older than the start are history. first_sync, the first response after a bootstrap, is judged the
 * same way: its token was taken at the start, but a homeserver may hand out a token from before events it had
 * already accepted (Dendrite makes a sent event visible to /sync a moment later; a cached answer is older
 * still). In every later response events are live, whatever the server's clock says.
 */
import type { ChannelSyncState } from './types.ts';

export type SyncPhase =
  | { name: 'idle' }
  | { name: 'starting'; startedAt: number }
  | { name: 'bootstrapping'; startedAt: number }
  | { name: 'catching_up'; historyBefore: number }
  | { name: 'first_sync'; historyBefore: number }
  | { name: 'live' }
  /** Waiting out a failure; `resume` is where the next attempt starts from. */
  | { name: 'paused'; reason: string; retryAt: number; resume: Resume }
  /** Trying again after a pause: still "reconnecting" until a response is in. */
  | { name: 'retrying'; reason: string; retryAt: number; resume: Resume }
  | { name: 'needs_sign_in'; reason: string }
  | { name: 'stopped' };

/** Where an attempt after a pause starts: a new bootstrap (no token yet), or the token, judging as before. */
export type Resume = { bootstrap: true; startedAt: number } | { bootstrap: false; historyBefore: number };

export type SyncEvent =
  | { type: 'start'; at: number }
  /** The client is made; `hasToken`: a stored sync token to resume from. */
  | { type: 'ready'; hasToken: boolean }
  | { type: 'bootstrapped' }
  /** A sync response is in (the SDK's PREPARED or SYNCING). */
  | { type: 'synced' }
  | { type: 'failed'; reason: string; retryAt: number }
  | { type: 'retry' }
  | { type: 'session_over'; reason: string }
  /** The SDK's loop stopped; ours (a pause) or the end. */
  | { type: 'sdk_stopped' }
  | { type: 'stop' };

/** Phases in which the loop is on: failures count, and a pause can be retried. */
const ATTEMPTING = new Set<SyncPhase['name']>(['bootstrapping', 'catching_up', 'first_sync', 'live', 'retrying']);

/** Whether the loop is on: a failure now pauses it. */
export function isAttempting(phase: SyncPhase): boolean {
  return ATTEMPTING.has(phase.name);
}

/** The next phase; an event that does not apply leaves the phase as it is (the same object). */
export function nextPhase(phase: SyncPhase, event: SyncEvent): SyncPhase {
  if (phase.name === 'stopped' || phase.name === 'needs_sign_in') return phase;
  switch (event.type) {
    case 'start':
      return phase.name === 'idle' ? { name: 'starting', startedAt: event.at } : phase;
    case 'ready':
      if (phase.name !== 'starting') return phase;
      return event.hasToken
        ? { name: 'catching_up', historyBefore: phase.startedAt }
        : { name: 'bootstrapping', startedAt: phase.startedAt };
    case 'bootstrapped':
      if (phase.name === 'bootstrapping') return { name: 'first_sync', historyBefore: phase.startedAt };
      if (phase.name === 'retrying' && phase.resume.bootstrap)
        return { ...phase, resume: { bootstrap: false, historyBefore: phase.resume.startedAt } };
      return phase;
    case 'synced':
      return isAttempting(phase) && phase.name !== 'live' ? { name: 'live' } : phase;
    case 'failed':
      return isAttempting(phase)
        ? { name: 'paused', reason: event.reason, retryAt: event.retryAt, resume: resumeFrom(phase) }
        : phase;
    case 'retry':
      return phase.name === 'paused' ? { ...phase, name: 'retrying' } : phase;
    case 'session_over':
      return { name: 'needs_sign_in', reason: event.reason };
    case 'sdk_stopped':
      return phase.name === 'paused' ? phase : { name: 'stopped' };
    case 'stop':
      return { name: 'stopped' };
  }
}

function resumeFrom(phase: SyncPhase): Resume {
  switch (phase.name) {
    case 'bootstrapping':
      return { bootstrap: true, startedAt: phase.startedAt };
    case 'catching_up':
    case 'first_sync':
      return { bootstrap: false, historyBefore: phase.historyBefore };
    case 'retrying':
      return phase.resume;
    default:
      return { bootstrap: false, historyBefore: 0 };
  }
}

/** Events older than this (epoch ms) are history, not news; 0: every event is live. */
export function historyBefore(phase: SyncPhase): number {
  if (phase.name === 'catching_up' || phase.name === 'first_sync') return phase.historyBefore;
  if ((phase.name === 'paused' || phase.name === 'retrying') && !phase.resume.bootstrap)
    return phase.resume.historyBefore;
  return 0;
}

/** Whether the next attempt starts with a bootstrap (there is no sync token yet). */
export function needsBootstrap(phase: SyncPhase): boolean {
  if (phase.name === 'bootstrapping') return true;
  return (phase.name === 'paused' || phase.name === 'retrying') && phase.resume.bootstrap;
}

/** What the account shows in this phase; undefined: no news (it shows what it showed). */
export function shownState(phase: SyncPhase): ChannelSyncState | undefined {
  switch (phase.name) {
    case 'idle':
    case 'starting':
      return undefined;
    case 'bootstrapping':
    case 'catching_up':
    case 'first_sync':
      return { state: 'syncing' };
    case 'live':
      return { state: 'connected' };
    case 'paused':
    case 'retrying':
      return { state: 'reconnecting', reason: phase.reason, retryAt: phase.retryAt };
    case 'needs_sign_in':
      return { state: 'needs_sign_in', reason: phase.reason };
    case 'stopped':
      return { state: 'stopped' };
  }
}
