/**
 * One editor window of the reload benchmark, wired as the extension's activate() wires it: the accounts service
 * (the activation bundle's code) with the sign-in engine and live channels from the packaged engine bundle
 * (dist/engine.js, loaded on first need as the extension loads it), over the stores of a folder that survives
 * the reload, with each account's end-to-end encryption (its sealed store in the same folder).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { AccountService } from '../../../src/core/account/account-service.ts';
import type { SignInFlow } from '../../../src/core/auth/oauth/flows/flow.ts';
import { silentLogger } from '../../../src/core/log.ts';
import { DirectoryRefreshLock } from '../../../src/vscode/refresh-lock.ts';
import { repoRoot } from '../../bed/paths.ts';
import { identity } from '../../integration/core/support.ts';
import { disk } from './disk.ts';

export type EngineModule = typeof import('../../../src/core/engine.ts');

const require = createRequire(import.meta.url);

/** The packaged engine bundle (build it first: scripts/build.mjs). */
export function loadEngineBundle(): EngineModule {
  return require(join(repoRoot, 'dist', 'engine.js')) as EngineModule;
}

export function openWindow(
  dir: string,
  options: { openBrowser?: (url: string) => Promise<void>; flows?: (engine: EngineModule) => SignInFlow[] } = {},
) {
  const { secrets, configs, syncState } = disk(dir);
  const log = silentLogger;
  let module: EngineModule | undefined;
  const engineModule = () => (module ??= loadEngineBundle());
  let signInEngine: InstanceType<EngineModule['SignInEngine']> | undefined;
  const service = new AccountService({
    configs,
    log,
    engine: async () => {
      const m = engineModule();
      signInEngine ??= new m.SignInEngine({
        identity,
        host: 'local',
        flows: options.flows?.(m) ?? [],
        openBrowser: options.openBrowser ?? (async () => {}),
        store: new m.SessionStore(secrets, log),
        log,
        lock: new DirectoryRefreshLock(join(dir, 'locks')),
      });
      return signInEngine;
    },
    // Each account's encryption starts with its channel, from the sealed store in the folder, as in the editor.
    channels: async ({ accountId, session, config }) =>
      new (engineModule().ChannelSync)({
        accountId,
        session,
        config,
        store: syncState,
        log,
        crypto: { directory: join(dir, 'crypto'), secrets },
      }),
  });
  return { service, secrets, configs };
}
