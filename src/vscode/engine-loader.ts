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
  // esbuild leaves './engine.js' external: it is the sibling bundle of dist/extension.js.
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
        // Strict parsing keeps the authorization URL's encoding exactly as built.
        openBrowser: async (url) => { await vscode.env.openExternal(vscode.Uri.parse(url, true)); },
        store: new module.SessionStore(deps.secrets, deps.log),
        log: deps.log,
        lock: deps.lock,
      });
    });
    return engine;
  };
}
