/**
 * A channel panel's host side wired to the real AccountService, with an in-memory settings store and a
 * scripted sign-in engine, for the panel-controller tests. A fresh PanelFixture per test.
 */
import assert from 'node:assert/strict';
import { AccountService, type ChannelConfigStore } from '../../../src/core/account/account-service.ts';
import type { Discovery, SignInEngine, SignInRequest } from '../../../src/core/auth/sign-in-engine.ts';
import { CHANNEL_DEFAULTS, type ChannelConfig } from '../../../src/core/channel/config.ts';
import { isMatrixChannelError, MatrixChannelError } from '../../../src/core/errors.ts';
import { createLogger } from '../../../src/core/log.ts';
import type {
  ChannelForm,
  HostToWebview,
  RequestResponse,
  RequestType,
  SecretInput,
} from '../../../src/shared/webviewProtocol.ts';
import { ChannelPanelController, type PanelTarget } from '../../../src/vscode/channel-panel/panel-controller.ts';

export class MemoryConfigs implements ChannelConfigStore {
  configs: ChannelConfig[] = [];
  readonly upserts: ChannelConfig[] = [];
  list() {
    return structuredClone(this.configs);
  }
  async upsert(config: ChannelConfig) {
    this.upserts.push(structuredClone(config));
    this.configs = [...this.configs.filter((c) => c.id !== config.id), structuredClone(config)];
  }
  async remove(id: string) {
    this.configs = this.configs.filter((c) => c.id !== id);
  }
}

/** The engine as the panel needs it: discovery and sign-in scripted per test, sessions that always verify. */
export class ScriptedEngine {
  readonly signIns: SignInRequest[] = [];
  /** 'wait': the sign-in runs until it is aborted (a user who never finishes in the browser). */
  signInBehaviour: 'succeed' | 'wait' | 'fail' = 'succeed';
  readonly discoveries: Array<{ input: string; signal: AbortSignal }> = [];
  discoverWith: (input: string, signal: AbortSignal) => Promise<Discovery> = async (input) =>
    discovery(input, true, false);

  discover(input: string, signal: AbortSignal) {
    this.discoveries.push({ input, signal });
    return this.discoverWith(input, signal);
  }

  async signIn(request: SignInRequest) {
    this.signIns.push(request);
    if (this.signInBehaviour === 'wait') {
      await new Promise((_, reject) =>
        request.signal!.addEventListener(
          'abort',
          () => reject(new MatrixChannelError('cancelled', 'Signing in was cancelled.')),
          { once: true },
        ),
      );
    }
    if (this.signInBehaviour === 'fail')
      throw new MatrixChannelError('invalid_credentials', 'The homeserver refused the password.');
    const mode = request.config.authMode ?? 'oidc';
    return {
      session: {
        homeserver: 'https://hs.example.org',
        userId: request.config.userId ?? '@alice:example.org',
        deviceId: 'DEVICE1',
        authMode: mode,
        accessToken: 'secret-access-token',
      },
      mode,
    };
  }

  manage(_id: string, session: unknown) {
    return {
      session,
      endedReason: undefined,
      fetch: async () => new Response('{}', { status: 200 }),
      refresh: () => Promise.reject(new Error('no newer tokens')),
      follow() {},
      dispose() {},
    };
  }

  async restore() {
    return undefined;
  }
  async signOut() {
    return { revoked: true };
  }
}

export function discovery(input: string, oauth: boolean, password: boolean): Discovery {
  return {
    homeserver: { baseUrl: `https://${input}`, versions: ['v1.15'] },
    capabilities: {
      password,
      sso: false,
      oauthAwarePreferred: false,
      ...(oauth ? { oauth: { metadata: {} as never, source: 'stable', scopeForm: 'stable' } } : {}),
    },
  };
}

export class PanelFixture {
  readonly configs = new MemoryConfigs();
  readonly engine = new ScriptedEngine();
  readonly accounts = new AccountService({
    configs: this.configs,
    engine: async () => this.engine as unknown as SignInEngine,
    log: createLogger({ log: () => {} }),
  });
  readonly logLines: string[] = [];
  /** The accounts whose rooms the person was asked to pick from. */
  readonly roomPicks: string[] = [];
  /** Listeners the controllers hold on the accounts right now. */
  listeners = 0;

  /** A controller for `target`, with everything it sends captured. */
  harness(target: PanelTarget) {
    const posted: HostToWebview[] = [];
    const titles: string[] = [];
    const { accounts } = this;
    const log = createLogger({ log: (level, message) => this.logLines.push(`${level}: ${message}`) });
    const controller = new ChannelPanelController(
      {
        accounts: {
          account: (id) => accounts.account(id),
          session: (id) => accounts.session(id),
          onDidChange: (listener) => {
            this.listeners++;
            const subscription = accounts.onDidChange(listener);
            return {
              dispose: () => {
                this.listeners--;
                subscription.dispose();
              },
            };
          },
        },
        configs: this.configs,
        discover: (input, signal) => this.engine.discover(input, signal),
        // What SignInUi does: AccountService.signIn with the signal, a cancellation as undefined.
        signIn: (config, secrets, signal) =>
          accounts.signIn(config, secrets, { signal }).catch((error: unknown) => {
            if (isMatrixChannelError(error, 'cancelled')) return undefined;
            throw error;
          }),
        newChannelId: () => 'ch-new',
        pickRooms: (accountId) => {
          this.roomPicks.push(accountId);
          return Promise.resolve(['!picked:example.org']);
        },
        log,
      },
      { post: (message) => posted.push(message), setTitle: (title) => titles.push(title) },
      target,
    );
    /** The answer to request `id` (typed as the answer to a request of type T). */
    const response = <T extends RequestType = 'save'>(id: number) =>
      posted.find((m) => m.kind === 'response' && m.id === id) as RequestResponse<T> | undefined;
    const panels = () => posted.filter((m) => m.kind === 'notification').map((m) => m.params.panel);
    return { controller, posted, titles, response, panels };
  }

  /** A saved password channel with a live session. */
  async savedChannel(patch: Partial<ChannelConfig> = {}): Promise<ChannelConfig> {
    const config: ChannelConfig = {
      ...CHANNEL_DEFAULTS,
      roomAllowlist: [],
      userAllowlist: [],
      id: 'ch-1',
      homeserver: 'hs.example.org',
      authMode: 'password',
      userId: '@alice:example.org',
      label: 'Work',
      ...patch,
    };
    await this.accounts.signIn(config, { password: 'old-password' });
    this.engine.signIns.length = 0;
    this.configs.upserts.length = 0;
    return this.configs.list()[0]!;
  }
}

export const request = (id: number, type: 'save' | 'signIn', form: ChannelForm, secrets: SecretInput = {}) => ({
  kind: 'request',
  id,
  type,
  params: { form, secrets },
});

export async function until(what: string, probe: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !probe(); i++) await new Promise((resolve) => setImmediate(resolve));
  assert.ok(probe(), `timed out waiting for ${what}`);
}
