/**
 * A renewal whose new tokens cannot be stored (the keychain is locked, say) drops them unused and tries the old
 * refresh token again later. MAS takes that replay because the dropped pair was never used: the session goes on
 * by itself. Against a server with oidc-provider's strict rule, the same replay ends the session, which is why
 * the engine never uses tokens it could not store.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currentBed } from '../../bed/current.ts';
import { forgivenRefreshReplays, strictRefreshReplay } from '../../bed/oauth-client.ts';
import type { MatrixChannelError } from '../../../src/core/errors.ts';
import { assertRenewsByItself, oauthSession } from './engine.ts';
import { waitFor } from './live-support.ts';
import { MemorySecrets } from './support.ts';

const bed = currentBed();

/** Secret storage that refuses the next writes it is told to (a locked keychain). */
class LockedSecrets extends MemorySecrets {
  refusals = 0;
  override async store(key: string, value: string): Promise<void> {
    if (this.refusals > 0) {
      this.refusals -= 1;
      throw new Error('the keychain is locked');
    }
    return super.store(key, value);
  }
}

async function renewalThatCannotBeStored(options: { strict?: boolean } = {}) {
  const secrets = new LockedSecrets();
  const { engine, session, store, log } = await oauthSession({ secrets });
  if (options.strict) await strictRefreshReplay(bed, session.refreshToken!);
  const ended: MatrixChannelError[] = [];
  const managed = engine.manage('acct', session, {
    onEnded: (reason) => ended.push(reason),
    retry: { initialMs: 200, maxMs: 1_000 },
  });
  secrets.refusals = 1;
  await assert.rejects(managed.refresh(), (error: MatrixChannelError) => error.kind === 'storage_failed');
  assert.equal((await store.load('acct'))?.refreshToken, session.refreshToken, 'the stored session is unchanged');
  assert.equal(managed.session.refreshToken, session.refreshToken, 'the new pair is dropped unused');
  return { managed, session, store, ended, log };
}

describe('core: renewed tokens that cannot be stored', () => {
  it('are dropped, and the old refresh token renews the session later (MAS forgives the replay)', async () => {
    const { managed, session, store, ended, log } = await renewalThatCannotBeStored();
    try {
      const renewed = await assertRenewsByItself({ managed, session, store, ended, log });
      assert.equal(await forgivenRefreshReplays(bed, renewed.refreshToken!), 1, 'the server forgave one replay');
      assert.equal(managed.renewalTrouble, undefined, 'no trouble left to show');
    } finally {
      managed.dispose();
    }
  });

  it("end the session on a server with oidc-provider's strict replay rule", async () => {
    const { managed, store, ended } = await renewalThatCannotBeStored({ strict: true });
    try {
      await waitFor('the session ended', () => ended[0]);
      assert.equal(ended[0]!.kind, 'session_expired');
      assert.equal(ended[0]!.code, 'invalid_grant');
      assert.ok(await store.load('acct'), 'the secret stays until the person signs in again or out');
    } finally {
      managed.dispose();
    }
  });
});
