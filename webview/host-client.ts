/**
 * The webview's end of the protocol: typed requests with ids (each answered once), cancellation, and the
 * host's `panel` notifications. DOM-free apart from what the caller passes in, so it runs in Node tests.
 */
import type {
  ChannelForm,
  HostToWebview,
  PanelInfo,
  ProtocolError,
  RequestType,
  Requests,
  WebviewRequest,
  WebviewToHost,
} from '../src/shared/webviewProtocol.ts';

export type Answer<T extends RequestType> =
  { ok: true; result: Requests[T]['result'] } | { ok: false; error: ProtocolError };

export interface PendingRequest<T extends RequestType> {
  id: number;
  answer: Promise<Answer<T>>;
}

export class HostClient {
  /**
   * A webview that was hidden and re-created starts again from scratch while the host may still run a
   * request of its predecessor; starting the ids at random keeps the two apart.
   */
  private nextId = 1 + Math.floor(Math.random() * 1_000_000_000);
  private readonly waiting = new Map<number, (answer: Answer<RequestType>) => void>();

  constructor(
    private readonly post: (message: WebviewToHost) => void,
    private readonly onPanel: (panel: PanelInfo) => void,
  ) {}

  request<T extends RequestType>(type: T, params: Requests[T]['params']): PendingRequest<T> {
    const id = this.nextId++;
    const answer = this.adopt<T>(id);
    this.post({ kind: 'request', id, type, params } as WebviewRequest);
    return { id, answer };
  }

  /** The answer to a request this webview did not make itself (its predecessor did; the host still runs it). */
  adopt<T extends RequestType>(id: number): Promise<Answer<T>> {
    return new Promise<Answer<T>>((resolve) => this.waiting.set(id, resolve));
  }

  cancel(requestId: number): void {
    this.post({ kind: 'notification', type: 'cancel', params: { requestId } });
  }

  /** The form's unsaved edits (never secrets), or none once it matches the saved channel. */
  draft(form: ChannelForm | undefined): void {
    this.post({ kind: 'notification', type: 'draft', params: form ? { form } : {} });
  }

  ready(): void {
    this.post({ kind: 'notification', type: 'ready', params: {} });
  }

  /** Handles one message from the host (the page's `message` events). */
  receive(message: HostToWebview): void {
    if (message.kind === 'notification') {
      if (message.type === 'panel') this.onPanel(message.params.panel);
      return;
    }
    const resolve = this.waiting.get(message.id);
    if (!resolve) return; // answer to a request nobody waits for any more
    this.waiting.delete(message.id);
    resolve(message.ok ? { ok: true, result: message.result } : { ok: false, error: message.error });
  }
}
