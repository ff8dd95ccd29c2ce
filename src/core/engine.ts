/**
 * Entry of the lazily loaded engine bundle (dist/engine.js): everything that pulls in matrix-js-sdk and
 * openid-client. The activation bundle only imports types from here, and loads it on first need.
 */
export { SignInEngine } from './auth/sign-in-engine.ts';
export { LoopbackFlow } from './auth/oauth/flows/loopback.ts';
export { UriHandlerFlow } from './auth/oauth/flows/uri-handler.ts';
export { DeviceFlow } from './auth/oauth/flows/device.ts';
export { identityFromManifest } from './auth/oauth/client-identity-from-manifest.ts';
export { accountManagementUrl } from './auth/account-management.ts';
export { createMatrixClient } from './matrix/sdk.ts';
export { SessionStore } from './session/session-store.ts';
export { ChannelSync } from './sync/channel-sync.ts';
export { CryptoStore } from './crypto/crypto-store.ts';
