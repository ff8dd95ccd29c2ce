// Activates the built dist/extension.js in this fresh process, with the benchmark's stand-in for the `vscode`
// module taught to record what the extension registers, and prints what happened as JSON:
//   node activation-driver.cjs <dist directory> [command to run after activation]
// (BENCH_CHANNELS, read by the stand-in, configures channels.) The test that spawns it asserts.
'use strict';
const Module = require('node:module');
const { join } = require('node:path');
const standIn = require('../bench/activation/vscode-stand-in.cjs');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolveFilename.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: standIn };

const [dist, command] = process.argv.slice(2);
const events = [];
const live = new Map();
standIn.commands.registerCommand = (id, handler) => {
  if (live.has(id)) throw new Error(`command '${id}' already exists`);
  events.push(`register ${id}`);
  live.set(id, handler);
  return { dispose: () => live.get(id) === handler && (events.push(`dispose ${id}`), live.delete(id)) };
};
standIn.commands.executeCommand = async (id, ...args) => {
  events.push(`execute ${id}`);
  const handler = live.get(id);
  if (!handler) throw new Error(`command '${id}' not found`);
  return handler(...args);
};
let tree;
standIn.window.createTreeView = (id, options) => {
  tree = options.treeDataProvider;
  return { dispose() {}, onDidChangeVisibility: () => ({ dispose() {} }) };
};
let auth;
standIn.authentication.registerAuthenticationProvider = (id, label, provider) => {
  auth = provider;
  return { dispose() {} };
};

const loaded = (bundle) => Boolean(require.cache[join(dist, bundle)]);

(async () => {
  const extension = require(join(dist, 'extension.js'));
  extension.activate(standIn.context);
  const atActivation = {
    commands: [...live.keys()],
    workbench: loaded('workbench.js'),
    engine: loaded('engine.js'),
    treeRows: await tree.getChildren(undefined),
    sessions: await auth.getSessions(undefined, {}),
  };
  events.length = 0;
  if (command) await live.get(command)();
  process.stdout.write(
    JSON.stringify({ atActivation, events, commands: [...live.keys()], workbench: loaded('workbench.js') }),
  );
  process.exit(0);
})().catch((error) => {
  process.stderr.write(String(error?.stack ?? error));
  process.exit(1);
});
