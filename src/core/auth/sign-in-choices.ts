/**
 * The ways to sign in the person is offered for a homeserver, from what discovery learned: the browser (OAuth)
 * first, creating an account there when the server's sign-in service says it takes new accounts, a password
 * where the legacy API offers one, and an access token from another client, always.
 */
import type { AuthCapabilities } from '../discovery/types.ts';
import type { AuthMode } from '../session/session.ts';

export type SignInChoiceId = 'browser' | 'sign_up' | 'password' | 'access_token';

export interface SignInChoice {
  id: SignInChoiceId;
  mode: AuthMode;
  /** Ask the sign-in service for its sign-up page (`prompt=create`) rather than its login page. */
  signUp?: true;
}

/** The server's sign-in service takes new accounts: it advertises `prompt=create` (MAS does, when sign-up is on). */
export function offersSignUp(capabilities: AuthCapabilities): boolean {
  return capabilities.oauth?.metadata.prompt_values_supported?.includes('create') === true;
}

export function signInChoices(capabilities: AuthCapabilities): SignInChoice[] {
  const choices: SignInChoice[] = [];
  if (capabilities.oauth) choices.push({ id: 'browser', mode: 'oidc' });
  if (offersSignUp(capabilities)) choices.push({ id: 'sign_up', mode: 'oidc', signUp: true });
  if (capabilities.password) choices.push({ id: 'password', mode: 'password' });
  choices.push({ id: 'access_token', mode: 'access_token' });
  return choices;
}

/**
 * The choice to make without asking: the browser, when the only other way is an access token (which a person who
 * has one passes on purpose). Any real alternative (a password, creating an account) is asked about.
 */
export function choiceWithoutAsking(choices: readonly SignInChoice[]): SignInChoice | undefined {
  const ids = choices.map((choice) => choice.id).join(',');
  return ids === 'browser,access_token' ? choices[0] : undefined;
}
