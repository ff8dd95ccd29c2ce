/**
 * Access tokens of 60 seconds (the shortest MAS allows), with Synapse's 2-minute cache of introspection answers in
 * play: a live channel stays connected through three renewals, delivers what is sent between them, never shows
 * "reconnecting" or "needs sign-in", and a token a renewal replaced is refused by Synapse once it expires, cache
 * or not. Takes about two and a half minutes: it runs beside the other stages.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDelegatedUser, MatrixApi, MatrixError } from '../../bed/matrix.ts';
import type { MatrixChannelError } from '../../../src/core/errors.ts';
import type { Session } from '../../../src/core/session/session.ts';
import { oauthSession } from './engine.ts';
import { bed, config, liveChannel, sharedRoom, waitFor } from './live-support.ts';

/** Seconds until Synapse refuses `token` (401 M_UNKNOWN_TOKEN), polling each second. */
async function secondsUntilRefused(token: string, limitSeconds: number): Promise<number> {
  const api = new MatrixApi(bed.delegated.baseUrl, token);
  const started = Date.now();
  while (Date.now() - started < limitSeconds * 1000) {
    try {
      await api.whoami();
    } catch (error) {
      if ((error as MatrixError).errcode === 'M_UNKNOWN_TOKEN') return (Date.now() - started) / 1000;
    }
    await sleep(1000);
  }
  throw new Error(`Synapse still took the replaced token after ${limitSeconds}s`);
}

describe('core: 60-second access tokens with the homeserver caching introspection', () => {
  it('a live channel stays connected through three renewals and delivers between them', async () => {
    const { engine, session, log } = await oauthSession({ accessTokenTtl: 60 });
    const ended: MatrixChannelError[] = [];
    const renewals: Session[] = [];
    const managed = engine.manage('acct', session, {
      onEnded: (reason) => ended.push(reason),
      onChange: (renewed) => renewals.push(renewed),
    });
    try {
      const other = await createDelegatedUser(bed);
      const theirs = new MatrixApi(bed.delegated.baseUrl, other.accessToken);
      const mine = new MatrixApi(bed.delegated.baseUrl, session.accessToken);
      const roomId = await sharedRoom(theirs, mine, session.userId, { name: 'Minute tokens' });
      const channel = await liveChannel(
        managed,
        config({
          id: 'acct',
          homeserver: bed.delegated.baseUrl,
          roomPolicy: 'allowlist',
          roomAllowlist: [roomId],
          mentionMode: 'always',
        }),
      );

      for (let round = 1; round <= 3; round++) {
        await waitFor(`renewal ${round}`, () => renewals.length >= round, 75_000);
        const replaced = round === 1 ? session : renewals[round - 2]!;
        const body = `after renewal ${round}`;
        await theirs.sendText(roomId, body);
        await channel.until(body);
        // Synapse cached this token as valid when the channel used it; it must still refuse it once expired.
        const refusedAfter = await secondsUntilRefused(replaced.accessToken, 30);
        assert.ok(refusedAfter <= 20, `the replaced token was refused ${refusedAfter}s after the renewal`);
      }

      const troubled = channel.states.filter((s) => s.state === 'reconnecting' || s.state === 'needs_sign_in');
      assert.deepEqual(troubled, [], 'connected throughout');
      assert.deepEqual(ended, []);
      assert.deepEqual(
        channel.bodies().filter((b) => b.startsWith('after renewal')),
        ['after renewal 1', 'after renewal 2', 'after renewal 3'],
        'each message once',
      );
      log.assertFree([session.accessToken, session.refreshToken, ...renewals.map((r) => r.accessToken)]);
    } finally {
      managed.dispose();
    }
  });
});
