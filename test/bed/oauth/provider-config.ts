/**
 * oidc-provider configuration that makes it behave like Matrix Authentication Service.
 * The Koa routes around it (login pages, provisioning, token bookkeeping) live in server.ts.
 */
import { errors, interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { JsonWebKey } from 'node:crypto';
import type { AccountStore } from './accounts.ts';
import { MATRIX_RESOURCE, MatrixScopeError, parseMatrixScope, type MatrixScope } from './matrix-scopes.ts';
import { checkClientRegistration } from './registration-policy.ts';
import { deviceCodeInputPage, deviceConfirmPage, messagePage } from './pages.ts';

export const ROUTES = {
  authorization: '/authorize',
  token: '/oauth2/token',
  registration: '/oauth2/registration',
  revocation: '/oauth2/revoke',
  introspection: '/oauth2/introspect',
  device_authorization: '/oauth2/device',
  code_verification: '/link',
  jwks: '/oauth2/keys.json',
  userinfo: '/oauth2/userinfo',
  end_session: '/oauth2/logout',
} as const;

export const ACCOUNT_MANAGEMENT_ACTIONS = [
  'org.matrix.profile',
  'org.matrix.sessions_list',
  'org.matrix.session_view',
  'org.matrix.session_end',
  'org.matrix.devices_list',
  'org.matrix.device_view',
  'org.matrix.device_delete',
  'org.matrix.cross_signing_reset',
];

export interface ProviderSettings {
  issuer: string;
  accounts: AccountStore;
  /** Default access-token lifetime in seconds (MAS: 300). */
  accessTokenTtl: number;
  introspectionClient: { id: string; secret: string };
  cookieKeys: string[];
  /** Private JWK for ID tokens (a fresh key per run rather than oidc-provider's development key). */
  signingKey: JsonWebKey;
  /** People may create accounts (MAS: password registration enabled): `prompt=create` is advertised and served. */
  registration: boolean;
}

export function providerConfiguration(settings: ProviderSettings): Configuration {
  const { accounts } = settings;
  const policy = interactionPolicy.base();
  // MAS advertises prompt=create (sign-up) when it takes new accounts; oidc-provider accepts a prompt only when
  // the policy knows it.
  if (settings.registration) policy.add(new interactionPolicy.Prompt({ name: 'create', requestable: true }), 0);

  return {
    routes: ROUTES,
    clients: [
      {
        client_id: settings.introspectionClient.id,
        client_secret: settings.introspectionClient.secret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: [],
        response_types: [],
        redirect_uris: [],
      },
    ],
    cookies: { keys: settings.cookieKeys },
    jwks: { keys: [{ ...settings.signingKey, use: 'sig', alg: 'RS256' }] as never },
    discovery: {
      account_management_uri: `${settings.issuer}/account/`,
      account_management_actions_supported: ACCOUNT_MANAGEMENT_ACTIONS,
      // As MAS: `login`, and `create` when it takes new accounts.
      prompt_values_supported: ['login', ...(settings.registration ? ['create'] : [])],
    },
    scopes: ['openid', 'email'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    responseTypes: ['code'],
    pkce: { required: () => true },
    interactions: {
      policy,
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    findAccount: (_ctx, sub) => {
      const account = accounts.bySubject(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ sub, preferred_username: account.username }) };
    },
    // Matrix clients never ask for offline_access, yet MAS always issues refresh tokens and keeps sessions
    // alive past the browser session.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    expiresWithSession: () => false,
    // MAS: revoking either token of a session ends the session.
    revokeGrantPolicy: () => true,
    ttl: {
      AccessToken: (_ctx, token) =>
        accounts.bySubject(token.accountId ?? '')?.accessTokenTtl ?? settings.accessTokenTtl,
      AuthorizationCode: 60,
      // MAS: device codes live 20 minutes.
      DeviceCode: 1200,
      Grant: 30 * 24 * 3600,
      Interaction: 3600,
      RefreshToken: 30 * 24 * 3600,
      Session: 14 * 24 * 3600,
      IdToken: 3600,
    },
    extraParams: {
      scope(_ctx, value) {
        parseRequestedScope(value ?? '');
      },
    },
    extraClientMetadata: {
      properties: ['client_uri'],
      validator(ctx, key, _value, metadata) {
        // Called per property; oidc-provider also calls it for static clients, where ctx is undefined.
        if (!ctx || key !== 'client_uri') return;
        const violation = checkClientRegistration(metadata);
        if (violation) throw new errors.InvalidClientMetadata(violation);
      },
    },
    extraTokenClaims: (_ctx, token) => {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const account = accounts.bySubject(token.accountId);
      const deviceId = deviceIdOf(token.scope);
      return { username: account?.username, ...(deviceId ? { device_id: deviceId } : {}) };
    },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      registration: { enabled: true, initialAccessToken: false, issueRegistrationAccessToken: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
      deviceFlow: {
        enabled: true,
        // MAS: a short code of six letters, typed by the person (no verification_uri_complete by default: see
        // server.ts).
        charset: 'base-20',
        mask: '******',
        userCodeInputSource: (ctx, form, _out, err) => {
          ctx.body = deviceCodeInputPage(form, err ? 'That code is not valid. Check it and try again.' : undefined);
        },
        userCodeConfirmSource: (ctx, form, client, _info, userCode) => {
          ctx.body = deviceConfirmPage(form, client.clientName ?? client.clientId, userCode);
        },
        successSource: (ctx) => {
          ctx.body = messagePage('Device connected', 'You can close this page and return to your device.');
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => MATRIX_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resource) => {
          if (resource !== MATRIX_RESOURCE) throw new errors.InvalidTarget();
          return { scope: matrixScopesOf(ctx), audience: MATRIX_RESOURCE, accessTokenFormat: 'opaque' };
        },
      },
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = messagePage('Something went wrong', `${out.error}: ${out.error_description ?? ''}`);
    },
  };
}

/** The Matrix scopes a resource server may grant: those of the request, else those already granted. */
function matrixScopesOf(ctx: KoaContextWithOIDC): string {
  const requested = ctx.oidc.params?.scope;
  if (typeof requested === 'string') return parseRequestedScope(requested).matrixScopes.join(' ');
  return ctx.oidc.entities.Grant?.getResourceScope(MATRIX_RESOURCE) ?? '';
}

/** Scope validation answered the OAuth way (invalid_scope), wherever oidc-provider looks at the scope first. */
function parseRequestedScope(scope: string): MatrixScope {
  try {
    return parseMatrixScope(scope);
  } catch (error) {
    if (error instanceof MatrixScopeError) throw new errors.InvalidScope(error.message, scope);
    throw error;
  }
}

export function deviceIdOf(scope: string | undefined): string | undefined {
  try {
    return parseMatrixScope(scope ?? '').deviceId;
  } catch {
    return undefined;
  }
}
