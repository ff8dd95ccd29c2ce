/**
 * The channel panel's host side (the webview message handler), part 1: messages it refuses (logged, nothing
 * changed), the panel it shows, and homeserver discovery. Against the real AccountService (panel-fixture.ts).
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { MatrixChannelError } from '../../../src/core/errors.ts';
import { formatMessage, setTranslator } from '../../../src/core/l10n.ts';
import { emptyForm, formFromConfig } from '../../../src/shared/channel-form.ts';
import type { ChannelForm, PanelInfo } from '../../../src/shared/webviewProtocol.ts';
import { discovery, PanelFixture, request } from './panel-fixture.ts';

let f: PanelFixture;
beforeEach(() => {
  f = new PanelFixture();
});

describe('channel panel host: refused messages', () => {
  const bad: Array<[string, unknown]> = [
    ['an unknown type', { kind: 'request', id: 5, type: 'removeChannel', params: {} }],
    [
      'a wrong field type',
      request(5, 'save', {
        ...emptyForm(),
        homeserver: 'hs.example.org',
        notifications: 'yes',
      } as unknown as ChannelForm),
    ],
    ['an oversized string', request(5, 'save', { ...emptyForm(), homeserver: `hs.example.org/${'a'.repeat(5000)}` })],
    [
      'markup in a name',
      request(5, 'signIn', {
        ...emptyForm(),
        homeserver: 'hs.example.org',
        authMode: 'oidc',
        label: '<script>alert(1)</script>',
      }),
    ],
    [
      'a control character in a name',
      request(5, 'save', { ...emptyForm(), homeserver: 'hs.example.org', deviceDisplayName: 'laptop\u0007' }),
    ],
  ];
  for (const [what, message] of bad) {
    it(`refuses ${what} with a logged reason and changes nothing`, async () => {
      const existing = await f.savedChannel();
      const before = JSON.stringify(f.accounts.accounts());
      const { controller, posted, response } = f.harness({ mode: 'edit', accountId: existing.id });
      await controller.receive(message);
      assert.equal(
        f.logLines.filter((line) => /^warn: channel panel: refused a message from the webview: message/.test(line))
          .length,
        1,
        f.logLines.join('\n'),
      );
      const answer = response(5);
      assert.ok(
        answer && !answer.ok && /does not accept/.test(answer.error.message),
        'the request is answered with an error',
      );
      assert.equal(posted.length, 1, 'nothing else is sent');
      assert.deepEqual(f.configs.upserts, []);
      assert.deepEqual(f.engine.signIns, []);
      assert.deepEqual(f.engine.discoveries, []);
      assert.equal(JSON.stringify(f.accounts.accounts()), before);
      controller.dispose();
    });
  }

  it('refuses a malformed notification without answering', async () => {
    const { controller, posted } = f.harness({ mode: 'add' });
    await controller.receive({ kind: 'notification', type: 'cancel', params: { requestId: 'all' } });
    await controller.receive('ready');
    assert.deepEqual(posted, []);
    assert.equal(f.logLines.length, 2);
    controller.dispose();
  });
});

describe('channel panel host: the panel it shows', () => {
  it('adding: the defaults, no session, no account', async () => {
    const { controller, panels, titles } = f.harness({ mode: 'add' });
    await controller.receive({ kind: 'notification', type: 'ready', params: {} });
    assert.deepEqual(panels(), [{ mode: 'add', baseline: emptyForm(), stored: { session: false } }]);
    assert.deepEqual(titles, ['Add Matrix Channel']);
    controller.dispose();
  });

  it("speaks the editor's language: the title and the hint go through the translator", async () => {
    const german: Record<string, string> = {
      'Add Matrix Channel': 'Matrix-Kanal hinzufügen',
      'Password only: this homeserver does not offer OAuth 2.0 sign-in.': 'Nur Passwort.',
    };
    setTranslator((message, args) => formatMessage(german[message] ?? `?${message}`, args));
    try {
      f.engine.discoverWith = async (input) => discovery(input, false, true);
      const { controller, response, titles } = f.harness({ mode: 'add' });
      await controller.receive({ kind: 'request', id: 1, type: 'discover', params: { homeserver: 'hs.example.org' } });
      const answer = response<'discover'>(1);
      assert.ok(answer?.ok);
      assert.equal(answer.result.message, 'Nur Passwort.');
      assert.deepEqual(titles, ['Matrix-Kanal hinzufügen']);
      controller.dispose();
    } finally {
      setTranslator(undefined);
    }
  });

  it('editing an OAuth channel whose settings never recorded the method shows OAuth, from the session', async () => {
    const saved = await f.savedChannel({ authMode: 'oidc', userId: '@alice:example.org' });
    const { authMode: _dropped, ...withoutMode } = saved;
    f.configs.configs = [withoutMode];
    const { controller, panels, posted } = f.harness({ mode: 'edit', accountId: saved.id });
    await controller.receive({ kind: 'notification', type: 'ready', params: {} });
    const [panel] = panels() as [PanelInfo];
    assert.equal(panel.baseline.authMode, 'oidc');
    assert.deepEqual(panel.stored, { session: true, authMode: 'oidc' });
    assert.equal(panel.account?.state, 'connected');
    assert.ok(!JSON.stringify(posted).includes('secret-access-token'), 'no secret travels to the webview');
    controller.dispose();
  });

  it('keeps the edits the webview reports as unsaved, and a panel reopened on them sends them back', async () => {
    const saved = await f.savedChannel();
    const { controller } = f.harness({ mode: 'edit', accountId: saved.id });
    assert.equal(controller.unsaved, undefined);
    const draft = { ...formFromConfig(saved), label: 'Home' };
    await controller.receive({ kind: 'notification', type: 'draft', params: { form: draft } });
    assert.deepEqual(controller.unsaved, { target: { mode: 'edit', accountId: saved.id }, draft });
    await controller.receive({ kind: 'notification', type: 'draft', params: {} });
    assert.equal(controller.unsaved, undefined, 'back to the saved values');
    controller.dispose();

    const again = f.harness({ mode: 'edit', accountId: saved.id, draft });
    await again.controller.receive({ kind: 'notification', type: 'ready', params: {} });
    assert.deepEqual(again.panels().at(-1)?.draft, draft);
    again.controller.dispose();
  });

  it('picks joined rooms only for a signed-in channel being edited', async () => {
    const saved = await f.savedChannel();
    const editing = f.harness({ mode: 'edit', accountId: saved.id });
    await editing.controller.receive({ kind: 'notification', type: 'ready', params: {} });
    assert.equal(editing.panels().at(-1)?.canPickRooms, true);
    await editing.controller.receive({ kind: 'request', id: 7, type: 'pickRooms', params: {} });
    assert.deepEqual(editing.response<'pickRooms'>(7), {
      kind: 'response',
      id: 7,
      ok: true,
      result: { roomIds: ['!picked:example.org'] },
    });
    assert.deepEqual(f.roomPicks, [saved.id]);
    editing.controller.dispose();

    const adding = f.harness({ mode: 'add' });
    await adding.controller.receive({ kind: 'notification', type: 'ready', params: {} });
    assert.equal(adding.panels().at(-1)?.canPickRooms, undefined);
    await adding.controller.receive({ kind: 'request', id: 8, type: 'pickRooms', params: {} });
    const refused = adding.response<'pickRooms'>(8);
    assert.ok(refused && !refused.ok && /Sign in first/.test(refused.error.message));
    assert.deepEqual(f.roomPicks, [saved.id], 'nobody asked');
    adding.controller.dispose();
  });

  it('follows the account: a channel removed elsewhere is reported, and Save cannot write it back', async () => {
    const saved = await f.savedChannel();
    const { controller, panels, response } = f.harness({ mode: 'edit', accountId: saved.id });
    await f.accounts.remove(saved.id);
    assert.equal(panels().at(-1)?.removed, true);
    await controller.receive(request(3, 'save', { ...formFromConfig(saved), dmPolicy: 'open' }));
    const answer = response(3);
    assert.ok(answer && !answer.ok && /removed/.test(answer.error.message));
    assert.deepEqual(f.configs.list(), []);
    controller.dispose();
  });
});

describe('channel panel host: discovery', () => {
  it('answers with the hint for what the server offers', async () => {
    f.engine.discoverWith = async (input) => discovery(input, false, true);
    const { controller, response } = f.harness({ mode: 'add' });
    await controller.receive({ kind: 'request', id: 1, type: 'discover', params: { homeserver: ' hs.example.org ' } });
    const answer = response<'discover'>(1);
    assert.ok(answer?.ok);
    assert.deepEqual(answer.result, {
      verdict: 'password',
      message: 'Password only: this homeserver does not offer OAuth 2.0 sign-in.',
      offers: { oauth: false, password: true },
      baseUrl: 'https://hs.example.org',
    });
    assert.equal(f.engine.discoveries[0]?.input, 'hs.example.org');
    controller.dispose();
  });

  it('a newer lookup aborts the older one, which is answered as cancelled', async () => {
    f.engine.discoverWith = (input, signal) =>
      input === 'slow.example.org'
        ? new Promise((_, reject) =>
            signal.addEventListener('abort', () => reject(new MatrixChannelError('cancelled', 'aborted'))),
          )
        : Promise.resolve(discovery(input, true, false));
    const { controller, response } = f.harness({ mode: 'add' });
    const first = controller.receive({
      kind: 'request',
      id: 1,
      type: 'discover',
      params: { homeserver: 'slow.example.org' },
    });
    await controller.receive({ kind: 'request', id: 2, type: 'discover', params: { homeserver: 'fast.example.org' } });
    await first;
    assert.equal(f.engine.discoveries[0]?.signal.aborted, true);
    const older = response<'discover'>(1);
    assert.ok(older && !older.ok && older.error.cancelled);
    const newer = response<'discover'>(2);
    assert.ok(newer?.ok && newer.result.verdict === 'oauth');
    controller.dispose();
  });

  it('does not look up input that is no homeserver, and says why', async () => {
    const { controller, response } = f.harness({ mode: 'add' });
    await controller.receive({
      kind: 'request',
      id: 1,
      type: 'discover',
      params: { homeserver: 'https://user:pw@hs.example.org' },
    });
    const answer = response<'discover'>(1);
    assert.ok(answer?.ok && answer.result.verdict === 'invalid' && /user name or password/.test(answer.result.message));
    assert.deepEqual(f.engine.discoveries, []);
    controller.dispose();
  });

  it('reports a server that is not a Matrix server', async () => {
    f.engine.discoverWith = async () => {
      throw new MatrixChannelError('not_matrix', 'example.org has no Matrix client API.');
    };
    const { controller, response } = f.harness({ mode: 'add' });
    await controller.receive({ kind: 'request', id: 1, type: 'discover', params: { homeserver: 'example.org' } });
    const answer = response<'discover'>(1);
    assert.ok(answer?.ok && answer.result.verdict === 'not_matrix');
    controller.dispose();
  });
});
