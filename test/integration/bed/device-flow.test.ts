import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Browser } from '../../bed/browser.ts';
import { currentBed } from '../../bed/current.ts';
import { createOAuthAccount, MatrixApi } from '../../bed/matrix.ts';
import { BedOAuthClient, matrixScope, newDeviceId, offerCompleteUri } from '../../bed/oauth-client.ts';

const bed = currentBed();

describe('bed: device authorization grant', () => {
  let client: BedOAuthClient;
  let clientId: string;
  before(async () => {
    client = await BedOAuthClient.fromHomeserver(bed.delegated.baseUrl);
    clientId = await client.registerNative(['http://127.0.0.1/callback']);
  });

  it('yields a working token once the user enters the code and consents', async () => {
    const account = await createOAuthAccount(bed);
    const deviceId = newDeviceId();
    const { status, body: grant } = await client.deviceAuthorization(clientId, matrixScope(deviceId));
    assert.equal(status, 200);
    // As MAS: six letters to type, 20 minutes, polls every 5 s, and no URI with the code in it.
    assert.match(grant.user_code, /^[BCDFGHJKLMNPQRSTVWXZ]{6}$/);
    assert.ok(grant.verification_uri);
    assert.ok(grant.expires_in > 1190 && grant.expires_in <= 1200, `expires_in ${grant.expires_in}`);
    assert.equal(grant.interval, 5);
    assert.equal(grant.verification_uri_complete, undefined);

    const pending = await client.pollDeviceToken(clientId, grant.device_code);
    assert.equal(pending.body.error, 'authorization_pending');

    const browser = new Browser();
    const input = await browser.navigate(grant.verification_uri);
    const confirm = await browser.submit(input, { user_code: grant.user_code }, { formId: 'op.deviceInputForm' });
    assert.match(confirm.body, new RegExp(grant.user_code.replace('-', '-?')), 'the confirm page repeats the code');
    const login = await browser.submit(confirm, {}, { formId: 'op.deviceConfirmForm' });
    const consent = await browser.submit(login, account, { formId: 'login' });
    const done = await browser.submit(consent, {}, { formId: 'consent' });
    assert.match(done.body, /Device connected/);

    await sleep((grant.interval ?? 5) * 1000);
    const tokens = await client.pollDeviceToken(clientId, grant.device_code);
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body.error));
    assert.ok(tokens.body.refresh_token);
    const whoami = await new MatrixApi(bed.delegated.baseUrl, tokens.body.access_token).whoami();
    assert.equal(whoami.user_id, account.userId);
    assert.equal(whoami.device_id, deviceId);
  });

  it('answers slow_down to a client that polls too fast', async () => {
    const { body: grant } = await client.deviceAuthorization(clientId, matrixScope(newDeviceId()));
    await client.pollDeviceToken(clientId, grant.device_code);
    const second = await client.pollDeviceToken(clientId, grant.device_code);
    assert.equal(second.body.error, 'slow_down');
  });

  it('reports a denied request as access_denied (through a complete URI, for a client offered one)', async () => {
    const account = await createOAuthAccount(bed);
    // A client of its own: the server reuses the client of identical metadata, and the offer is per client.
    const offered = await client.registerNative(['http://127.0.0.1/callback'], {
      client_name: 'Bed test client (complete URI)',
    });
    await offerCompleteUri(bed, offered);
    const { body: grant } = await client.deviceAuthorization(offered, matrixScope(newDeviceId()));
    const browser = new Browser();
    assert.ok(grant.verification_uri_complete, 'verification_uri_complete is offered');
    // The complete URI answers with a self-submitting form carrying the code (a browser runs its script).
    const autoSubmit = await browser.navigate(grant.verification_uri_complete);
    assert.match(autoSubmit.body, new RegExp(`value="${grant.user_code}"`));
    const confirm = await browser.submit(autoSubmit);
    const login = await browser.submit(confirm, {}, { formId: 'op.deviceConfirmForm' });
    const consent = await browser.submit(login, account, { formId: 'login' });
    await browser.submit(consent, {}, { formId: 'deny' });
    await sleep((grant.interval ?? 5) * 1000);
    const result = await client.pollDeviceToken(offered, grant.device_code);
    assert.equal(result.body.error, 'access_denied');
  });
});
