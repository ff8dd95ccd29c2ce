/**
 * The test bed: a MAS-like OAuth server, a Synapse delegating auth to it, and a classic password Synapse,
 * all on random loopback ports. `startBed` brings them up; `BedInfo` is what tests get (JSON-serialisable,
 * passed to test processes through the MATRIX_BED environment variable).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createWriteStream } from 'node:fs';
import { DendriteServer, ensureDendriteInstalled } from './dendrite.ts';
import { OAuthServer } from './oauth/server.ts';
import { freePort } from './ports.ts';
import { ensureSynapseInstalled, SynapseServer } from './synapse.ts';

export interface HomeserverInfo {
  baseUrl: string;
  serverName: string;
  logFile: string;
}

export interface BedInfo {
  oauth: {
    issuer: string;
    /** Bearer token for the bed's /_bed routes, and Synapse's admin token on the delegated homeserver. */
    controlToken: string;
    /** The confidential client the delegated homeserver introspects tokens with. */
    introspectionClient: { id: string; secret: string };
    logFile: string;
  };
  /** Synapse delegating auth to the OAuth server (MSC3861). */
  delegated: HomeserverInfo;
  /** Synapse with classic password login; `registrationSecret` creates users. */
  classic: HomeserverInfo & { registrationSecret: string };
  /** Dendrite, a second homeserver implementation, classic too (when the bed was asked for it). */
  dendrite?: HomeserverInfo & { registrationSecret: string };
  logDir: string;
}

export interface DemoUser {
  username: string;
  password: string;
  userId: string;
}

export interface BedOptions {
  logDir: string;
  accessTokenTtl?: number;
  autoApprove?: boolean;
  /** Also run Dendrite (built with Go on first use), for tests that must hold on more than one homeserver. */
  dendrite?: boolean;
  /** Progress lines (never secrets). */
  log?: (line: string) => void;
}

export interface RunningBed {
  info: BedInfo;
  stop(): Promise<void>;
}

/**
 * The OAuth server's address. Not 127.0.0.1 on Linux (where all of 127/8 is loopback): VS Code's web workbench
 * rewrites the URLs of 127.0.0.1/localhost servers it opens (port forwarding) and re-encodes their query on the
 * way, which corrupts an authorization URL's nested redirect_uri. A real authorization server is never on the
 * user's localhost, so the bed's should not look like one either.
 */
export const OAUTH_HOST =
  process.env.MATRIX_BED_OAUTH_HOST ?? (process.platform === 'linux' ? '127.0.0.2' : '127.0.0.1');

export async function startBed(options: BedOptions): Promise<RunningBed> {
  const log = options.log ?? (() => {});
  const python = ensureSynapseInstalled(log);
  const dendriteBin = options.dendrite ? ensureDendriteInstalled(log) : undefined;
  await rm(options.logDir, { recursive: true, force: true });
  await mkdir(options.logDir, { recursive: true });
  const [oauthPort, delegatedPort, classicPort, dendritePort] = await Promise.all([
    freePort(OAUTH_HOST),
    freePort(),
    freePort(),
    freePort(),
  ]);

  const adminToken = `bed_admin_${randomBytes(16).toString('hex')}`;
  const introspectionClient = { id: 'synapse', secret: randomBytes(16).toString('hex') };
  const oauthLogFile = join(options.logDir, 'oauth.log');
  const oauthLog = createWriteStream(oauthLogFile);
  const oauth = new OAuthServer({
    port: oauthPort,
    host: OAUTH_HOST,
    ...(options.accessTokenTtl ? { accessTokenTtl: options.accessTokenTtl } : {}),
    ...(options.autoApprove ? { autoApprove: true } : {}),
    homeserver: { baseUrl: `http://127.0.0.1:${delegatedPort}`, serverName: `localhost:${delegatedPort}`, adminToken },
    introspectionClient,
    controlToken: adminToken,
    log: (line) => oauthLog.write(`${new Date().toISOString()} ${line}\n`),
  });
  await oauth.start();

  const delegated = new SynapseServer({
    name: 'delegated',
    port: delegatedPort,
    dataDir: join(options.logDir, 'synapse-delegated'),
    python,
    delegation: {
      issuer: oauth.issuer,
      clientId: introspectionClient.id,
      clientSecret: introspectionClient.secret,
      adminToken,
      accountManagementUrl: `${oauth.issuer}/account/`,
    },
  });
  const classic = new SynapseServer({
    name: 'classic',
    port: classicPort,
    dataDir: join(options.logDir, 'synapse-classic'),
    python,
  });
  const dendrite = dendriteBin
    ? new DendriteServer({ port: dendritePort, dataDir: join(options.logDir, 'dendrite'), bin: dendriteBin })
    : undefined;
  const stop = async () => {
    await Promise.allSettled([delegated.stop(), classic.stop(), dendrite?.stop(), oauth.stop()]);
    oauthLog.end();
  };
  try {
    await Promise.all([delegated.start(), classic.start(), dendrite?.start()]);
  } catch (error) {
    await stop();
    throw error;
  }
  log(
    `bed up: oauth ${oauth.issuer}, delegated ${delegated.baseUrl}, classic ${classic.baseUrl}` +
      (dendrite ? `, dendrite ${dendrite.baseUrl}` : ''),
  );
  return {
    info: {
      oauth: { issuer: oauth.issuer, controlToken: adminToken, introspectionClient, logFile: oauthLogFile },
      delegated: { baseUrl: delegated.baseUrl, serverName: delegated.serverName, logFile: delegated.logFile },
      classic: {
        baseUrl: classic.baseUrl,
        serverName: classic.serverName,
        logFile: classic.logFile,
        registrationSecret: classic.registrationSecret,
      },
      ...(dendrite
        ? {
            dendrite: {
              baseUrl: dendrite.baseUrl,
              serverName: dendrite.serverName,
              logFile: dendrite.logFile,
              registrationSecret: dendrite.registrationSecret,
            },
          }
        : {}),
      logDir: options.logDir,
    },
    stop,
  };
}
