import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { identityFromManifest } from '../../../src/core/auth/oauth/client-identity-from-manifest.ts';
import { checkClientRegistration } from '../../bed/oauth/registration-policy.ts';
import { clientMetadataFor } from '../../../src/core/auth/oauth/client-identity.ts';
import { repoRoot } from '../../bed/paths.ts';

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  displayName: string;
  homepage: string;
};
const metadata = {
  issuer: 'https://auth.example.org/',
  authorization_endpoint: 'https://auth.example.org/a',
  token_endpoint: 'https://auth.example.org/t',
};

describe('client identity from the manifest', () => {
  it('uses the display name and the homepage, with the logo on the same host', () => {
    const identity = identityFromManifest(manifest);
    assert.equal(identity.clientName, 'Matrix Channels');
    assert.equal(identity.clientUri, manifest.homepage);
    assert.equal(new URL(identity.logoUri!).host, new URL(manifest.homepage).host);
  });

  it('is registrable under MAS policy with a loopback redirect', () => {
    const identity = identityFromManifest(manifest);
    assert.equal(
      checkClientRegistration(clientMetadataFor(identity, ['http://127.0.0.1/callback'], metadata)),
      undefined,
    );
  });

  it('takes an override, and refuses a non-https client URI', () => {
    const identity = identityFromManifest(manifest, {
      clientUri: 'https://chat.example.com/tools',
      tosUri: 'https://chat.example.com/tos',
    });
    assert.equal(identity.clientUri, 'https://chat.example.com/tools');
    assert.equal(identity.logoUri, 'https://chat.example.com/tools/icon.png');
    assert.equal(identity.tosUri, 'https://chat.example.com/tos');
    assert.throws(() => identityFromManifest({ name: 'x', homepage: 'http://example.com' }), /https homepage/);
  });
});
