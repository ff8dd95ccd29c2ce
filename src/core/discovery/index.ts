/** Server discovery and sign-in capability detection (see homeserver.ts and capabilities.ts). */
export { parseHomeserverInput, resolveHomeserver } from './homeserver.ts';
export type { DiscoveryOptions, HomeserverInput } from './homeserver.ts';
export { detectAuthCapabilities, scopeFormFor } from './capabilities.ts';
export type { AuthCapabilities, AuthMetadata, HomeserverInfo, OAuthCapability, ScopeForm } from './types.ts';
