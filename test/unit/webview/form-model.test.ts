/** The webview's pure form logic: state transitions and what the panel shows for them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMessage, setTranslator } from '../../../src/core/l10n.ts';
import { emptyForm } from '../../../src/shared/channel-form.ts';
import type { ChannelForm, DiscoveryResult, PanelInfo } from '../../../src/shared/webviewProtocol.ts';
import {
  applyDiscovery,
  applyPanel,
  edit,
  editSecret,
  finishBusy,
  initialState,
  persistable,
  reopened,
  restore,
  secretsToSend,
  setReplacing,
  showsStored,
  startBusy,
  unsavedForm,
  type FormState,
} from '../../../webview/model/form-state.ts';
import { viewModel } from '../../../webview/model/view-model.ts';

const addPanel: PanelInfo = { mode: 'add', baseline: emptyForm(), stored: { session: false } };
const savedForm: ChannelForm = {
  ...emptyForm(),
  label: 'Work',
  homeserver: 'example.org',
  authMode: 'password',
  userId: '@alice:example.org',
};
const editPanel: PanelInfo = {
  mode: 'edit',
  accountId: 'ch-1',
  baseline: savedForm,
  stored: { session: true, authMode: 'password' },
  account: { state: 'connected', userId: '@alice:example.org' },
};
const oauthOffered: DiscoveryResult = {
  verdict: 'oauth',
  message: 'OAuth supported',
  offers: { oauth: true, password: true },
};
const passwordOnly: DiscoveryResult = {
  verdict: 'password',
  message: 'Password only',
  offers: { oauth: false, password: true },
};

const adding = (): FormState => applyPanel(initialState(emptyForm()), addPanel);
const editing = (): FormState => applyPanel(initialState(emptyForm()), editPanel);

describe('form state', () => {
  it("a new channel follows discovery's recommendation (OAuth when offered) until the user picks", () => {
    let state = edit(adding(), { homeserver: 'example.org' }, 'homeserver');
    state = applyDiscovery(state, 'example.org', oauthOffered);
    assert.equal(state.form.authMode, 'oidc');
    state = applyDiscovery(state, 'example.org', passwordOnly);
    assert.equal(state.form.authMode, 'password');
    state = edit(state, { authMode: 'access_token' }, 'authMode');
    state = applyDiscovery(state, 'example.org', oauthOffered);
    assert.equal(state.form.authMode, 'access_token', "the user's choice stays");
  });

  it('editing never changes the recorded method on its own', () => {
    const state = applyDiscovery(editing(), 'example.org', oauthOffered);
    assert.equal(state.form.authMode, 'password');
  });

  it('a Matrix ID typed as homeserver fills the user ID while the user has not typed one', () => {
    let state = edit(adding(), { homeserver: '@alice:example.org' }, 'homeserver');
    assert.equal(state.form.userId, '@alice:example.org');
    state = edit(state, { homeserver: '@alice:example.com' }, 'homeserver');
    assert.equal(state.form.userId, '@alice:example.com');
    state = edit(state, { userId: '@bob:example.com' }, 'userId');
    state = edit(state, { homeserver: 'example.com' }, 'homeserver');
    assert.equal(state.form.userId, '@bob:example.com');
  });

  it('never persists a secret', () => {
    let state = edit(
      adding(),
      { homeserver: 'example.org', authMode: 'password', userId: '@a:example.org' },
      'homeserver',
    );
    state = editSecret(state, 'password', 'hunter2');
    state = editSecret(state, 'accessToken', 'syt_secret');
    const kept = JSON.stringify(persistable(state));
    assert.ok(!kept.includes('hunter2') && !kept.includes('syt_secret'), kept);
    assert.deepEqual(secretsToSend(state), { password: 'hunter2' }, "only the chosen method's secret is sent");
  });

  it('restores unsaved edits for the same channel after the webview is re-created, not for another', () => {
    const state = edit(editing(), { dmPolicy: 'disabled' }, 'dmPolicy');
    const kept = restore(JSON.parse(JSON.stringify(persistable(state))));
    assert.ok(kept);
    assert.equal(applyPanel(initialState(emptyForm()), editPanel, kept).form.dmPolicy, 'disabled');
    assert.equal(
      applyPanel(initialState(emptyForm()), { ...editPanel, accountId: 'ch-2' }, kept).form.dmPolicy,
      savedForm.dmPolicy,
    );
    assert.equal(restore({ version: 2 }), undefined);
    assert.equal(restore('junk'), undefined);
  });

  it("keeps the user's edits when the host reports a status change, and adopts a running request", () => {
    let state = edit(editing(), { label: 'Home' }, 'label');
    state = applyPanel(state, {
      ...editPanel,
      account: { state: 'reconnecting' },
      busy: { requestId: 9, type: 'save' },
    });
    assert.equal(state.form.label, 'Home');
    assert.equal(state.panel?.account?.state, 'reconnecting');
    assert.deepEqual(state.busy, { requestId: 9, type: 'save' });
  });

  it('a stored secret shows as stored with Replace; a changed homeserver asks for a new one', () => {
    let state = editing();
    assert.equal(showsStored(state, 'password'), true);
    assert.deepEqual(
      secretsToSend(editSecret(state, 'password', 'typed while hidden')),
      {},
      'a hidden field sends nothing',
    );
    state = setReplacing(state, 'password', true);
    assert.equal(showsStored(state, 'password'), false);
    state = setReplacing(editSecret(state, 'password', 'pw'), 'password', false);
    assert.deepEqual(state.secrets, {}, 'keeping the stored one forgets what was typed');
    assert.equal(showsStored(edit(editing(), { homeserver: 'other.org' }, 'homeserver'), 'password'), false);
  });

  it('reports edits that differ from the saved channel (never secrets); a reopened panel starts from them', () => {
    assert.equal(unsavedForm(editing()), undefined, 'nothing edited yet');
    let state = editSecret(edit(editing(), { label: 'Home' }, 'label'), 'password', 'hunter2');
    assert.deepEqual(unsavedForm(state), { ...savedForm, label: 'Home' });
    assert.doesNotMatch(JSON.stringify(unsavedForm(state)), /hunter2/);
    state = edit(state, { label: 'Work' }, 'label');
    assert.equal(unsavedForm(state), undefined, 'back to the saved value');
    assert.equal(
      unsavedForm(applyPanel(state, { ...editPanel, removed: true })),
      undefined,
      'removed: nothing to keep',
    );

    const draft = { ...savedForm, label: 'Home' };
    const reopenedState = applyPanel(
      initialState(emptyForm()),
      { ...editPanel, draft },
      reopened({ ...editPanel, draft }),
    );
    assert.equal(reopenedState.form.label, 'Home');
    assert.deepEqual(unsavedForm(reopenedState), draft, 'still unsaved');
    assert.equal(reopened(editPanel), undefined);
  });

  it('after a successful save the form starts again from the saved channel, secrets forgotten', () => {
    let state = edit(
      adding(),
      { homeserver: 'example.org', authMode: 'password', userId: '@a:example.org' },
      'homeserver',
    );
    state = startBusy(editSecret(state, 'password', 'pw'), 3, 'save');
    state = finishBusy(state, {
      ok: true,
      panel: { ...editPanel, baseline: { ...savedForm, userId: '@a:example.org' } },
      message: 'Signed in as @a:example.org. The channel is saved.',
    });
    assert.equal(state.busy, undefined);
    assert.deepEqual(state.secrets, {});
    assert.equal(state.panel?.mode, 'edit');
    assert.equal(state.status?.kind, 'success');
  });

  it("after a refused save the host's field problems show, until the field is edited", () => {
    let state = startBusy(edit(editing(), { label: 'x' }, 'label'), 3, 'save');
    state = finishBusy(state, {
      ok: false,
      message: 'Some fields need attention.',
      fields: [{ field: 'userAllowlist[0]', message: 'bad entry' }],
    });
    assert.equal(viewModel(state).errors['userAllowlist'], 'bad entry');
    state = edit(state, { userAllowlist: [] }, 'userAllowlist');
    assert.equal(viewModel(state).errors['userAllowlist'], undefined);
  });
});

describe('view model', () => {
  it('a new channel: Save disabled until valid, with what is missing; each method shows only its fields', () => {
    let vm = viewModel(adding());
    assert.equal(vm.primary.enabled, false);
    assert.deepEqual(vm.pending, ['Homeserver', 'Sign-in method']);
    assert.deepEqual(vm.errors, {}, 'no message before the user has been there');

    let state = applyDiscovery(
      edit(adding(), { homeserver: 'example.org' }, 'homeserver'),
      'example.org',
      oauthOffered,
    );
    vm = viewModel(state);
    assert.deepEqual(vm.show, { userId: false, password: false, accessToken: false, oauth: true });
    assert.deepEqual(vm.primary, { label: 'Sign in with browser', enabled: true, request: 'signIn' });
    assert.equal(vm.modes[0]!.label, 'Sign in with browser (OAuth 2.0, recommended)');
    assert.deepEqual(vm.discovery, { state: 'oauth', text: 'OAuth supported' });

    state = edit(state, { authMode: 'password' }, 'authMode');
    vm = viewModel(state);
    assert.deepEqual(vm.show, { userId: true, password: true, accessToken: false, oauth: false });
    assert.deepEqual(vm.primary, { label: 'Sign in and save', enabled: false, request: 'save' });
    state = editSecret(edit(state, { userId: '@a:example.org' }, 'userId'), 'password', 'pw');
    assert.equal(viewModel(state).primary.enabled, true);
  });

  it('messages appear next to fields the user has been to', () => {
    const state = edit(adding(), { homeserver: 'https://user:pw@example.org' }, 'homeserver');
    assert.match(viewModel(state).errors['homeserver']!, /must not contain a user name or password/);
    assert.equal(viewModel(state).discovery.state, 'idle', 'no lookup of an invalid homeserver');
  });

  it('marks a method the homeserver does not offer', () => {
    const state = applyDiscovery(
      edit(adding(), { homeserver: 'example.org' }, 'homeserver'),
      'example.org',
      passwordOnly,
    );
    assert.equal(viewModel(state).modes[0]!.label, 'Sign in with browser (OAuth 2.0) — not offered by this homeserver');
    assert.equal(viewModel(state).modes[0]!.unavailable, true);
  });

  it('editing: Save only once something changed; a homeserver change says it signs in again before saving', () => {
    assert.deepEqual(viewModel(editing()).primary, { label: 'Save', enabled: false, request: 'save' });
    assert.equal(viewModel(edit(editing(), { mentionMode: 'always' }, 'mentionMode')).primary.enabled, true);

    const changed = edit(editing(), { homeserver: 'other.org' }, 'homeserver');
    const vm = viewModel(changed);
    assert.equal(
      vm.signInNotice,
      'Saving signs this channel in again: the homeserver changed. Nothing is saved if that fails.',
    );
    assert.equal(vm.primary.label, 'Save and sign in again');
    assert.equal(vm.primary.enabled, false, 'needs the password first');
    assert.equal(viewModel(editSecret(changed, 'password', 'pw')).primary.enabled, true);
  });

  it('shows progress with Cancel during a sign-in, and locks the form', () => {
    const state = startBusy(
      applyDiscovery(edit(adding(), { homeserver: 'example.org' }, 'homeserver'), 'example.org', oauthOffered),
      1,
      'signIn',
    );
    const vm = viewModel(state);
    assert.deepEqual(vm.progress, { text: 'Waiting for you to finish signing in in the browser…', cancellable: true });
    assert.equal(vm.locked, true);
    assert.equal(vm.primary.enabled, false);
  });

  it('names the device a signed-in channel uses, which an empty Device ID keeps; not while adding', () => {
    const signedIn = { ...editPanel, account: { state: 'connected' as const, deviceId: 'ABCDEFGHIJ' } };
    assert.deepEqual(viewModel(applyPanel(editing(), signedIn)).device, {
      id: 'ABCDEFGHIJ',
      text: 'Signed in as device ABCDEFGHIJ. Leave Device ID empty to keep it.',
    });
    assert.equal(viewModel(editing()).device, undefined, 'no device known');
    assert.equal(viewModel(applyPanel(adding(), { ...addPanel, account: signedIn.account })).device, undefined);
  });

  it('says when the channel was removed elsewhere', () => {
    const vm = viewModel(applyPanel(editing(), { ...editPanel, removed: true }));
    assert.equal(vm.locked, true);
    assert.equal(vm.status?.kind, 'error');
  });

  it("says the account's state, with who and why when known", () => {
    assert.equal(viewModel(editing()).account?.text, 'Connected as @alice:example.org');
    const failing = { ...editPanel, account: { state: 'error' as const, reason: 'the server is down' } };
    assert.equal(viewModel(applyPanel(editing(), failing)).account?.text, 'Error (the server is down)');
  });

  it("speaks the page's language: its words are looked up when the view model is built, not at import", () => {
    const german: Record<string, string> = {
      Homeserver: 'Heimserver',
      'Sign-in method': 'Anmeldemethode',
      'Sign in and save': 'Anmelden und speichern',
      Connected: 'Verbunden',
      '{0} as {1}': '{0} als {1}',
      'Sign in with browser (OAuth 2.0) — not offered by this homeserver':
        'Im Browser anmelden (OAuth 2.0) — bietet dieser Heimserver nicht an',
    };
    setTranslator((message, args) => formatMessage(german[message] ?? message, args));
    try {
      const vm = viewModel(adding());
      assert.deepEqual(vm.pending, ['Heimserver', 'Anmeldemethode']);
      assert.equal(vm.primary.label, 'Anmelden und speichern');
      assert.equal(viewModel(editing()).account?.text, 'Verbunden als @alice:example.org');
      const offered = applyDiscovery(
        edit(adding(), { homeserver: 'example.org' }, 'homeserver'),
        'example.org',
        passwordOnly,
      );
      assert.equal(
        viewModel(offered).modes[0]!.label,
        'Im Browser anmelden (OAuth 2.0) — bietet dieser Heimserver nicht an',
      );
    } finally {
      setTranslator(undefined);
    }
    assert.deepEqual(viewModel(adding()).pending, ['Homeserver', 'Sign-in method'], 'English again without it');
  });
});
