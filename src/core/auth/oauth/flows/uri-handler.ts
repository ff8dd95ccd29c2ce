/**
 * Redirect to a URI the host receives itself (VS Code's UriHandler, or a private-use scheme): the engine
 * registers `redirectUri`, and the host hands every callback URL it receives to `deliver()`. Works wherever
 * the host can receive the redirect, including remote and web hosts, but only where the sign-in server
 * accepts the URI at registration (MAS refuses `vscode://…`; the engine then falls back to the next flow).
 */
import { MatrixChannelError } from '../../../errors.ts';
import { l10n } from '../../../l10n.ts';
import { runAuthorizationCodeFlow } from '../authorization-code.ts';
import { PendingAuthorizations, type CallbackOutcome } from '../pending.ts';
import type { FlowRequest, FlowResult, SignInFlow } from './flow.ts';

export interface UriHandlerFlowOptions {
  /** The redirect URI to register and use (VS Code: the `asExternalUri` of the extension's callback URI). */
  redirectUri: () => Promise<string>;
}

export class UriHandlerFlow implements SignInFlow {
  readonly id = 'uri_handler' as const;
  private readonly pending = new PendingAuthorizations();

  constructor(private readonly options: UriHandlerFlowOptions) {}

  /** Called by the host for each redirect it receives; unknown or used states are refused, never completed. */
  deliver(callback: URL): CallbackOutcome {
    return this.pending.deliver(callback);
  }

  /** Sign-ins waiting for their redirect (for tests and diagnostics). */
  get waiting(): number {
    return this.pending.size;
  }

  async run(request: FlowRequest): Promise<FlowResult> {
    const redirectUri = await this.options.redirectUri();
    const parsed = URL.parse(redirectUri);
    if (!parsed || parsed.hash) {
      throw new MatrixChannelError(
        'invalid_config',
        l10n.t('The editor redirect URI must be an absolute URI without a fragment.'),
      );
    }
    return runAuthorizationCodeFlow(request, {
      registeredRedirectUris: [redirectUri],
      redirectUri,
      waitForCallback: (state) => this.pending.expect(state),
      forget: (state) => this.pending.cancel(state),
    });
  }
}
