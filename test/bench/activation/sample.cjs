// One activation sample, in a fresh process: require the bundle given as argv[2] with the `vscode` stand-in,
// call activate(), and print the load and activate times (ms) and the heap used (MB) as JSON.
'use strict';
const Module = require('node:module');
const { performance } = require('node:perf_hooks');
const standIn = require('./vscode-stand-in.cjs');

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolveFilename.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: standIn };

const t0 = performance.now();
const extension = require(process.argv[2]);
const t1 = performance.now();
extension.activate(standIn.context);
const t2 = performance.now();
process.stdout.write(
  JSON.stringify({ loadMs: t1 - t0, activateMs: t2 - t1, heapMb: process.memoryUsage().heapUsed / 1048576 }),
);
process.exit(0);
