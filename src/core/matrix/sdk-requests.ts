/**
 * Every request of a matrix-js-sdk client under a deadline of ours. The SDK arms a timer for each request's
 * timeout (`localTimeoutMs`: 30 s by default, up to 110 s for a /sync long poll) and never clears it, so a
 * process keeps running long after the answer came, and a stopped channel is not gone until its last timer
 * fired. Here the SDK gets no timeout of its own: each request gets a deadline that is cleared with its answer.
 *
 * A client can also be closed for good (`closed` aborts): requests in flight are cancelled, new ones are not
 * sent, and none of them answers any more, not even with an error. The SDK does not expect to be stopped while
 * its requests are out: whatever answers later starts work again (a capabilities poll arms its 6-hour timer, a
 * failed start-up request a keep-alive loop) or goes unhandled (a /sync request sent while it was stopping
 * rejects with nobody listening). A request that never answers leaves it nothing to resume, and the pending
 * promises go with the client.
 */
import { requestDeadline } from '../abort.ts';

type Http = import('matrix-js-sdk').MatrixClient['http'];
type RequestArgs = Parameters<Http['requestOtherUrl']>;

export function guardRequests(http: Http, options: { timeoutMs: number; closed?: AbortSignal | undefined }): void {
  const send = http.requestOtherUrl.bind(http);
  const { closed } = options;
  // Every request of the SDK (authedRequest, request, idServerRequest) ends up here.
  http.requestOtherUrl = <T>(...[method, url, body, opts]: RequestArgs): Promise<T> => {
    if (closed?.aborted) return new Promise<T>(() => {});
    const { localTimeoutMs, abortSignal, ...rest } = opts ?? ({} as NonNullable<RequestArgs[3]>);
    const deadline = requestDeadline(localTimeoutMs ?? options.timeoutMs, [abortSignal, closed]);
    return new Promise<T>((resolve, reject) => {
      send<T>(method, url, body, { ...rest, abortSignal: deadline.signal })
        .then(
          (value) => {
            if (!closed?.aborted) resolve(value);
          },
          (error: unknown) => {
            // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the SDK's own rejection, unchanged
            if (!closed?.aborted) reject(error);
          },
        )
        .finally(deadline.dispose);
    });
  };
}
