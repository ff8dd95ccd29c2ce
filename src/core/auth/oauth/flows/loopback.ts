/**
 * Loopback redirect (RFC 8252 §7.3): a one-shot HTTP server on 127.0.0.1 and a random port, registered
 * without a port (MAS then accepts any). It answers the browser with a small page, and closes after the
 * first callback that settles the sign-in, or when the flow is cancelled or times out.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MatrixChannelError } from '../../../errors.ts';
import { l10n } from '../../../l10n.ts';
import { runAuthorizationCodeFlow } from '../authorization-code.ts';
import { PendingAuthorizations } from '../pending.ts';
import { callbackPage } from './pages.ts';
import type { FlowRequest, FlowResult, SignInFlow } from './flow.ts';

export interface LoopbackFlowOptions {
  /** Where the success page sends the browser next, e.g. the editor's own URI to bring it to the front. */
  successRedirect?: () => Promise<string | undefined>;
}

const CALLBACK_PATH = '/callback';

export class LoopbackFlow implements SignInFlow {
  readonly id = 'loopback' as const;
  constructor(private readonly options: LoopbackFlowOptions = {}) {}

  /** The server must run where the browser runs: only a local extension host qualifies. */
  async run(request: FlowRequest): Promise<FlowResult> {
    const pending = new PendingAuthorizations();
    const server = await listen(pending, this.options, request);
    const port = (server.address() as AddressInfo).port;
    request.log.debug(`loopback listener on 127.0.0.1:${port}`);
    try {
      return await runAuthorizationCodeFlow(request, {
        registeredRedirectUris: [`http://127.0.0.1${CALLBACK_PATH}`],
        redirectUri: `http://127.0.0.1:${port}${CALLBACK_PATH}`,
        waitForCallback: (state) => pending.expect(state),
        forget: (state) => pending.cancel(state),
      });
    } finally {
      await close(server);
      request.log.debug('loopback listener closed');
    }
  }
}

async function listen(
  pending: PendingAuthorizations,
  options: LoopbackFlowOptions,
  request: FlowRequest,
): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== CALLBACK_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const outcome = pending.deliver(url);
    void (async () => {
      const next = outcome.status === 'accepted' ? await options.successRedirect?.().catch(() => undefined) : undefined;
      const page =
        outcome.status === 'accepted'
          ? callbackPage(
              l10n.t('Signed in to Matrix'),
              l10n.t('You can close this tab and return to your editor.'),
              next,
            )
          : callbackPage(l10n.t('Sign-in not completed'), outcome.message);
      res
        .writeHead(outcome.status === 'accepted' ? 200 : outcome.httpStatus, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'close',
        })
        .end(page);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new MatrixChannelError(
          'authorization_failed',
          l10n.t({
            message: 'Cannot listen on 127.0.0.1 for the sign-in redirect ({0}).',
            args: [error.message],
            comment: ["{0} is the system's error text, in English"],
          }),
        ),
      ),
    );
    server.listen(0, '127.0.0.1', () => resolve());
  });
  request.signal.addEventListener('abort', () => server.closeAllConnections(), { once: true });
  return server;
}

/** Closes the listener; the last page gets a moment to reach the browser, then every socket is dropped. */
function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), 2_000);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    setImmediate(() => server.closeIdleConnections());
  });
}
