/**
 * Device authorization grant (RFC 8628): no redirect at all, so it works on remote and web hosts. The user
 * opens the verification page anywhere and enters the code; we poll with the server's interval, slowing down
 * when told to, until it completes, is denied, expires, or the flow is cancelled.
 */
import { initiateDeviceAuthorization, pollDeviceAuthorizationGrant } from 'openid-client';
import { raceAbort } from '../../../abort.ts';
import { l10n } from '../../../l10n.ts';
import { clientMetadataFor } from '../client-identity.ts';
import { toChannelError } from '../oauth-errors.ts';
import { registerClient } from '../registration.ts';
import { matrixScope } from '../scopes.ts';
import { clientConfiguration, toOAuthTokens } from '../tokens.ts';
import type { FlowRequest, FlowResult, SignInFlow } from './flow.ts';

export interface DeviceCodePrompt {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface DeviceFlowOptions {
  /** Shows the code to the user (the host: a modal with "Copy & Open"). Called once per attempt. */
  showCode(prompt: DeviceCodePrompt, signal: AbortSignal): void;
}

export class DeviceFlow implements SignInFlow {
  readonly id = 'device' as const;
  constructor(private readonly options: DeviceFlowOptions) {}

  async run(request: FlowRequest): Promise<FlowResult> {
    const { metadata, signal, log } = request;
    const { clientId } = await registerClient(metadata, clientMetadataFor(request.identity, [], metadata), {
      signal,
      log,
    });
    const config = clientConfiguration(metadata, clientId);
    const started = Date.now();
    const authorization = await raceAbort(
      initiateDeviceAuthorization(config, { scope: matrixScope(request.scopeForm, request.deviceId) }),
      signal,
    ).catch((error: unknown) => {
      throw toChannelError(error, l10n.t('Starting the device sign-in failed'), signal);
    });
    this.options.showCode(
      {
        userCode: authorization.user_code,
        verificationUri: authorization.verification_uri,
        ...(authorization.verification_uri_complete
          ? { verificationUriComplete: authorization.verification_uri_complete }
          : {}),
        expiresAt: started + authorization.expires_in * 1000,
      },
      signal,
    );
    log.info(`waiting for the device code to be entered at ${new URL(authorization.verification_uri).host}`);
    // openid-client honours `interval` and `slow_down`, and stops at expires_in or when the signal aborts.
    const response = await pollDeviceAuthorizationGrant(config, authorization, undefined, { signal }).catch(
      (error: unknown) => {
        throw toChannelError(error, l10n.t('The device sign-in failed'), signal);
      },
    );
    return { clientId, tokens: toOAuthTokens(response) };
  }
}
