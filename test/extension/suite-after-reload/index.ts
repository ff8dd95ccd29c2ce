/**
 * The after-reload suite (bundled into dist/test/after-reload.js): the harness runs it after reloading the
 * workbench, when a test of the main suite registered work for after the reload. Each module skips its tests
 * when its hand-over is missing. Add new `*.test.ts` files here.
 */
import './restore.test.ts';
