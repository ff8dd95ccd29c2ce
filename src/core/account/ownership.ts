/**
 * Which window owns an account's session, decided again every few seconds. The owner renews the tokens, runs the
 * live sync and publishes what the other windows show; a follower shows that, and takes the session over only
 * with proof that its token pair is the current one (its generation is the one the owner published), so a
 * window never spends a refresh token another window already rotated. Where windows share SecretStorage
 * (desktop), followers pick up each renewal and stay current; in VS Code for the Web they cannot, and a follower
 * whose owner went away says so instead of spending a stale token.
 */
import type { Logger } from '../log.ts';
import type { Session } from '../session/session.ts';
import type { RoomSummary } from '../sync/room-list.ts';
import { isCurrentGeneration } from '../session/generation.ts';
import type { AccountCoordination, AccountMirror } from './coordination.ts';
import type { AccountStatus } from './state.ts';

export type Role = 'owner' | 'follower';

export interface OwnershipOptions {
  accountId: string;
  coordination: AccountCoordination;
  log: Logger;
  /** The tokens this window holds now. */
  session(): Session;
  /** Takes newer tokens from the store, if it has them (another window renewed and the store shows it). */
  takeStored(): Promise<void>;
  /** What this window shows of the account, to publish while it owns it. */
  snapshot(): { status: AccountStatus; rooms: RoomSummary[] };
  /** This window owns the session now (it was following). */
  onOwner(): void;
  /**
   * This window follows: `mirror` is what the owner published; `current` is false when nobody owns the session
   * and this window's tokens are not the current ones (it cannot continue without the current ones).
   */
  onFollower(mirror: AccountMirror | undefined, current: boolean): void;
  /** Whether this window should own the session when it can (the window the person looks at). */
  preferred?(): boolean;
  intervalMs?: number;
}

/** How often the owner republishes what did not change, so that followers can tell an owner that went quiet. */
const REPUBLISH_MS = 10_000;

export class SessionOwnership {
  private current: Role = 'follower';
  private timer?: ReturnType<typeof setInterval>;
  private over = false;
  private published = '';
  private publishedAt = 0;
  private ticking?: Promise<void>;
  private publishing: Promise<void> = Promise.resolve();

  constructor(private readonly options: OwnershipOptions) {}

  get role(): Role {
    return this.current;
  }

  /** Decides the role (a fresh sign-in here takes the session over) and keeps deciding every few seconds. */
  async start(options: { takeOver?: boolean } = {}): Promise<Role> {
    const { coordination, accountId } = this.options;
    if (options.takeOver && (await coordination.own(accountId, { takeOver: true }))) this.current = 'owner';
    else await this.decide(false);
    if (this.current === 'owner') await this.publish(true);
    if (!this.over) {
      this.timer = setInterval(() => void this.tick(), this.options.intervalMs ?? 3_000);
      this.timer.unref?.();
    }
    return this.current;
  }

  /** The check right before spending the refresh token: still the owner, holding the published pair. */
  async mayRenew(): Promise<boolean> {
    if (this.over || this.current !== 'owner') return false;
    const { coordination, accountId } = this.options;
    if (!(await coordination.own(accountId))) return false;
    // A newer pair published by another window means this one was rotated already.
    return isCurrentGeneration(this.options.session().generation, (await coordination.read(accountId))?.generation);
  }

  /** What the owner shows, or its token pair, changed: publish it (followers read it on their next tick). */
  changed(): void {
    if (this.current === 'owner' && !this.over) void this.publish(false);
  }

  /** Stops deciding. With `final`, an owner publishes it (signed out) and gives the session up. */
  async dispose(final?: AccountStatus): Promise<void> {
    if (this.over) return;
    this.over = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
    if (this.current !== 'owner') return;
    const { coordination, accountId } = this.options;
    await this.publishing;
    if (final) {
      await coordination.publish(accountId, { status: final, rooms: [], at: Date.now() }).catch(() => undefined);
      await coordination.release(accountId).catch(() => undefined);
    }
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.over) return;
    this.ticking = this.decide(true)
      .catch((error: unknown) =>
        this.options.log.warn(`account ${this.options.accountId}: ownership: ${String(error)}`),
      )
      .finally(() => {
        this.ticking = undefined;
      });
    await this.ticking;
  }

  private async decide(announce: boolean): Promise<void> {
    const { coordination, accountId } = this.options;
    if (this.current === 'owner') {
      if (await coordination.own(accountId)) return void (await this.publish(false));
      this.options.log.info(`account ${accountId}: another window owns the session now; following it`);
      return this.follow(await coordination.read(accountId), true);
    }
    const elsewhere = await coordination.ownedElsewhere(accountId);
    const preferred = this.options.preferred?.() ?? false;
    if (elsewhere && !preferred) return this.follow(await coordination.read(accountId), true);
    await this.options.takeStored();
    const mirror = await coordination.read(accountId);
    const current = isCurrentGeneration(this.options.session().generation, mirror?.generation);
    if (this.over) return;
    if (
      current &&
      mirror?.status.state !== 'signed_out' &&
      (await coordination.own(accountId, { takeOver: elsewhere }))
    ) {
      this.current = 'owner';
      this.options.log.info(`account ${accountId}: this window owns the session`);
      if (announce) this.options.onOwner();
      await this.publish(true);
      return;
    }
    this.follow(mirror, elsewhere || current);
  }

  private follow(mirror: AccountMirror | undefined, current: boolean): void {
    this.current = 'follower';
    if (!this.over) this.options.onFollower(mirror, current);
  }

  /** One publication at a time, in order, so the last one written is the latest; a failure is logged. */
  private publish(force: boolean): Promise<void> {
    this.publishing = this.publishing
      .then(async () => {
        const { status, rooms } = this.options.snapshot();
        const generation = this.options.session().generation;
        const content = JSON.stringify({ generation, status: { ...status, since: undefined }, rooms });
        if (!force && content === this.published && Date.now() - this.publishedAt < REPUBLISH_MS) return;
        this.published = content;
        this.publishedAt = Date.now();
        await this.options.coordination.publish(this.options.accountId, {
          ...(generation ? { generation } : {}),
          status,
          rooms,
          at: this.publishedAt,
        });
      })
      .catch((error: unknown) =>
        this.options.log.warn(`account ${this.options.accountId}: publishing for other windows: ${String(error)}`),
      );
    return this.publishing;
  }
}
