/**
 * Entry of the room view webview (bundled by esbuild into dist/webview/room.js, an IIFE; its stylesheet into
 * dist/webview/room.css). Loaded at the end of <body>, so the toolkit is registered before the page's `load`.
 */
import './room.css';
import type { RoomViewMessage } from '../../src/shared/room-view-protocol.ts';
import { useTranslations } from '../l10n.ts';
import { registerToolkit } from '../ui/toolkit.ts';
import { RoomView, type ViewState } from './room-view.ts';

interface RoomWebviewApi {
  postMessage(message: RoomViewMessage): void;
  getState(): ViewState | undefined;
  setState(state: ViewState): void;
}

declare function acquireVsCodeApi(): RoomWebviewApi;

useTranslations(document);
registerToolkit();
const api = acquireVsCodeApi();
const view = new RoomView(document.getElementById('app') ?? document.body, {
  post: (message) => api.postMessage(message),
  saved: api.getState(),
  save: (state) => api.setState(state),
});
window.addEventListener('message', (event: MessageEvent<unknown>) => view.receive(event.data));
api.postMessage({ type: 'ready' });
// A thread shown before the page was hidden (or the window reloaded) shows again.
if (view.restoredThread) api.postMessage({ type: 'openThread', eventId: view.restoredThread });
