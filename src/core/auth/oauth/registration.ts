/** Dynamic client registration (RFC 7591) at the start of each authorization flow, as MAS expects. */
import { isMatrixChannelError, MatrixChannelError, retryAfterOf } from '../../errors.ts';
import { requestJson } from '../../http.ts';
import { l10n } from '../../l10n.ts';
import type { Logger } from '../../log.ts';
import type { AuthMetadata } from '../../discovery/types.ts';
import { serverTrouble } from './oauth-errors.ts';

export interface RegisteredClient {
  clientId: string;
}

export async function registerClient(
  metadata: AuthMetadata,
  clientMetadata: Record<string, unknown>,
  options: { signal?: AbortSignal; log: Logger },
): Promise<RegisteredClient> {
  const endpoint = metadata.registration_endpoint;
  if (!endpoint) {
    throw new MatrixChannelError(
      'registration_refused',
      l10n.t({
        message: '{0} does not allow clients to register.',
        args: [new URL(metadata.issuer).host],
        comment: ['{0} is the host name of the sign-in server, such as auth.example.org'],
      }),
    );
  }
  const response = await requestJson<{ client_id?: string; error?: string; error_description?: string }>(endpoint, {
    method: 'POST',
    body: clientMetadata,
    ...(options.signal ? { signal: options.signal } : {}),
  }).catch((error: unknown) => {
    // An error page instead of JSON: a server in trouble says so, rather than "an unexpected answer".
    const status = isMatrixChannelError(error, 'unexpected_response') ? Number(error.code) : NaN;
    throw serverTrouble(status, l10n.t('Client registration failed'), { cause: error }) ?? error;
  });
  if ((response.status === 201 || response.status === 200) && typeof response.body.client_id === 'string') {
    options.log.debug(`registered OAuth client ${response.body.client_id} at ${new URL(endpoint).host}`);
    return { clientId: response.body.client_id };
  }
  const { error, error_description: description } = response.body;
  const trouble = serverTrouble(response.status, l10n.t('Client registration failed'), retryAfterOf(response.headers));
  if (trouble) throw trouble;
  throw new MatrixChannelError(
    'registration_refused',
    description
      ? l10n.t({
          message: 'The sign-in server refused to register this client: {0}.',
          args: [description],
          comment: ["{0} is the server's description of the refusal, in its words"],
        })
      : error
        ? l10n.t({
            message: 'The sign-in server refused to register this client ({0}).',
            args: [error],
            comment: ["{0} is the server's error code, such as invalid_redirect_uri"],
          })
        : l10n.t('The sign-in server refused to register this client.'),
    { code: error ?? String(response.status) },
  );
}
