/**
 * Messages exchanged between the extension host and the webview.
 * Shared by both sides: keep this module free of `vscode` and DOM imports.
 */
export type HostToWebview = { type: 'hello'; version: string };

export type WebviewToHost = { type: 'ready' };
