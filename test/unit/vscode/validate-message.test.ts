import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyForm } from '../../../src/shared/channel-form.ts';
import { validateWebviewMessage } from '../../../src/vscode/channel-panel/validate-message.ts';

const form = { ...emptyForm(), homeserver: 'matrix.org', authMode: 'oidc' };
const save = (patch: Record<string, unknown> = {}, secrets: Record<string, unknown> = {}) => ({
  kind: 'request',
  id: 7,
  type: 'save',
  params: { form: { ...form, ...patch }, secrets },
});

function refused(message: unknown): { reason: string; requestId?: number } {
  const result = validateWebviewMessage(message);
  if (result.ok) assert.fail(`expected a refusal, got ${JSON.stringify(result.message)}`);
  return result;
}

describe('validateWebviewMessage: what passes', () => {
  it('accepts every message the protocol defines, unchanged', () => {
    for (const message of [
      { kind: 'notification', type: 'ready', params: {} },
      { kind: 'notification', type: 'cancel', params: { requestId: 3 } },
      { kind: 'notification', type: 'draft', params: {} },
      { kind: 'notification', type: 'draft', params: { form } },
      { kind: 'request', id: 1, type: 'discover', params: { homeserver: 'matrix.org' } },
      { kind: 'request', id: 4, type: 'pickRooms', params: {} },
      save(),
      save({ authMode: 'password', userId: '@a:b.c', roomAllowlist: ['#x:y.z', '*:y.z'] }, { password: 'pass word' }),
      { kind: 'request', id: 2, type: 'signIn', params: { form, secrets: { accessToken: 'syt_abc' } } },
    ]) {
      const result = validateWebviewMessage(message);
      assert.ok(result.ok, JSON.stringify(result));
      assert.deepEqual(result.message, message);
    }
  });

  it('leaves meaning to the channel model: a well-typed but wrong user ID passes the gate', () => {
    assert.ok(validateWebviewMessage(save({ userId: 'not an mxid' })).ok);
  });
});

describe('validateWebviewMessage: what is refused, and why', () => {
  it('refuses what is not a message object', () => {
    for (const message of [null, undefined, 'ready', 42, [], [{ kind: 'notification' }]]) {
      assert.match(refused(message).reason, /message: not an object/);
    }
  });

  it('refuses unknown kinds and types, naming them', () => {
    assert.match(refused({ kind: 'command', type: 'ready', params: {} }).reason, /unknown kind "command"/);
    assert.match(
      refused({ kind: 'notification', type: 'deleteEverything', params: {} }).reason,
      /unknown notification type "deleteEverything"/,
    );
    assert.match(
      refused({ kind: 'request', id: 1, type: 'signOut', params: {} }).reason,
      /unknown request type "signOut"/,
    );
    assert.match(refused({ kind: 'request', id: 1, type: 'toString', params: {} }).reason, /unknown request type/);
    assert.match(
      refused({ kind: 'request', id: 1, type: 'x'.repeat(10_000), params: {} }).reason,
      /unknown request type "x{39}…"/,
    );
  });

  it('refuses wrong field types, with the path of the field', () => {
    assert.match(
      refused(save({ homeserver: 42 })).reason,
      /message\.params\.form\.homeserver: expected text, got a number/,
    );
    assert.match(
      refused(save({ notifications: 'yes' })).reason,
      /form\.notifications: expected true or false, got a string/,
    );
    assert.match(
      refused(save({ dmPolicy: 'everyone' })).reason,
      /form\.dmPolicy: expected one of "open", "allowlist", "disabled"/,
    );
    assert.match(refused(save({ authMode: 'sso' })).reason, /form\.authMode: expected one of/);
    assert.match(
      refused(save({ roomAllowlist: '#a:b.c' })).reason,
      /form\.roomAllowlist: expected a list, got a string/,
    );
    assert.match(
      refused(save({ userAllowlist: ['@a:b.c', 5] })).reason,
      /form\.userAllowlist\[1\]: expected text, got a number/,
    );
    assert.match(refused(save({}, { password: ['x'] })).reason, /secrets\.password: expected text, got a list/);
    assert.match(
      refused({ kind: 'notification', type: 'cancel', params: { requestId: '3' } }).reason,
      /params\.requestId: expected a positive integer/,
    );
    assert.match(
      refused({ kind: 'request', id: 1, type: 'discover', params: null }).reason,
      /message\.params: expected an object, got null/,
    );
  });

  it('refuses missing and unknown fields (a message with more than the protocol knows is not ours)', () => {
    const { homeserver: _omitted, ...withoutHomeserver } = form;
    assert.match(
      refused({ kind: 'request', id: 7, type: 'save', params: { form: withoutHomeserver, secrets: {} } }).reason,
      /form\.homeserver: missing/,
    );
    assert.match(refused(save({ id: 'other-channel' })).reason, /form: unexpected field "id"/);
    assert.match(refused(save({}, { refreshToken: 'x' })).reason, /secrets: unexpected field "refreshToken"/);
    assert.match(
      refused({ kind: 'notification', type: 'ready', params: {}, extra: true }).reason,
      /message: unexpected field "extra"/,
    );
    const polluting: unknown = JSON.parse(
      '{"kind":"notification","type":"ready","params":{"__proto__":{"admin":true}}}',
    );
    assert.match(refused(polluting).reason, /params: unexpected field "__proto__"/);
  });

  it('refuses bad request ids', () => {
    for (const id of [0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1, '1', null]) {
      assert.match(
        refused({ kind: 'request', id, type: 'discover', params: { homeserver: 'a' } }).reason,
        /message\.id: expected a positive integer/,
      );
    }
  });

  it('refuses oversized strings and lists', () => {
    assert.match(
      refused(save({ homeserver: 'a'.repeat(4097) })).reason,
      /form\.homeserver: text of 4097 characters is longer than 4096/,
    );
    assert.ok(validateWebviewMessage(save({ homeserver: 'a'.repeat(4096) })).ok);
    assert.match(
      refused(save({}, { accessToken: 't'.repeat(5000) })).reason,
      /secrets\.accessToken: text of 5000 characters/,
    );
    assert.match(
      refused(save({ roomAllowlist: Array.from({ length: 1001 }, (_, i) => `#r${i}:a.b`) })).reason,
      /roomAllowlist: list of 1001 entries is longer than 1000/,
    );
  });

  it('refuses markup in names and control characters anywhere', () => {
    assert.match(
      refused(save({ label: '<img src=x onerror=alert(1)>' })).reason,
      /form\.label: contains markup characters/,
    );
    assert.match(
      refused(save({ deviceDisplayName: 'VS Code <b>' })).reason,
      /form\.deviceDisplayName: contains markup characters/,
    );
    assert.match(refused(save({ label: 'Work\u0000' })).reason, /form\.label: contains control characters/);
    assert.match(
      refused(save({ homeserver: 'matrix.org\r\nX-Evil: 1' })).reason,
      /form\.homeserver: contains control characters/,
    );
    assert.match(
      refused(save({ userId: '@alice:example.org\u202E' })).reason,
      /form\.userId: contains control characters/,
    );
    assert.match(
      refused(save({}, { password: 'pass\nword' })).reason,
      /secrets\.password: contains control characters/,
    );
    // Markup is fine where it is no name (a homeserver or allowlist entry with < fails the model's own checks later).
    assert.ok(validateWebviewMessage(save({ homeserver: '<x>' })).ok);
  });

  it('returns the id of a refused request so the webview is answered, never for unusable ids', () => {
    assert.equal(refused(save({ label: '<b>' })).requestId, 7);
    assert.equal(refused({ kind: 'request', id: 9, type: 'nope', params: {} }).requestId, 9);
    assert.equal(refused({ kind: 'request', id: -1, type: 'discover', params: {} }).requestId, undefined);
    assert.equal(refused({ kind: 'notification', type: 'nope', params: {} }).requestId, undefined);
  });
});
