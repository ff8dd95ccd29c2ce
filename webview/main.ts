import type { HostToWebview, WebviewToHost } from '../src/shared/webviewProtocol';

interface VsCodeApi<State = unknown> {
  postMessage(message: WebviewToHost): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State = unknown>(): VsCodeApi<State>;

const vscode = acquireVsCodeApi();

const heading = document.createElement('h1');
heading.textContent = 'Matrix Channels';
document.body.append(heading);

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (message.type === 'hello') {
    heading.dataset['version'] = message.version;
  }
});

vscode.postMessage({ type: 'ready' });
