/** What the login, consent and sign-up pages read from an authorization request's parameters. */

/** The scopes requested, one per entry. */
export function requestedScopes(params: Record<string, unknown>): string[] {
  return (typeof params.scope === 'string' ? params.scope : '').split(' ').filter(Boolean);
}

/** MAS understands `login_hint=mxid:@user:server`; a bare username is accepted too. */
export function loginHintUsername(hint: unknown): string | undefined {
  if (typeof hint !== 'string' || !hint) return undefined;
  const mxid = hint.startsWith('mxid:') ? hint.slice(5) : hint;
  const match = /^@([^:]+):/.exec(mxid);
  return match ? match[1] : mxid;
}
