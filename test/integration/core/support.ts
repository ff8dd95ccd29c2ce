/** Shared pieces for the core engine's integration tests: a person at the browser, and a captured log. */
import type { ChannelConfigStore } from '../../../src/core/account/account-service.ts';
import type { ChannelConfig } from '../../../src/core/channel/config.ts';
import { Browser } from '../../bed/browser.ts';
import type { BedInfo } from '../../bed/bed.ts';
import { createLogger, type LogLevel, type Logger } from '../../../src/core/log.ts';
import type { ClientIdentity } from '../../../src/core/auth/oauth/client-identity.ts';
import type { OAuthCapability } from '../../../src/core/discovery/types.ts';

/**
 * The OAuth server reuses the client of a registration with identical metadata (as MAS does): a name of its own per
 * test process keeps the request counts and outages of test files that run side by side apart.
 */
export const identity: ClientIdentity = {
  clientName: `Matrix Channels (tests ${process.pid})`,
  clientUri: 'https://matrix-channels.example.org/',
  logoUri: 'https://matrix-channels.example.org/icon.png',
  tosUri: 'https://matrix-channels.example.org/terms',
  policyUri: 'https://matrix-channels.example.org/privacy',
};

/** Every log line of a test, to search for secrets afterwards. */
export class CapturedLog {
  readonly lines: string[] = [];
  readonly logger: Logger = createLogger({
    log: (level: LogLevel, message: string) => this.lines.push(`${level} ${message}`),
  });

  assertFree(secrets: Array<string | undefined>): void {
    const text = this.lines.join('\n');
    for (const secret of secrets) {
      if (secret && text.includes(secret)) throw new Error('a secret appeared in the log');
    }
  }
}

export type BrowserAction = 'allow' | 'deny' | 'ignore';

/**
 * A person at the browser: opens the authorization URL, signs in, and allows (or denies) access; the final
 * redirect is followed to wherever it points (the loopback listener). Resolves when the page is done.
 */
export function personAtBrowser(
  credentials: { username: string; password: string },
  action: BrowserAction = 'allow',
  /** Receives redirects to non-http URIs (a private-use scheme), as the operating system would. */
  onAppRedirect?: (url: URL) => void,
) {
  const visits: Array<Promise<string>> = [];
  const opened: string[] = [];
  const stopAt = (target: URL) => !target.protocol.startsWith('http');
  const openBrowser = async (url: string): Promise<void> => {
    opened.push(url);
    if (action === 'ignore') return;
    visits.push(
      (async () => {
        const browser = new Browser();
        let page = await browser.navigate(url);
        if (page.body.includes('id="login"')) page = await browser.submit(page, credentials, { formId: 'login' });
        const last = await browser.submit(page, {}, { formId: action === 'deny' ? 'deny' : 'consent', stopAt });
        if (last.location) onAppRedirect?.(new URL(last.location));
        return last.body;
      })(),
    );
  };
  return { openBrowser, opened, finished: () => Promise.all(visits) };
}

/** The redirect_uri of an authorization URL (where the loopback listener waits). */
export function redirectUriOf(authorizationUrl: string): URL {
  return new URL(new URL(authorizationUrl).searchParams.get('redirect_uri') ?? '');
}

/** Open TCP servers and timers of this process, to prove a flow left none behind. */
export function handleCounts(): { servers: number; timers: number } {
  const resources = process.getActiveResourcesInfo();
  return {
    servers: resources.filter((r) => r === 'TCPServerWrap').length,
    timers: resources.filter((r) => r === 'Timeout').length,
  };
}

/** Settings stand-in: the channel configurations, in memory (never what these tests examine). */
export class MemoryConfigs implements ChannelConfigStore {
  configs: ChannelConfig[] = [];
  list() {
    return this.configs;
  }
  async upsert(config: ChannelConfig) {
    this.configs = [...this.configs.filter((c) => c.id !== config.id), config];
  }
  async remove(id: string) {
    this.configs = this.configs.filter((c) => c.id !== id);
  }
}

/** A SecretStore in memory (the VS Code glue uses SecretStorage), with its contents inspectable. */
export class MemorySecrets {
  readonly values = new Map<string, string>();
  async get(key: string) {
    return this.values.get(key);
  }
  async store(key: string, value: string) {
    this.values.set(key, value);
  }
  async delete(key: string) {
    this.values.delete(key);
  }
}

export async function oauthCapability(bed: BedInfo): Promise<OAuthCapability> {
  const response = await fetch(`${bed.delegated.baseUrl}/_matrix/client/v1/auth_metadata`);
  return { metadata: (await response.json()) as OAuthCapability['metadata'], source: 'stable', scopeForm: 'stable' };
}
