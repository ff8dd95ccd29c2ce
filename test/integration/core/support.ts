/** Shared pieces for the core engine's integration tests: a person at the browser, and a captured log. */
import { Browser } from '../../bed/browser.ts';
import type { BedInfo } from '../../bed/bed.ts';
import { createLogger, type LogLevel, type Logger } from '../../../src/core/log.ts';
import type { ClientIdentity } from '../../../src/core/auth/oauth/client-identity.ts';
import type { OAuthCapability } from '../../../src/core/discovery/types.ts';

export const identity: ClientIdentity = {
  clientName: 'Matrix Channels (tests)',
  clientUri: 'https://matrix-channels.example.org/',
  logoUri: 'https://matrix-channels.example.org/icon.png',
  tosUri: 'https://matrix-channels.example.org/terms',
  policyUri: 'https://matrix-channels.example.org/privacy',
};

/** Every log line of a test, to search for secrets afterwards. */
export class CapturedLog {
  readonly lines: string[] = [];
  readonly logger: Logger = createLogger({ log: (level: LogLevel, message: string) => this.lines.push(`${level} ${message}`) });

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
export function personAtBrowser(credentials: { username: string; password: string }, action: BrowserAction = 'allow') {
  const visits: Array<Promise<string>> = [];
  const openBrowser = async (url: string): Promise<void> => {
    if (action === 'ignore') return;
    visits.push((async () => {
      const browser = new Browser();
      let page = await browser.navigate(url);
      if (page.body.includes('id="login"')) page = await browser.submit(page, credentials, { formId: 'login' });
      const last = await browser.submit(page, {}, { formId: action === 'deny' ? 'deny' : 'consent' });
      return last.body;
    })());
  };
  return { openBrowser, finished: () => Promise.all(visits) };
}

export async function oauthCapability(bed: BedInfo): Promise<OAuthCapability> {
  const response = await fetch(`${bed.delegated.baseUrl}/_matrix/client/v1/auth_metadata`);
  return { metadata: (await response.json()) as OAuthCapability['metadata'], source: 'stable', scopeForm: 'stable' };
}
