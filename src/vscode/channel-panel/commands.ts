/**
 * Matrix: Add Channel… opens the channel panel for a new channel; Edit Channel… opens it for the tree node
 * it was run on, or asks which channel when run from the palette.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { AccountService, ChannelConfigStore } from '../../core/account/account-service.ts';
import type { SignInEngine } from '../../core/auth/sign-in-engine.ts';
import type { Logger } from '../../core/log.ts';
import { pickAccount } from '../commands/pick-account.ts';
import { pickJoinedRooms } from './pick-joined-rooms.ts';
import type { SignInUi } from '../sign-in-ui.ts';
import { ChannelPanels } from './channel-panels.ts';

export interface ChannelPanelServices {
  extensionUri: vscode.Uri;
  accounts: AccountService;
  configs: ChannelConfigStore;
  engine: () => Promise<SignInEngine>;
  ui: SignInUi;
  log: Logger;
}

export function registerChannelPanelCommands(services: ChannelPanelServices): vscode.Disposable[] {
  const { accounts, configs, engine, ui, log } = services;
  const panels = new ChannelPanels(services.extensionUri, {
    accounts,
    configs,
    discover: async (homeserver, signal) => (await engine()).discover(homeserver, signal),
    signIn: async (config, secrets, signal) => {
      // SignInUi starts listening to the signal only once its attempt is under way; with the engine already
      // loaded nothing asynchronous comes before that, so a panel closed from now on does cancel it.
      await engine();
      if (signal.aborted) return undefined;
      return ui.run(config, secrets, { signal });
    },
    newChannelId: () => `ch-${randomUUID().slice(0, 8)}`,
    pickRooms: (accountId) => pickJoinedRooms(accounts, accountId),
    log,
  });
  return [
    panels,
    vscode.commands.registerCommand('matrixChannels.addChannel', () => panels.showAdd()),
    vscode.commands.registerCommand('matrixChannels.editChannel', async (arg?: unknown) => {
      const account = await pickAccount(accounts, arg);
      if (account) panels.showEdit(account.id);
    }),
  ];
}
