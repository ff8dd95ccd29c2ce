#!/usr/bin/env node
/**
 * npm start: the sandbox. Builds the extension, starts the test bed with demo users (one per homeserver) and a
 * demo room on each homeserver where a bot posts now and then, and code-server (VS Code in the browser) with
 * this extension installed, at a printed URL. Ctrl-C stops everything.
 *   npm start [-- --no-editor] [--auto-approve] [--no-channels] [--port N]
 *   --no-editor     only the servers (no code-server)
 *   --auto-approve  the OAuth server signs in "demo" without showing any page
 *   --no-channels   start with no channel configured (the first-run experience) instead of the two demo ones
 *   --port N        code-server's port (default: a free one)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from './build.mjs';
import { ensureCodeServer, isCodeServerInstalled, startCodeServer, WORKBENCH_SETTINGS } from './code-server.mjs';
import { ensurePrerequisites } from './prerequisites.mjs';
import { SANDBOX_FILES } from './sandbox-files.mjs';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const logDir = join(root, 'test-results', 'sandbox');
const { values: options } = parseArgs({
  options: {
    'no-editor': { type: 'boolean', default: false },
    'auto-approve': { type: 'boolean', default: false },
    'no-channels': { type: 'boolean', default: false },
    port: { type: 'string' },
  },
});
const withEditor = !options['no-editor'];
const autoApprove = options['auto-approve'];

/** Everything started, stopped in reverse order by `shutdown`. */
const cleanups = [];
let shuttingDown;
function shutdown(code, why) {
  shuttingDown ??= (async () => {
    if (why) console.log(why);
    const runCleanups = async () => {
      while (cleanups.length) {
        const [label, fn] = cleanups.pop();
        try {
          await fn();
        } catch (error) {
          console.error(`stopping ${label}: ${error instanceof Error ? error.message : error}`);
          code ||= 1;
        }
      }
    };
    await runCleanups();
    // Something may still have been starting (code-server, say): once it is up or failed, stop it too.
    await startup.catch(() => {});
    await runCleanups();
    console.log('sandbox stopped');
    process.exit(code);
  })();
  return shuttingDown;
}
process.on('SIGINT', () => void shutdown(0, '\nstopping the sandbox…'));
process.on('SIGTERM', () => void shutdown(0, 'stopping the sandbox…'));

const startup = (async () => {
  ensurePrerequisites(['python', ...(withEditor && !isCodeServerInstalled() ? ['code-server-build'] : [])]);
  await build();
  // Before any server starts: the first run installs code-server (a few minutes).
  const codeServer = withEditor ? ensureCodeServer() : undefined;
  if (shuttingDown) return;
  const info = await startBed();
  if (shuttingDown) return;
  const editor = codeServer ? await startEditor(codeServer, info) : undefined;
  if (shuttingDown) return;
  printBanner(info, info.demo, editor);
})();
startup.catch((error) => {
  if (!shuttingDown) void shutdown(1, `the sandbox could not start: ${error instanceof Error ? error.message : error}`);
});

/** The bed (test/bed/run.ts) with demo users, rooms and the bot, in a child process; resolves with its info. */
async function startBed() {
  const bed = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'test/bed/run.ts',
      '--demo',
      '--bot',
      '--log-dir',
      logDir,
      ...(autoApprove ? ['--auto-approve'] : []),
    ],
    { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = once(bed, 'exit');
  cleanups.push([
    'the test bed',
    async () => {
      if (bed.exitCode === null && bed.signalCode === null) bed.kill('SIGTERM');
      await exited;
    },
  ]);
  void exited.then(([code]) => void shutdown(code ? 1 : 0, `the test bed stopped${code ? ` (exit ${code})` : ''}`));
  const line = await Promise.race([
    once(createInterface({ input: bed.stdout }), 'line').then(([l]) => l),
    exited.then(() => {
      throw new Error('the test bed stopped before it was up');
    }),
  ]);
  return JSON.parse(line);
}

/**
 * code-server with a fresh profile and this extension installed the way a .vsix install leaves it: a folder
 * `<publisher>.<name>-<version>` in the extensions directory holding the manifest, media and build (copies, not
 * links: VS Code tells extensions apart by the real path of their modules, and a linked build would get the
 * API of no extension — no URI handler, no log channel of its own).
 */
async function startEditor({ node, entry }, info) {
  const temp = mkdtempSync(join(tmpdir(), 'matrix-sandbox-'));
  cleanups.push(['the sandbox profile', () => rmSync(temp, { recursive: true, force: true })]);
  const dirs = Object.fromEntries(
    ['user-data', 'extensions', 'workspace'].map((d) => {
      mkdirSync(join(temp, d));
      return [d, join(temp, d)];
    }),
  );
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const installed = join(dirs.extensions, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  mkdirSync(installed);
  for (const name of SANDBOX_FILES) {
    cpSync(join(root, name), join(installed, name), {
      recursive: true,
      filter: (source) => source !== join(root, 'dist', 'test'),
    });
  }
  mkdirSync(join(dirs['user-data'], 'User'));
  writeFileSync(
    join(dirs['user-data'], 'User', 'settings.json'),
    `${JSON.stringify(sandboxSettings(info), null, 2)}\n`,
  );
  writeFileSync(join(dirs.workspace, 'README.md'), workspaceReadme(info));

  // The workbench sends every localhost URL it opens through VSCODE_PROXY_URI (code-server's default is its own
  // port proxy, through which a server's absolute redirects and cookies break); this answers /proxy/PORT/… with
  // a redirect to the address itself, as scripts/extension-tests.mjs does.
  const redirector = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/proxy\/(\d+)(\/.*)?$/.exec(url.pathname);
    if (!match) res.writeHead(404).end();
    else
      res
        .writeHead(307, {
          location: `http://127.0.0.1:${match[1]}${match[2] ?? '/'}${url.search}`,
          'cache-control': 'no-store',
        })
        .end();
  });
  await new Promise((resolveListen) => redirector.listen(0, '127.0.0.1', resolveListen));
  cleanups.push([
    'the redirector',
    () =>
      new Promise((resolveClose) => {
        redirector.closeAllConnections();
        redirector.close(() => resolveClose());
      }),
  ]);

  mkdirSync(logDir, { recursive: true });
  const server = await startCodeServer({
    node,
    entry,
    ...(options.port ? { port: Number(options.port) } : {}),
    userDataDir: dirs['user-data'],
    extensionsDir: dirs.extensions,
    cwd: dirs.workspace,
    // The bed's OAuth server is on another loopback address: open its pages without asking each time.
    trustedDomains: [new URL(info.oauth.issuer).origin],
    env: { VSCODE_PROXY_URI: `http://127.0.0.1:${redirector.address().port}/proxy/{{port}}/` },
    stdout: createWriteStream(join(logDir, 'code-server.stdout.log')),
    stderr: createWriteStream(join(logDir, 'code-server.stderr.log')),
  });
  cleanups.push(['code-server', () => server.stop()]);
  void server.exited.then(({ code, signal }) => void shutdown(1, `code-server stopped (${code ?? signal})`));
  return { url: `${server.origin}/?folder=${encodeURIComponent(dirs.workspace)}`, installed };
}

/** Quiet workbench settings and, unless --no-channels, the two demo accounts as channels (signed out). */
function sandboxSettings(info) {
  const { demo } = info;
  const channel = (id, label, homeserver, authMode, user, room) => ({
    id,
    label,
    homeserver,
    authMode,
    userId: user.userId,
    deviceDisplayName: 'VS Code sandbox',
    roomPolicy: 'allowlist',
    roomAllowlist: room ? [room.roomId] : [],
    // Every message of the demo room, not only mentions: the bot's posts show as notifications.
    mentionMode: 'always',
    userAllowlist: room ? [room.bot] : [],
  });
  return {
    ...WORKBENCH_SETTINGS,
    'workbench.startupEditor': 'readme',
    ...(options['no-channels']
      ? {}
      : {
          'matrixChannels.channels': [
            channel(
              'demo-oauth',
              'Demo (OAuth homeserver)',
              info.delegated.baseUrl,
              'oidc',
              demo.delegated,
              demo.rooms?.delegated,
            ),
            channel(
              'demo-classic',
              'Demo (classic homeserver)',
              info.classic.baseUrl,
              'password',
              demo.classic,
              demo.rooms?.classic,
            ),
          ],
        }),
  };
}

function workspaceReadme(info) {
  const { demo } = info;
  return `# Matrix Channels sandbox

Open the **Matrix** view in the activity bar (the Matrix icon on the left).

| account | homeserver | sign in with |
| --- | --- | --- |
| \`${demo.delegated.userId}\` | ${info.delegated.baseUrl} (OAuth 2.0) | the browser: user \`${demo.delegated.username}\`, password \`${demo.delegated.password}\` |
| \`${demo.classic.userId}\` | ${info.classic.baseUrl} (classic) | password \`${demo.classic.password}\` |

${options['no-channels'] ? 'Run *Matrix: Sign In…* and enter one of the homeservers above.' : 'Both accounts are configured as channels: use *Sign in* on each (the inline action in the Matrix view).'}
A bot (\`${demo.rooms?.classic.bot ?? ''}\`, \`${demo.rooms?.delegated.bot ?? ''}\`) posts in "Demo room" on each homeserver every 20 seconds or so.
`;
}

function printBanner(info, demo, editor) {
  const rooms = demo.rooms;
  const sandboxLogs = relative(process.cwd(), logDir) || logDir;
  console.log(`
Matrix Channels sandbox is running (Ctrl-C stops it)
${
  editor
    ? `
  VS Code (code-server)  ${editor.url}
                         open it in your browser, then the Matrix view (activity bar, left)
                         ${options['no-channels'] ? 'no channel configured: run "Matrix: Sign In…" with a homeserver below' : 'the demo accounts below are configured as channels: press "Sign in" on each'}
                         the extension is installed from this checkout's build (restart the sandbox after changes)
`
    : ''
}
  Sign in with:
    OAuth homeserver   ${info.delegated.baseUrl}   (server name ${info.delegated.serverName})
                       user ${demo.delegated.userId}: on the sign-in page enter "${demo.delegated.username}" / "${demo.delegated.password}"${autoApprove ? '\n                       (auto-approve: no sign-in page, the browser comes straight back)' : ''}
                       authorization server ${info.oauth.issuer}
    Classic homeserver ${info.classic.baseUrl}   (server name ${info.classic.serverName})
                       user ${demo.classic.userId}   password "${demo.classic.password}"
${
  rooms
    ? `
  Demo rooms           "${rooms.classic.name}" on each homeserver (${rooms.classic.roomId}, ${rooms.delegated.roomId}),
                       joined by the demo users; a bot (${rooms.classic.bot}, ${rooms.delegated.bot}) posts every ~20 s
`
    : ''
}
  Server logs          ${sandboxLogs}/
`);
}
