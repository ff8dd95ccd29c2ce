/**
 * The channel panel's add form in a real VS Code (code-server) when nothing is saved: closing the panel during
 * an OAuth sign-in leaves no account, settings entry, listener or timer. Also takes the README's screenshots of
 * the form in a dark and a light theme (test-results/screenshots/channel-form-{dark,light}.png).
 */
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createOAuthAccount } from '../../bed/matrix.ts';
import { api, REFRESHING_PICTURES, setting, sleep, until } from '../support.ts';
import { isOtherAccountsTimer, TimerWatch } from '../timer-watch.ts';
import { closePanels, openAddPanel } from '../channel-panels.ts';
import { bedInfo, expectBrowserSignIn, harnessUrl, lastBrowserPage, screenshot, webview } from '../harness.ts';
import { channels, saveEnabled, signInSettings } from './channel-panel-fixture.ts';

function activeResources(type: 'TCPServerWrap'): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === type).length;
}

describe('channel panel in VS Code: the add form, not saved', function () {
  this.timeout(120_000);

  before(function () {
    if (!harnessUrl()) this.skip();
  });

  beforeEach(signInSettings);

  after(async () => {
    if (!harnessUrl()) return;
    await closePanels();
    await setting('colorTheme', undefined, 'workbench');
  });

  it('closing the panel during an OAuth sign-in leaves no account, settings entry, listener or timer', async function () {
    const account = await createOAuthAccount(bedInfo());
    const accountsBefore = (await api()).accounts().map((a) => a.id);
    const channelsBefore = channels();
    await openAddPanel();
    await webview.fill('#homeserver input', bedInfo().delegated.baseUrl);
    await webview.wait('#discovery-hint', { attribute: 'data-verdict', value: 'oauth' });
    await saveEnabled('Sign in with browser');
    // Measured with the panel open and idle, so only what the sign-in starts counts.
    const serversBefore = activeResources('TCPServerWrap');
    // Only what the sign-in arms counts: the accounts added before keep syncing and renewing meanwhile.
    const timers = new TimerWatch(isOtherAccountsTimer);
    await expectBrowserSignIn({ ...account, action: 'ignore' });
    await webview.click('#save');
    await webview.wait('#progress', { text: 'Waiting for you to finish signing in in the browser' });
    await webview.wait('#cancel');
    const page = await lastBrowserPage({ waitMs: 20_000 });
    assert.equal(page?.action, 'ignore', 'the sign-in page opened (and was left open)');
    await until('the loopback listener', () => activeResources('TCPServerWrap') > serversBefore, 5_000);
    assert.equal(
      (await api()).accounts().length,
      accountsBefore.length + 1,
      'the pending channel shows while signing in',
    );

    await closePanels();
    timers.freeze();
    assert.ok(timers.seen > 0, 'the watch saw the sign-in arm its timers');
    await until('the loopback listener to close', () => activeResources('TCPServerWrap') <= serversBefore, 5_000);
    try {
      // Every timer the sign-in made goes: the flow's 5-minute timeout is cleared, nothing repeats.
      await until('the timers made during the sign-in to go', () => timers.leftovers().length === 0, 10_000).catch(
        () => {
          assert.fail(`timers left: ${JSON.stringify(timers.leftovers(), null, 1)}`);
        },
      );
    } finally {
      timers.dispose();
    }
    assert.deepEqual(
      (await api()).accounts().map((a) => a.id),
      accountsBefore,
      'no account left',
    );
    assert.deepEqual(channels(), channelsBefore, 'no settings entry');
    await sleep(1_000);
    assert.deepEqual(
      (await api()).accounts().map((a) => a.id),
      accountsBefore,
      'and none appears later',
    );
    assert.ok(activeResources('TCPServerWrap') <= serversBefore);
  });

  it('screenshots of the form (dark; and light when refreshing the pictures)', async () => {
    const themes = [
      ['Default Dark Modern', 'channel-form-dark', 'vscode-dark'],
      ['Default Light Modern', 'channel-form-light', 'vscode-light'],
    ] as const;
    for (const [theme, name, bodyClass] of themes.slice(0, REFRESHING_PICTURES ? 2 : 1)) {
      await setting('colorTheme', theme, 'workbench');
      await openAddPanel();
      await until(
        `the ${theme} theme in the panel`,
        async () => (await webview.read('body', { attribute: 'class' })).attribute?.split(/\s+/).includes(bodyClass),
        15_000,
      );
      await webview.fill('#homeserver input', bedInfo().delegated.baseUrl);
      await webview.wait('#discovery-hint', { attribute: 'data-verdict', value: 'oauth' });
      await webview.fill('#label input', 'Work');
      await webview.fill('#userAllowlist-input input', '@*:example.org');
      await webview.click('#userAllowlist-add');
      await webview.wait('[data-testid="userAllowlist-entry"]');
      await webview.click('#heading'); // no focus ring in the picture
      await sleep(500); // the toolkit repaints with the theme's tokens
      const path = await screenshot(name, { frame: 'webview', selector: '#channel-form', padding: 16 });
      assert.ok(existsSync(path), path);
    }
  });
});
