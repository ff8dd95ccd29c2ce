/**
 * Loads the engine bundle (dist/engine.js: matrix-js-sdk, openid-client) on first need, so activation stays
 * small and fast; builds the one SignInEngine of this window.
 */
import * as vscode from 'vscode';
import type { SignInEngine } from '../core/auth/sign-in-engine.ts';
import type { Logger } from '../core/log.ts';
import type { RefreshLock } from '../core/session/managed-session.ts';
import type { SecretStore } from '../core/session/session.ts';
import { detectHostKind } from './host-kind.ts';

export type EngineModule = typeof import('../core/engine.ts');

let loaded: Promise<EngineModule> | undefined;

export function loadEngineModule(): Promise<EngineModule> {
  // esbuild leaves './engine.js' external: it is the sibling bundle of dist/extension.js, loaded at run
  // time with the extension host's CommonJS require.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= Promise.resolve().then(() => require('./engine.js') as EngineModule);
  return loaded;
}

export interface EngineDeps {
  manifest: { name: string; displayName?: string; homepage?: string };
  secrets: SecretStore;
  lock: RefreshLock;
  log: Logger;
}

export function engineFactory(deps: EngineDeps): () => Promise<SignInEngine> {
  let engine: Promise<SignInEngine> | undefined;
  return () => {
    engine ??= loadEngineModule().then((module) => {
      const settings = vscode.workspace.getConfiguration('matrixChannels');
      const clientUri = settings.get<string>('oauth.clientUri', '');
      return new module.SignInEngine({
        identity: module.identityFromManifest(deps.manifest, clientUri ? { clientUri } : {}),
        host: detectHostKind(),
        flows: [],
        openBrowser: (url) => openUrl(url),
        store: new module.SessionStore(deps.secrets, deps.log),
        log: deps.log,
        lock: deps.lock,
      });
    });
    return engine;
  };
}

/**
 * Opens a URL exactly as built. A vscode.Uri re-encodes the query on its way out and corrupts nested URLs
 * such as an encoded redirect_uri (microsoft/vscode#85930); openExternal passes a string through unchanged.
 */
export async function openUrl(url: string): Promise<void> {
  await vscode.env.openExternal(url as unknown as vscode.Uri);
}
