/**
 * Every suite module, listed explicitly: the suite is bundled into one file (dist/test/index.js), so there
 * is no directory to scan at run time. Add new `*.test.ts` files here.
 */
import './between-suites.ts';
import './smoke.test.ts';
import './accounts-menu.test.ts';
import './harness.test.ts';
import './sign-in.test.ts';
import './restore.test.ts';
import './channel-panel.test.ts';
import './channel-panel-add-form.test.ts';
import './channel-panel-edits.test.ts';
import './live-channel.test.ts';
import './room-view.test.ts';
import './encryption.test.ts';
import './renewal-outage.test.ts';
import './two-windows.test.ts';
import './sign-up.test.ts';
import './sign-in-errors.test.ts';
import './new-account.test.ts';
import './accounts-view.test.ts';
import './screenshots.test.ts';
import './pseudo-locale.test.ts';
