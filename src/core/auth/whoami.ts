/**
 * `/whoami` with a token: who it belongs to (and which device), or a clear refusal. A direct request under a
 * deadline that goes with it, rather than a matrix-js-sdk client, whose request timer outlives the call by 30 s.
 */
import { failedWithCode, MatrixChannelError } from '../errors.ts';
import { requestJson } from '../http.ts';
import { l10n } from '../l10n.ts';
import { delayAsked, rateLimitedError } from '../rate-limit.ts';

export interface Identity {
  userId: string;
  deviceId?: string;
}

export async function whoami(baseUrl: string, accessToken: string): Promise<Identity> {
  const url = new URL('_matrix/client/v3/account/whoami', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  const { status, body, headers } = await requestJson<{ user_id?: unknown; device_id?: unknown; errcode?: unknown }>(
    url,
    {
      headers: { authorization: `Bearer ${accessToken}` },
    },
  );
  const errcode = typeof body.errcode === 'string' ? body.errcode : String(status);
  if (status === 200 && typeof body.user_id === 'string') {
    return { userId: body.user_id, ...(typeof body.device_id === 'string' ? { deviceId: body.device_id } : {}) };
  }
  if (status === 401 || status === 403) {
    throw new MatrixChannelError(
      'invalid_credentials',
      l10n.t({
        message: 'The homeserver did not accept this access token ({0}).',
        args: [errcode],
        comment: ["{0} is the server's error code, such as M_FORBIDDEN or invalid_grant, or its HTTP status number"],
      }),
      {
        code: errcode,
      },
    );
  }
  if (status === 429) throw rateLimitedError(l10n.t('Checking the access token failed'), delayAsked(headers, body));
  if (status >= 500) {
    throw new MatrixChannelError(
      'server_error',
      l10n.t({
        message: 'Checking the access token failed on the homeserver (HTTP {0}).',
        args: [status],
        comment: ['{0} is an HTTP status number, such as 502'],
      }),
      {
        code: errcode,
      },
    );
  }
  throw new MatrixChannelError(
    'unexpected_response',
    failedWithCode(l10n.t('Checking the access token failed'), errcode),
    { code: errcode },
  );
}
