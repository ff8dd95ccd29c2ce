/**
 * The channel panel's host side, part 2: saving (only what changed, checked again by the host, signing in
 * when the session no longer fits), cancelling, and closing the panel mid sign-in without a trace.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { emptyForm, formFromConfig } from '../../../src/shared/channel-form.ts';
import { PanelFixture, request, until } from './panel-fixture.ts';

let f: PanelFixture;
beforeEach(() => {
  f = new PanelFixture();
});

describe('channel panel host: saving', () => {
  it('writes only the changed fields over the configuration as stored now, without signing in', async () => {
    const saved = await f.savedChannel();
    const { controller, response } = f.harness({ mode: 'edit', accountId: saved.id });
    // Meanwhile the settings changed elsewhere: that change must survive this save.
    f.configs.configs = [{ ...saved, mentionMode: 'always' }];
    await controller.receive(
      request(4, 'save', { ...formFromConfig(saved), dmPolicy: 'open', userAllowlist: ['@bob:example.org'] }),
    );
    const answer = response(4);
    assert.ok(answer?.ok, JSON.stringify(answer));
    assert.equal(answer.result.message, 'Saved.');
    assert.deepEqual(f.configs.upserts, [
      { ...saved, mentionMode: 'always', dmPolicy: 'open', userAllowlist: ['@bob:example.org'] },
    ]);
    assert.deepEqual(f.engine.signIns, []);
    assert.equal(f.accounts.account(saved.id)?.status.state, 'connected');
    controller.dispose();
  });

  it('saves nothing when nothing changed', async () => {
    const saved = await f.savedChannel();
    const { controller, response } = f.harness({ mode: 'edit', accountId: saved.id });
    await controller.receive(request(4, 'save', formFromConfig(saved)));
    const answer = response(4);
    assert.ok(answer?.ok && answer.result.message === 'No changes to save.');
    assert.deepEqual(f.configs.upserts, []);
    controller.dispose();
  });

  it('checks the form again itself: an invalid field is reported and nothing is written', async () => {
    const saved = await f.savedChannel();
    const { controller, response } = f.harness({ mode: 'edit', accountId: saved.id });
    await controller.receive(request(4, 'save', { ...formFromConfig(saved), userAllowlist: ['bob'], deviceId: 'x y' }));
    const answer = response(4);
    assert.ok(answer && !answer.ok);
    assert.deepEqual(
      answer.error.fields?.map((f) => f.field),
      ['userAllowlist[0]'],
    );
    assert.deepEqual(f.configs.upserts, []);
    controller.dispose();
  });

  it('a changed homeserver needs signing in again: without the password nothing happens, with it the sign-in saves', async () => {
    const saved = await f.savedChannel();
    const { controller, response } = f.harness({ mode: 'edit', accountId: saved.id });
    const form = { ...formFromConfig(saved), homeserver: 'other.example.org', dmPolicy: 'open' as const };
    await controller.receive(request(4, 'save', form));
    const refusedAnswer = response(4);
    assert.ok(refusedAnswer && !refusedAnswer.ok);
    assert.deepEqual(
      refusedAnswer.error.fields?.map((f) => f.field),
      ['password'],
    );
    assert.equal(f.engine.signIns.length, 0);

    await controller.receive(
      request(5, 'save', form, { password: 'new-password', accessToken: 'ignored: not this method' }),
    );
    const answer = response(5);
    assert.ok(answer?.ok, JSON.stringify(answer));
    assert.match(answer.result.message, /^Signed in as @alice:example.org/);
    assert.equal(f.engine.signIns.length, 1);
    assert.equal(f.engine.signIns[0]!.config.homeserver, 'other.example.org');
    assert.deepEqual(f.engine.signIns[0]!.secrets, { password: 'new-password' });
    assert.equal(f.configs.list()[0]!.homeserver, 'other.example.org');
    assert.equal(f.configs.list()[0]!.dmPolicy, 'open');
    assert.ok(!JSON.stringify(f.configs.upserts).includes('new-password'), 'secrets never reach the settings');
    controller.dispose();
  });

  it('a failed sign-in after an edit changes nothing and says why', async () => {
    const saved = await f.savedChannel();
    f.engine.signInBehaviour = 'fail';
    const { controller, response } = f.harness({ mode: 'edit', accountId: saved.id });
    await controller.receive(
      request(4, 'save', { ...formFromConfig(saved), homeserver: 'other.example.org' }, { password: 'wrong' }),
    );
    const answer = response(4);
    assert.ok(answer && !answer.ok && /refused the password/.test(answer.error.message));
    assert.deepEqual(f.configs.list(), [saved]);
    controller.dispose();
  });

  it('adding: signs in, saves, and turns into the panel of the new channel', async () => {
    const { controller, response, titles } = f.harness({ mode: 'add' });
    await controller.receive(
      request(
        1,
        'save',
        { ...emptyForm(), homeserver: 'hs.example.org', authMode: 'access_token', label: 'Bot' },
        { accessToken: 'syt_token' },
      ),
    );
    const answer = response(1);
    assert.ok(answer?.ok, JSON.stringify(answer));
    assert.equal(answer.result.message, 'Signed in as @alice:example.org. The channel is saved.');
    assert.equal(answer.result.panel.mode, 'edit');
    assert.equal(answer.result.panel.accountId, 'ch-new');
    assert.equal(answer.result.panel.baseline.authMode, 'access_token');
    assert.equal(controller.key, 'ch-new');
    assert.deepEqual(titles, ['Add Matrix Channel', 'Matrix: Bot']);
    assert.equal(f.accounts.account('ch-new')?.status.state, 'connected');
    controller.dispose();
  });

  it('runs one save at a time', async () => {
    f.engine.signInBehaviour = 'wait';
    const { controller, response } = f.harness({ mode: 'add' });
    const form = { ...emptyForm(), homeserver: 'hs.example.org', authMode: 'oidc' as const };
    const first = controller.receive(request(1, 'signIn', form));
    await until('the sign-in to start', () => f.engine.signIns.length === 1);
    await controller.receive(request(2, 'signIn', form));
    const second = response(2);
    assert.ok(second && !second.ok && /already running/.test(second.error.message));
    controller.dispose();
    await first;
  });
});

describe('channel panel host: cancelling and closing', () => {
  it('Cancel stops a browser sign-in; the new channel is not added', async () => {
    f.engine.signInBehaviour = 'wait';
    const { controller, response, panels } = f.harness({ mode: 'add' });
    const running = controller.receive(
      request(1, 'signIn', { ...emptyForm(), homeserver: 'hs.example.org', authMode: 'oidc' }),
    );
    await until('the sign-in to start', () => f.engine.signIns.length === 1);
    assert.deepEqual(panels().at(-1)?.busy, { requestId: 1, type: 'signIn' });
    assert.equal(f.accounts.account('ch-new')?.status.state, 'authorizing');
    await controller.receive({ kind: 'notification', type: 'cancel', params: { requestId: 1 } });
    await running;
    const answer = response(1);
    assert.ok(answer && !answer.ok && answer.error.cancelled);
    assert.equal(answer.error.message, 'Sign-in cancelled; nothing was added.');
    assert.deepEqual(f.accounts.accounts(), []);
    assert.deepEqual(f.configs.upserts, []);
    controller.dispose();
  });

  it('closing the panel during a browser sign-in cancels it and leaves no timer, listener or account', async () => {
    f.engine.signInBehaviour = 'wait';
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const timersBefore = timers();
    const { controller, posted } = f.harness({ mode: 'add' });
    assert.equal(f.listeners, 1);
    const running = controller.receive(
      request(1, 'signIn', { ...emptyForm(), homeserver: 'hs.example.org', authMode: 'oidc' }),
    );
    await until('the sign-in to start', () => f.engine.signIns.length === 1);
    assert.equal(f.accounts.accounts().length, 1, 'the new channel shows while authorizing');
    const sentBeforeClose = posted.length;

    controller.dispose();
    await running;

    assert.equal(f.engine.signIns[0]!.signal?.aborted, true, 'the sign-in was aborted');
    assert.deepEqual(f.accounts.accounts(), [], 'no ghost account');
    assert.deepEqual(f.configs.list(), []);
    assert.equal(f.listeners, 0, 'no listener left');
    assert.equal(timers(), timersBefore, 'no timer left');
    assert.equal(posted.length, sentBeforeClose, 'nothing is sent to a closed panel');
    await controller.receive({ kind: 'notification', type: 'ready', params: {} });
    assert.equal(posted.length, sentBeforeClose);
  });
});
