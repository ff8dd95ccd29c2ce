/**
 * The webview's controller: keeps the FormState, turns view events into state transitions and host
 * requests, re-renders, and saves the persistable part of the state (never a secret) with `setState`, so
 * the panel comes back as it was after being hidden (its page is discarded then: retainContextWhenHidden
 * is off).
 */
import type { HostToWebview, PanelInfo, WebviewToHost } from '../src/shared/webviewProtocol.ts';
import { emptyForm } from '../src/shared/channel-form.ts';
import { HostClient, type Answer } from './host-client.ts';
import { DiscoveryScheduler } from './model/discovery-scheduler.ts';
import {
  applyDiscovery,
  applyPanel,
  check,
  edit,
  editSecret,
  finishBusy,
  initialState,
  persistable,
  reopened,
  restore,
  secretsToSend,
  setReplacing,
  startBusy,
  unsavedForm,
  type FormState,
  type PersistedState,
} from './model/form-state.ts';
import { viewModel } from './model/view-model.ts';
import { FormView } from './view/form-view.ts';

export interface WebviewApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: PersistedState): void;
}

/** How long the user may pause typing before the homeserver is looked up. */
const DISCOVERY_DELAY_MS = 600;

export class ChannelApp {
  private state: FormState = initialState(emptyForm());
  private readonly restored: PersistedState | undefined;
  private readonly host: HostClient;
  private readonly view: FormView;
  private readonly discovery: DiscoveryScheduler;
  /** Requests whose answers this page waits for (its own, or adopted from its predecessor). */
  private readonly awaiting = new Set<number>();
  /** The unsaved edits last reported to the host ('' = none), so it is told only of changes. */
  private reportedDraft = '';

  constructor(
    private readonly api: WebviewApi,
    container: HTMLElement,
  ) {
    this.restored = restore(api.getState());
    this.host = new HostClient(
      (message) => api.postMessage(message),
      (panel) => this.onPanel(panel),
    );
    this.view = new FormView({
      edit: (patch, field) => this.update(edit(this.state, patch, field)),
      secret: (field, value) => this.update(editSecret(this.state, field, value)),
      replace: (field, replacing) => this.update(setReplacing(this.state, field, replacing)),
      primary: () => this.submit(viewModel(this.state).primary),
      signInAgain: () =>
        this.submit({ enabled: Boolean(viewModel(this.state).signInAgain?.enabled), request: 'signIn' }),
      cancel: () => {
        if (this.state.busy) this.host.cancel(this.state.busy.requestId);
      },
      pickRooms: () => void this.pickRooms(),
    });
    this.discovery = new DiscoveryScheduler({
      delayMs: DISCOVERY_DELAY_MS,
      setTimer: (callback, ms) => window.setTimeout(callback, ms),
      clearTimer: (handle) => window.clearTimeout(handle as number),
      request: (homeserver) => this.host.request('discover', { homeserver }),
      cancel: (id) => this.host.cancel(id),
      onResult: (homeserver, result) => this.update(applyDiscovery(this.state, homeserver, result)),
    });
    container.replaceChildren(this.view.root);
    window.addEventListener('message', (event: MessageEvent<HostToWebview>) => this.host.receive(event.data));
    this.render();
    this.host.ready();
  }

  private onPanel(panel: PanelInfo): void {
    const first = !this.state.panel;
    const next = applyPanel(this.state, panel, first ? (this.restored ?? reopened(panel)) : undefined);
    // A save or sign-in of this page's predecessor is still running in the host: wait for its answer too.
    if (panel.busy && !this.awaiting.has(panel.busy.requestId))
      this.await(panel.busy.requestId, this.host.adopt(panel.busy.requestId));
    this.update(next);
  }

  /** Joined rooms the person picks in the editor join the room allowlist (each once). */
  private async pickRooms(): Promise<void> {
    const answer = await this.host.request('pickRooms', {}).answer;
    if (!answer.ok) {
      this.update({ ...this.state, status: { kind: 'error', text: answer.error.message } });
      return;
    }
    const known = new Set(this.state.form.roomAllowlist);
    const added = answer.result.roomIds.filter((roomId) => !known.has(roomId));
    if (added.length)
      this.update(edit(this.state, { roomAllowlist: [...this.state.form.roomAllowlist, ...added] }, 'roomAllowlist'));
  }

  private submit(action: { enabled: boolean; request: 'save' | 'signIn' }): void {
    if (!action.enabled || this.state.busy) return;
    const { id, answer } = this.host.request(action.request, {
      form: this.state.form,
      secrets: secretsToSend(this.state),
    });
    this.update(startBusy(this.state, id, action.request));
    this.await(id, answer);
  }

  private await(id: number, answer: Promise<Answer<'save' | 'signIn'>>): void {
    this.awaiting.add(id);
    void answer.then((outcome) => {
      this.awaiting.delete(id);
      if (outcome.ok) {
        this.update(finishBusy(this.state, { ok: true, panel: outcome.result.panel, message: outcome.result.message }));
      } else {
        this.update(finishBusy(this.state, { ok: false, ...outcome.error }));
        if (outcome.error.fields?.length) this.view.focusFirstError(viewModel(this.state));
      }
    });
  }

  private update(next: FormState): void {
    this.state = next;
    const persisted = persistable(next);
    if (persisted) this.api.setState(persisted);
    const draft = unsavedForm(next);
    const reported = draft ? JSON.stringify(draft) : '';
    if (reported !== this.reportedDraft) {
      this.reportedDraft = reported;
      this.host.draft(draft);
    }
    this.render();
    const homeserverOk = !check(next).errors.some((error) => error.field === 'homeserver');
    if (next.panel) this.discovery.update(next.form.homeserver, homeserverOk && !next.panel.removed);
  }

  private render(): void {
    this.view.render(viewModel(this.state), this.state);
  }
}
