import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currentBed } from '../../bed/current.ts';
import { createClassicUser, createOAuthAccount, MatrixApi } from '../../bed/matrix.ts';
import { resolveAuthMode } from '../../../src/core/auth/mode.ts';
import { DeviceFlow, type DeviceCodePrompt } from '../../../src/core/auth/oauth/flows/device.ts';
import { LoopbackFlow } from '../../../src/core/auth/oauth/flows/loopback.ts';
import { UriHandlerFlow } from '../../../src/core/auth/oauth/flows/uri-handler.ts';
import { isMatrixChannelError } from '../../../src/core/errors.ts';
import { sessionKey } from '../../../src/core/session/session-store.ts';
import { Browser } from '../../bed/browser.ts';
import { testEngine } from './engine.ts';
import { personAtBrowser } from './support.ts';

const bed = currentBed();

describe('core engine: each sign-in mode end to end', () => {
  it('detects OAuth on the delegated homeserver and password on the classic one', async () => {
    const { engine } = testEngine();
    const delegated = await engine.discover(bed.delegated.baseUrl);
    assert.equal(resolveAuthMode({}, {}, delegated.capabilities), 'oidc');
    const classic = await engine.discover(bed.classic.baseUrl);
    assert.equal(resolveAuthMode({}, {}, classic.capabilities), 'password');
    assert.equal(resolveAuthMode({ userId: '@a:b' }, { password: 'pw' }, classic.capabilities), 'password');
  });

  it('password: signs in with the requested device id and display name, and stores the session', async () => {
    const user = await createClassicUser(bed);
    const { engine, secrets, log } = testEngine();
    const { session, mode } = await engine.signIn({
      accountId: 'pw',
      config: {
        homeserver: bed.classic.baseUrl,
        userId: user.userId,
        deviceId: 'PWDEVICE01',
        deviceDisplayName: 'VS Code test',
      },
      secrets: { password: user.password },
    });
    assert.equal(mode, 'password');
    assert.equal(session.userId, user.userId);
    assert.equal(session.deviceId, 'PWDEVICE01');
    const api = new MatrixApi(bed.classic.baseUrl, session.accessToken);
    const device = await api.request<{ display_name?: string }>('GET', '/_matrix/client/v3/devices/PWDEVICE01');
    assert.equal(device.display_name, 'VS Code test');
    assert.equal(
      (JSON.parse(secrets.values.get(sessionKey('pw'))!) as { accessToken: string }).accessToken,
      session.accessToken,
    );
    log.assertFree([session.accessToken, user.password]);
  });

  it('password: a wrong password is invalid_credentials, nothing stored, password not in the message', async () => {
    const user = await createClassicUser(bed);
    const { engine, secrets, log } = testEngine();
    const attempt = engine.signIn({
      accountId: 'pw',
      config: { homeserver: bed.classic.baseUrl, userId: user.userId },
      secrets: { password: 'wrong-password-123' },
    });
    await assert.rejects(
      attempt,
      (error) => isMatrixChannelError(error, 'invalid_credentials') && !error.message.includes('wrong-password-123'),
    );
    assert.equal(secrets.values.size, 0);
    log.assertFree(['wrong-password-123']);
  });

  it('access token: validated with /whoami; a bad token is refused', async () => {
    const user = await createClassicUser(bed);
    const { engine, log } = testEngine();
    const { session, mode } = await engine.signIn({
      accountId: 't',
      config: { homeserver: bed.classic.serverName },
      secrets: { accessToken: user.accessToken },
    });
    assert.equal(mode, 'access_token');
    assert.equal(session.userId, user.userId);
    assert.equal(session.deviceId, user.deviceId);
    assert.equal(session.homeserver, bed.classic.baseUrl, 'found through the server name');
    await assert.rejects(
      engine.signIn({
        accountId: 't2',
        config: { homeserver: bed.classic.baseUrl },
        secrets: { accessToken: 'syt_not_a_real_token' },
      }),
      (error) => isMatrixChannelError(error, 'invalid_credentials'),
    );
    log.assertFree([user.accessToken, 'syt_not_a_real_token']);
  });

  it('OAuth: detected without credentials, signed in through the loopback flow, stored', async () => {
    const account = await createOAuthAccount(bed);
    const person = personAtBrowser(account);
    const { engine, secrets, log } = testEngine({ flows: [new LoopbackFlow()], openBrowser: person.openBrowser });
    const { session, mode } = await engine.signIn({
      accountId: 'o',
      config: { homeserver: account.userId },
      secrets: {},
    });
    assert.equal(mode, 'oidc');
    assert.equal(session.userId, account.userId);
    assert.ok(secrets.values.has(sessionKey('o')));
    assert.match(new URL(person.opened[0]!).searchParams.get('login_hint') ?? '', /^mxid:@/);
    log.assertFree([session.accessToken, session.refreshToken, account.password]);
  });

  it('OAuth: where the editor runs is asked per attempt (an engine made on a remote host, now local)', async () => {
    const account = await createOAuthAccount(bed);
    const person = personAtBrowser(account);
    const tried: string[] = [];
    const { engine } = testEngine({ host: 'remote', flows: [new LoopbackFlow()], openBrowser: person.openBrowser });
    const { session } = await engine.signIn({
      accountId: 'h',
      config: { homeserver: bed.delegated.baseUrl, authMode: 'oidc' },
      secrets: {},
      host: 'local',
      onFlow: (flow) => tried.push(flow.id),
    });
    assert.deepEqual(tried, ['loopback']);
    assert.equal(session.userId, account.userId);
  });

  it('OAuth: the device flow, with the code shown to the user and entered on another device', async () => {
    const account = await createOAuthAccount(bed);
    const prompts: DeviceCodePrompt[] = [];
    const entered = (async () => {
      while (prompts.length === 0) await new Promise((r) => setTimeout(r, 50));
      const prompt = prompts[0]!;
      const browser = new Browser();
      const input = await browser.navigate(prompt.verificationUri);
      const confirm = await browser.submit(input, { user_code: prompt.userCode }, { formId: 'op.deviceInputForm' });
      const login = await browser.submit(confirm, {}, { formId: 'op.deviceConfirmForm' });
      const consent = await browser.submit(login, account, { formId: 'login' });
      await browser.submit(consent, {}, { formId: 'consent' });
    })();
    const { engine, log } = testEngine({
      host: 'remote',
      flows: [new LoopbackFlow(), new DeviceFlow({ showCode: (p) => prompts.push(p) })],
    });
    const { session } = await engine.signIn({
      accountId: 'd',
      config: { homeserver: bed.delegated.baseUrl, authMode: 'oidc' },
      secrets: {},
    });
    await entered;
    assert.equal(prompts.length, 1, 'the loopback flow is skipped on a remote host');
    assert.ok(prompts[0]!.expiresAt > Date.now());
    assert.equal(session.userId, account.userId);
    log.assertFree([session.accessToken, session.refreshToken, prompts[0]!.userCode]);
  });

  it('OAuth: a URI-handler redirect the server accepts (reverse-DNS scheme); vscode:// is refused and the next flow takes over', async () => {
    const account = await createOAuthAccount(bed);
    const refused = new UriHandlerFlow({
      redirectUri: async () => 'vscode://matrix-channels.matrix-channels/callback',
    });
    const accepted = new UriHandlerFlow({ redirectUri: async () => 'org.example.matrix-channels:/callback' });
    const person = personAtBrowser(account, 'allow', (url) => accepted.deliver(url));
    const tried: string[] = [];
    const { engine, log } = testEngine({ host: 'web', flows: [refused, accepted], openBrowser: person.openBrowser });
    const { session } = await engine.signIn({
      accountId: 'u',
      config: { homeserver: bed.delegated.baseUrl },
      secrets: {},
      onFlow: (flow) => tried.push(flow.id),
    });
    assert.deepEqual(tried, ['uri_handler', 'uri_handler']);
    assert.equal(session.userId, account.userId);
    assert.equal(accepted.waiting, 0);
    assert.ok(log.lines.some((line) => /not accepted by the server/.test(line)));
  });

  it('OAuth: asks for the sign-up page when requested, with PKCE S256, query response mode and Matrix scopes', async () => {
    const account = await createOAuthAccount(bed);
    const person = personAtBrowser(account, 'ignore');
    const { engine } = testEngine({ flows: [new LoopbackFlow()], openBrowser: person.openBrowser });
    const controller = new AbortController();
    const attempt = engine.signIn({
      accountId: 's',
      config: { homeserver: bed.delegated.baseUrl },
      secrets: {},
      signUp: true,
      signal: controller.signal,
    });
    while (person.opened.length === 0) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await assert.rejects(attempt, (error) => isMatrixChannelError(error, 'cancelled'));
    const params = new URL(person.opened[0]!).searchParams;
    assert.equal(params.get('prompt'), 'create');
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.equal(params.get('response_mode'), 'query');
    assert.match(params.get('scope') ?? '', /^urn:matrix:client:api:\* urn:matrix:client:device:[A-Z0-9]{12}$/);
    const page = await new Browser().navigate(person.opened[0]!);
    assert.match(page.body, /id="signup"/, 'the server shows its sign-up page');
  });
});
