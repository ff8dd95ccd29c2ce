// @ts-check
// Desktop VS Code runs of the extension-host suite (`npm run test:desktop`): @vscode/test-cli downloads VS Code
// and runs its own Mocha runner over `files`, so the suite is bundled as a plain Mocha test file
// (dist/test/suite.js, from test/extension/suite/index.ts) besides the code-server entry (dist/test/index.js).
// The Mocha global setup (dist/test/desktop-setup.js) starts the test bed unless MATRIX_BED is already set;
// the browser-control tests skip themselves (they need the code-server harness: npm run test:extension).
import { defineConfig } from '@vscode/test-cli';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const workspace = join(root, 'test-results', 'desktop-workspace');
mkdirSync(workspace, { recursive: true });

export default defineConfig({
  label: 'desktop',
  files: 'dist/test/suite.js',
  extensionDevelopmentPath: root,
  workspaceFolder: workspace,
  launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  mocha: {
    ui: 'bdd',
    timeout: 120_000,
    color: false,
    require: ['./dist/test/desktop-setup.js'],
  },
});
