/**
 * What the sandbox (`npm start`) installs into code-server as the extension, from the repository: the same
 * top-level files and folders the .vsix carries (test/package/vsix.test.ts compares them), so the sandbox shows
 * what a user's installation shows (the manifest's words come from package.nls.json, say).
 */
export const SANDBOX_FILES = [
  'package.json',
  'package.nls.json',
  'l10n',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'media',
  'dist',
];
