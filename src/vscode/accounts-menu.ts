/**
 * The Accounts menu (the person icon): our authentication provider's ID and the scopes of its sessions, and
 * the "Sign in with Matrix" offer it shows while there is no account.
 */
import * as vscode from 'vscode';

export const AUTH_PROVIDER_ID = 'matrix';

/**
 * What every session may do: the whole client-server API, as an OAuth session's scope says it. Sessions carry
 * it, and the Accounts menu's sign-in offer asks for it: VS Code withdraws the offer only once a session with
 * the scopes it asked for appears, and never for an empty list.
 */
export const SESSION_SCOPES: readonly string[] = ['urn:matrix:client:api:*'];

/** The accounts, as far as the offer needs them. */
export interface AccountsSeen {
  accounts(): readonly unknown[];
  onDidChangeAccounts(listener: () => void): { dispose(): void };
}

/**
 * While there is no Matrix account at all, the Accounts menu offers "Sign in with Matrix", as it does for
 * other sign-ins an extension is waiting for; picking it runs Matrix: Sign In….
 */
export function offerSignInInAccountsMenu(accounts: AccountsSeen): vscode.Disposable {
  let offered = false;
  const offer = () => {
    const none = accounts.accounts().length === 0;
    if (none && !offered) {
      offered = true;
      void Promise.resolve(
        vscode.authentication.getSession(AUTH_PROVIDER_ID, SESSION_SCOPES, { createIfNone: false }),
      ).catch(() => undefined);
    }
    if (!none) offered = false;
  };
  const subscription = accounts.onDidChangeAccounts(offer);
  offer();
  return subscription;
}
