/**
 * The client identity from the extension's manifest: the display name, and the homepage as `client_uri`
 * (a public https page, as MAS requires), with the logo beside it. Settings may override the homepage for
 * organisations that host their own page (their MAS may require a host it trusts).
 */
import type { ClientIdentity } from './client-identity.ts';

export interface ManifestFields {
  displayName?: string;
  name: string;
  homepage?: string;
}

export interface IdentityOverrides {
  clientUri?: string;
  tosUri?: string;
  policyUri?: string;
}

export function identityFromManifest(manifest: ManifestFields, overrides: IdentityOverrides = {}): ClientIdentity {
  const clientUri = overrides.clientUri || manifest.homepage;
  if (!clientUri || !clientUri.startsWith('https://')) {
    throw new Error(
      'the extension needs an https homepage (or a configured client URI) to register with OAuth servers',
    );
  }
  const base = clientUri.endsWith('/') ? clientUri : `${clientUri}/`;
  return {
    clientName: manifest.displayName ?? manifest.name,
    clientUri,
    logoUri: new URL('icon.png', base).href,
    ...(overrides.tosUri ? { tosUri: overrides.tosUri } : {}),
    ...(overrides.policyUri ? { policyUri: overrides.policyUri } : {}),
  };
}
