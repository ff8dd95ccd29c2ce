/**
 * A real Synapse homeserver from PyPI, in a venv under the cache folder, one process per homeserver.
 * Delegated mode (msc3861) points at the bed's OAuth server; classic mode keeps password login.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDir } from './paths.ts';
import { ServerProcess } from './server-process.ts';

/** Last release with `experimental_features.msc3861` (1.157 dropped it for MAS's private protocol). */
export const SYNAPSE_VERSION = '1.156.0';
const SYNAPSE_REQUIREMENT = `matrix-synapse[oidc]==${SYNAPSE_VERSION}`;

export function synapseVenv(): string {
  return join(cacheDir(), `synapse-${SYNAPSE_VERSION}`);
}

/** Creates the venv and installs Synapse when absent; a missing prerequisite is a clear error. */
export function ensureSynapseInstalled(log: (line: string) => void = () => {}): string {
  const venv = synapseVenv();
  const python = join(venv, 'bin', 'python');
  if (existsSync(python) && spawnSync(python, ['-c', 'import synapse.app.homeserver']).status === 0) return python;
  const systemPython = process.env.PYTHON ?? 'python3';
  log(`installing ${SYNAPSE_REQUIREMENT} into ${venv} (first run only)`);
  const venvResult = spawnSync(systemPython, ['-m', 'venv', '--clear', venv], { encoding: 'utf8' });
  if (venvResult.error || venvResult.status !== 0) {
    throw new Error(
      `Cannot create a Python venv with "${systemPython} -m venv" (${venvResult.error?.message ?? venvResult.stderr.trim()}). ` +
        'Install Python 3.10+ with venv support (Debian: apt-get install python3 python3-venv) or set PYTHON.',
    );
  }
  const pip = spawnSync(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', SYNAPSE_REQUIREMENT], {
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  if (pip.status !== 0) {
    throw new Error(`pip could not install ${SYNAPSE_REQUIREMENT} from PyPI:\n${pip.stderr.trim().slice(-2000)}`);
  }
  return python;
}

export interface DelegationSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  adminToken: string;
  accountManagementUrl: string;
}

export interface SynapseOptions {
  name: string;
  port: number;
  dataDir: string;
  python: string;
  delegation?: DelegationSettings;
}

export class SynapseServer {
  readonly baseUrl: string;
  readonly serverName: string;
  /** Classic mode: the shared secret for /_synapse/admin/v1/register. */
  readonly registrationSecret = randomBytes(16).toString('hex');
  readonly logFile: string;
  /**
   * Made once per server, not per start: a restart (`stop()`, then `start()` on the same data dir) keeps the
   * signing key and the macaroon and form secrets, so the database's events and the issued tokens stay valid.
   */
  private readonly keys = {
    signing: `ed25519 a_bed ${randomBytes(32).toString('base64').replace(/=+$/, '')}\n`,
    macaroon: randomBytes(16).toString('hex'),
    form: randomBytes(16).toString('hex'),
  };
  private readonly server: ServerProcess;

  constructor(private readonly options: SynapseOptions) {
    this.baseUrl = `http://127.0.0.1:${options.port}`;
    this.serverName = `localhost:${options.port}`;
    this.logFile = join(options.dataDir, 'synapse.log');
    this.server = new ServerProcess(`Synapse "${options.name}"`, this.logFile);
  }

  get delegated(): boolean {
    return this.options.delegation !== undefined;
  }

  async start(): Promise<void> {
    const { dataDir, python } = this.options;
    await mkdir(join(dataDir, 'media'), { recursive: true });
    const configPath = join(dataDir, 'homeserver.yaml');
    await writeFile(configPath, JSON.stringify(this.config(), null, 2));
    await writeFile(join(dataDir, 'log.yaml'), LOG_CONFIG);
    await writeFile(join(dataDir, 'signing.key'), this.keys.signing);
    await this.server.start(python, ['-m', 'synapse.app.homeserver', '-c', configPath], {
      cwd: dataDir,
      env: { ...process.env, SYNAPSE_ASYNC_IO_REACTOR: '0', PYTHONUNBUFFERED: '1' },
      readyUrl: `${this.baseUrl}/health`,
      timeoutMs: 60_000,
    });
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  private config(): Record<string, unknown> {
    const { dataDir, port, delegation } = this.options;
    const generous = { per_second: 10_000, burst_count: 10_000 };
    return {
      server_name: this.serverName,
      public_baseurl: `${this.baseUrl}/`,
      serve_client_wellknown: true,
      pid_file: join(dataDir, 'homeserver.pid'),
      listeners: [
        {
          port,
          bind_addresses: ['127.0.0.1'],
          type: 'http',
          tls: false,
          x_forwarded: false,
          resources: [{ names: ['client'], compress: false }],
        },
      ],
      database: { name: 'sqlite3', args: { database: join(dataDir, 'homeserver.db') } },
      log_config: join(dataDir, 'log.yaml'),
      media_store_path: join(dataDir, 'media'),
      signing_key_path: join(dataDir, 'signing.key'),
      report_stats: false,
      trusted_key_servers: [],
      suppress_key_server_warning: true,
      federation_domain_whitelist: [],
      macaroon_secret_key: this.keys.macaroon,
      form_secret: this.keys.form,
      enable_registration: false,
      presence: { enabled: false },
      rc_message: generous,
      rc_registration: generous,
      rc_login: { address: generous, account: generous, failed_attempts: generous },
      rc_joins: { local: generous, remote: generous },
      rc_joins_per_room: generous,
      rc_invites: { per_room: generous, per_user: generous, per_issuer: generous },
      rc_admin_redaction: generous,
      rc_room_creation: generous,
      rc_3pid_validation: generous,
      rc_delayed_event_mgmt: generous,
      ...(delegation
        ? {
            experimental_features: {
              msc3861: {
                enabled: true,
                issuer: delegation.issuer,
                client_id: delegation.clientId,
                client_auth_method: 'client_secret_basic',
                client_secret: delegation.clientSecret,
                admin_token: delegation.adminToken,
                account_management_url: delegation.accountManagementUrl,
              },
            },
          }
        : { registration_shared_secret: this.registrationSecret }),
    };
  }
}

const LOG_CONFIG = `version: 1
formatters:
  precise:
    format: '%(asctime)s - %(name)s - %(levelname)s - %(message)s'
handlers:
  console:
    class: logging.StreamHandler
    formatter: precise
loggers:
  synapse.storage.SQL:
    level: WARNING
  synapse.access.http:
    level: INFO
root:
  level: INFO
  handlers: [console]
disable_existing_loggers: false
`;
