/**
 * Entry of the channel-configuration webview (bundled by esbuild into dist/webview/main.js, an IIFE; the
 * stylesheet into dist/webview/main.css). Loaded at the end of <body>, so the toolkit is registered
 * before the page's `load` event, when it starts following the editor's theme.
 */
import './styles.css';
import { ChannelApp, type WebviewApi } from './app.ts';
import { useTranslations } from './l10n.ts';
import { registerToolkit } from './ui/toolkit.ts';

declare function acquireVsCodeApi(): WebviewApi;

useTranslations(document);
registerToolkit();
new ChannelApp(acquireVsCodeApi(), document.getElementById('app') ?? document.body);
