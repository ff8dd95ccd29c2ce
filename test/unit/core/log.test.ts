/**
 * The redacting logger: registered secrets and anything shaped like a credential never reach the sink,
 * while ordinary diagnostic lines pass through unchanged; and every line stays one line.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  concealTokens,
  createLogger,
  describeError,
  Redactor,
  type LogLevel,
  type Logger,
} from '../../../src/core/log.ts';
import { MatrixChannelError } from '../../../src/core/errors.ts';

function capture(redactor?: Redactor): { log: Logger; lines: Array<[LogLevel, string]> } {
  const lines: Array<[LogLevel, string]> = [];
  return { log: createLogger({ log: (level, message) => lines.push([level, message]) }, redactor), lines };
}

describe('Redactor: registered secrets', () => {
  it('replaces every occurrence of a registered secret in a line', () => {
    const redactor = new Redactor();
    redactor.add('mat_s3cr3tAccessToken');
    assert.equal(
      redactor.redact(
        'sent mat_s3cr3tAccessToken, got mat_s3cr3tAccessToken back; mat_s3cr3tAccessTokenmat_s3cr3tAccessToken',
      ),
      'sent [redacted], got [redacted] back; [redacted][redacted]',
    );
  });

  it('replaces several registered secrets, and nothing before they are registered', () => {
    const redactor = new Redactor();
    const line = 'tokens syt_abcdefgh and mar_refresh123 rotated';
    assert.equal(redactor.redact(line), line);
    redactor.add('syt_abcdefgh');
    redactor.add('mar_refresh123');
    assert.equal(redactor.redact(line), 'tokens [redacted] and [redacted] rotated');
  });

  it('treats a secret literally (no regular-expression meaning)', () => {
    const redactor = new Redactor();
    redactor.add('a.b*c+d?(e)');
    assert.equal(redactor.redact('x a.b*c+d?(e) aXbbbcd y'), 'x [redacted] aXbbbcd y');
  });

  it('ignores empty, undefined and short values (shorter than 6 characters)', () => {
    // A short "secret" such as "ok", "id", "12345" or "alice" occurs inside ordinary words and numbers:
    // scrubbing it everywhere would shred every log line while protecting nothing worth protecting.
    const redactor = new Redactor();
    redactor.add(undefined);
    redactor.add('');
    redactor.add('alice');
    redactor.add('12345');
    const line = 'alice signed in with device 12345 (alice@example.org)';
    assert.equal(redactor.redact(line), line);
    redactor.add('123456');
    assert.equal(redactor.redact('device 1234567'), 'device [redacted]7');
  });
});

describe('Redactor: credential-shaped text', () => {
  const redactor = new Redactor();
  const cases: Array<[string, string]> = [
    [
      'GET https://auth.example.org/cb?code=abc123XYZ&state=st4te-value',
      'GET https://auth.example.org/cb?code=[redacted]&state=[redacted]',
    ],
    [
      'redirect http://127.0.0.1:5000/callback?state=s1&code=c2#frag',
      'redirect http://127.0.0.1:5000/callback?state=[redacted]&code=[redacted]#frag',
    ],
    [
      'POST /token body grant_type=refresh_token&refresh_token=mar_xyz&client_id=01ABC',
      'POST /token body grant_type=refresh_token&refresh_token=[redacted]&client_id=01ABC',
    ],
    [
      'https://hs.example.org/_matrix/client/v3/sync?access_token=syt_zzz&since=s1',
      'https://hs.example.org/_matrix/client/v3/sync?access_token=[redacted]&since=s1',
    ],
    ['poll ?device_code=GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS', 'poll ?device_code=[redacted]'],
    [
      'verify at https://auth.example.org/link?user_code=WDJB-MJHT done',
      'verify at https://auth.example.org/link?user_code=[redacted] done',
    ],
    [
      '{"access_token":"syt_abc","token_type":"Bearer","expires_in":300}',
      '{"access_token":"[redacted]","token_type":"Bearer","expires_in":300}',
    ],
    [
      '{"refresh_token": "mar_def", "device_code":"dc-1"}',
      '{"refresh_token": "[redacted]", "device_code":"[redacted]"}',
    ],
    [
      '{"type":"m.login.password","password": "hunter22","user":"alice"}',
      '{"type":"m.login.password","password": "[redacted]","user":"alice"}',
    ],
    ['authorization: Bearer mat_0123456789abcdef', 'authorization: Bearer [redacted]'],
    ["headers {'Authorization': 'Bearer xyz'}", "headers {'Authorization': 'Bearer [redacted]'}"],
  ];
  for (const [line, expected] of cases) {
    it(`redacts ${JSON.stringify(line.slice(0, 48))}`, () => assert.equal(redactor.redact(line), expected));
  }

  const untouched = [
    'account state: connected',
    'token refreshed',
    'token refresh scheduled in 240 s',
    'code 200',
    'HTTP 401 M_UNKNOWN_TOKEN: the access token is no longer valid',
    'discovery: https://matrix.example.org answers /versions (v1.15)',
    'device ABCDEFGHJK signed in as @alice:example.org',
    'the refresh token was rotated; the access token expires in 300 s',
  ];
  for (const line of untouched) {
    it(`leaves ${JSON.stringify(line)} untouched`, () => assert.equal(redactor.redact(line), line));
  }
});

describe('createLogger', () => {
  it('passes every level through the redactor to the sink', () => {
    const { log, lines } = capture();
    log.conceal('super-secret-token');
    log.trace('t super-secret-token');
    log.debug('d ?code=abc');
    log.info('i super-secret-token');
    log.warn('w Bearer abc');
    log.error('e super-secret-token');
    assert.deepEqual(lines, [
      ['trace', 't [redacted]'],
      ['debug', 'd ?code=[redacted]'],
      ['info', 'i [redacted]'],
      ['warn', 'w Bearer [redacted]'],
      ['error', 'e [redacted]'],
    ]);
  });

  it('uses the redactor it is given, so secrets registered on it are scrubbed', () => {
    const redactor = new Redactor();
    const { log, lines } = capture(redactor);
    redactor.add('shared-secret');
    log.info('value shared-secret');
    assert.deepEqual(lines, [['info', 'value [redacted]']]);
  });

  it('conceal() takes several values and skips undefined and short ones', () => {
    const { log, lines } = capture();
    log.conceal('first-secret', undefined, 'second-secret', 'state');
    log.info('first-secret second-secret');
    log.info('account state: connected');
    assert.deepEqual(lines, [
      ['info', '[redacted] [redacted]'],
      ['info', 'account state: connected'],
    ]);
  });

  it("concealTokens() registers a holder's access and refresh tokens", () => {
    const { log, lines } = capture();
    concealTokens(log, { accessToken: 'syt_access_0001', refreshToken: 'syr_refresh_0001' });
    concealTokens(log, { accessToken: 'syt_access_0002', refreshToken: undefined });
    log.info('syt_access_0001 syr_refresh_0001 syt_access_0002');
    assert.deepEqual(lines, [['info', '[redacted] [redacted] [redacted]']]);
  });

  it('error(m, err) appends the error, redacted as well', () => {
    const { log, lines } = capture();
    log.conceal('syt_leaked_token');
    log.error('refresh failed', new Error('server echoed syt_leaked_token at https://hs/x?access_token=abc'));
    log.error('sign-in failed', new MatrixChannelError('timed_out', 'Signing in did not finish within 300 seconds.'));
    log.error('odd failure', 'plain string with Bearer qwerty');
    log.error('no error given');
    assert.deepEqual(lines, [
      ['error', 'refresh failed: Error: server echoed [redacted] at https://hs/x?access_token=[redacted]'],
      [
        'error',
        'sign-in failed: MatrixChannelError: Signing in did not finish within 300 seconds. ' +
          'Try again and finish signing in within the time limit.',
      ],
      ['error', 'odd failure: plain string with Bearer [redacted]'],
      ['error', 'no error given'],
    ]);
  });

  it('keeps every line one line: text from the server cannot forge a line or hide in bidi controls', () => {
    const { log, lines } = capture();
    log.conceal('syt_secret_token');
    log.info('invite from @eve:hs\n2025-01-01 [info] account a: signed out syt_secret_token');
    log.error('send failed', new Error('room \u202Eeulav\r\nforged'));
    assert.deepEqual(lines, [
      ['info', 'invite from @eve:hs\\n2025-01-01 [info] account a: signed out [redacted]'],
      ['error', 'send failed: Error: room \\u{202E}eulav\\r\\nforged'],
    ]);
  });

  it('describeError names Error subclasses and stringifies anything else', () => {
    assert.equal(describeError(new TypeError('fetch failed')), 'TypeError: fetch failed');
    assert.equal(describeError(42), '42');
    assert.equal(describeError(undefined), 'undefined');
  });
});

describe('redaction edge cases', () => {
  it('removes a secret that contains another one whole', () => {
    const lines: string[] = [];
    const log = createLogger({ log: (_level, message) => lines.push(message) });
    log.conceal('mat_abcdef', 'mat_abcdef_longer');
    log.info('token mat_abcdef_longer and mat_abcdef');
    assert.deepEqual(lines, ['token [redacted] and [redacted]']);
  });

  it('redacts a JSON password with spaces and escaped quotes up to its closing quote', () => {
    const lines: string[] = [];
    const log = createLogger({ log: (_level, message) => lines.push(message) });
    log.info('{"password": "correct horse \\"battery\\" staple", "user": "alice"}');
    assert.deepEqual(lines, ['{"password": "[redacted]", "user": "alice"}']);
  });
});
