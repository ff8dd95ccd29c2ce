/**
 * Sign-in flows as strategies (the pattern of VS Code's own GitHub sign-in): each declares where it works
 * (choose-flows.ts), and the engine tries the ones that fit, in order, falling back when one cannot be used.
 */
import type { AuthMetadata, ScopeForm } from '../../../discovery/types.ts';
import type { Logger } from '../../../log.ts';
import type { ClientIdentity } from '../client-identity.ts';
import type { OAuthTokens } from '../tokens.ts';

/** Where the extension host runs: on the user's machine, on a remote (SSH, WSL, container), or in a browser. */
export type HostKind = 'local' | 'remote' | 'web';

export type FlowId = 'loopback' | 'uri_handler' | 'device';

export interface FlowRequest {
  metadata: AuthMetadata;
  scopeForm: ScopeForm;
  identity: ClientIdentity;
  deviceId: string;
  /** The MXID, when known, sent as `login_hint=mxid:…`. */
  userId?: string;
  /** Ask for the sign-up page (`prompt=create`) when the server advertises it. */
  signUp?: boolean;
  signal: AbortSignal;
  log: Logger;
  /** Opens a URL in the user's browser (the host decides how). */
  openBrowser: (url: string) => Promise<void>;
}

export interface FlowResult {
  clientId: string;
  tokens: OAuthTokens;
}

/** One way to sign in through the browser; where it works and what it needs are in choose-flows.ts. */
export interface SignInFlow {
  readonly id: FlowId;
  run(request: FlowRequest): Promise<FlowResult>;
}
