/**
 * Proves the harness: the extension under test is there and activates, its command is registered, the test
 * bed and the harness's browser control are reachable from the extension host, and a real browser page can
 * be opened on the bed's OAuth server.
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { bedInfo, harnessHealth, harnessUrl, openInBrowser } from '../harness.ts';

const EXTENSION_ID = 'matrix-channels.matrix-channels';

describe('smoke: the harness', () => {
  it('has the extension under development, and it activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
    assert.equal((extension.packageJSON as { name: string }).name, 'matrix-channels');
  });

  it('registers the matrixChannels.showLog command', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('matrixChannels.showLog'), 'matrixChannels.showLog is not registered');
    await vscode.commands.executeCommand('matrixChannels.showLog');
  });

  it('sees the test bed through MATRIX_BED', () => {
    const bed = bedInfo();
    assert.match(bed.oauth.issuer, /^http:\/\/127\.0\.0\.\d:\d+/);
    assert.match(bed.delegated.baseUrl, /^http:\/\/127\.0\.0\.1:\d+/);
    assert.match(bed.classic.baseUrl, /^http:\/\/127\.0\.0\.1:\d+/);
  });

  it('reaches the bed from the extension host', async () => {
    const bed = bedInfo();
    const response = await fetch(`${bed.classic.baseUrl}/_matrix/client/versions`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { versions?: string[] };
    assert.ok(Array.isArray(body.versions) && body.versions.length > 0);
  });

  describe('browser control', function () {
    before(function () {
      if (!harnessUrl()) this.skip(); // desktop VS Code: there is no harness browser
    });

    it('answers on MATRIX_HARNESS_URL', async () => {
      const health = await harnessHealth();
      assert.equal(health.ok, true);
      assert.match(health.workbench, /^http:\/\/127\.0\.0\.1:\d+\//);
    });

    it("opens a page of the bed's OAuth server in the browser", async () => {
      const { issuer } = bedInfo().oauth;
      const page = await openInBrowser(`${issuer}/.well-known/openid-configuration`);
      assert.equal(page.url, `${issuer}/.well-known/openid-configuration`);
      const metadata = JSON.parse(page.text) as { issuer?: string; device_authorization_endpoint?: string };
      assert.equal(metadata.issuer, issuer);
      assert.ok(metadata.device_authorization_endpoint, 'the OAuth server offers the device flow');
    });
  });
});
