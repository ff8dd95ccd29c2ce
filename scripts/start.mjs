#!/usr/bin/env node
/**
 * npm start: builds the extension and starts the test bed with demo users (one per homeserver), printing
 * the URLs and credentials. Ctrl-C stops everything.
 *   npm start [-- --auto-approve]    (auto-approve: the OAuth server signs in "demo" without any page)
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const autoApprove = process.argv.includes('--auto-approve');

await build();
const bed = spawn(process.execPath, [
  '--import', 'tsx', 'test/bed/run.ts', '--demo', '--log-dir', join(root, 'test-results', 'sandbox'),
  ...(autoApprove ? ['--auto-approve'] : []),
], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });

bed.once('exit', (code) => {
  console.log(`test bed stopped${code ? ` (exit ${code})` : ''}`);
  process.exit(code ?? 0);
});
const stop = () => bed.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

createInterface({ input: bed.stdout }).once('line', (line) => {
  const info = JSON.parse(line);
  const { delegated, classic } = info.demo;
  console.log(`
Matrix Channels sandbox is running (Ctrl-C stops it)

  OAuth homeserver (MSC3861, sign in with OAuth 2.0 / device flow)
    homeserver      ${info.delegated.baseUrl}   (server name ${info.delegated.serverName})
    authorization   ${info.oauth.issuer}${autoApprove ? '   (auto-approve: no login page)' : ''}
    demo user       ${delegated.userId}   password: ${delegated.password}

  Classic homeserver (password and access-token login)
    homeserver      ${info.classic.baseUrl}   (server name ${info.classic.serverName})
    demo user       ${classic.userId}   password: ${classic.password}

  Extension build   dist/extension.js (load it with "Developer: Install Extension from Location…"
                    or run "npm run package" and install the .vsix)
  Server logs       test-results/sandbox/
`);
});
