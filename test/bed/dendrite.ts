/**
 * A second homeserver implementation for the bed: Dendrite, built from source with Go (through the Go module
 * proxy) into the cache folder once, SQLite, one process. It runs with password login and shared-secret
 * registration (the same endpoint as Synapse's), so the classic-homeserver helpers work against it unchanged.
 * Its limits (as of 0.13.8): it counts a local invite twice, reports highlight_count 0, lacks the intentional-
 * mention push rules (it claims spec v1.2 only), and pushes count changes late; tests keep exact counts to Synapse.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDir } from './paths.ts';
import {
  DENDRITE_COMMANDS,
  DENDRITE_VERSION,
  dendriteBin as dendriteBinIn,
  describeGoFound,
  GO_MINOR_NEEDED,
  isDendriteBuilt,
  probeGo,
  usableGo,
} from './dendrite-build.mjs';
import { ServerProcess } from './server-process.ts';

export { DENDRITE_VERSION };
const MODULE = 'github.com/matrix-org/dendrite';

export function dendriteBin(): string {
  return dendriteBinIn(cacheDir());
}

/**
 * Builds Dendrite's commands into the cache when absent; a missing prerequisite is a clear error. The go is GO's,
 * or `go` on PATH, or Debian's newest /usr/lib/go-1.NN (scripts/prerequisites.mjs checks all this up front).
 */
export function ensureDendriteInstalled(log: (line: string) => void = () => {}): string {
  const bin = dendriteBin();
  if (isDendriteBuilt(cacheDir())) return bin;
  const found = probeGo();
  const go = usableGo(found);
  if (!go?.version) {
    throw new Error(
      `Building Dendrite ${DENDRITE_VERSION} (the test bed's second homeserver) needs Go 1.${GO_MINOR_NEEDED} or newer ` +
        `and a C compiler; found ${describeGoFound(found)}. ` +
        'Install Go from https://go.dev/doc/install (or set GO to its go binary), then run this again.',
    );
  }
  log(`building Dendrite ${DENDRITE_VERSION} with ${go.version} into ${bin} (first run only, a few minutes)`);
  const build = spawnSync(
    go.path,
    ['install', ...DENDRITE_COMMANDS.map((command) => `${MODULE}/cmd/${command}@v${DENDRITE_VERSION}`)],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, GOBIN: bin, CGO_ENABLED: '1', GOFLAGS: '-mod=mod' },
    },
  );
  if (build.status !== 0) {
    throw new Error(`go install of Dendrite ${DENDRITE_VERSION} failed:\n${build.stderr.trim().slice(-2000)}`);
  }
  return bin;
}

export interface DendriteOptions {
  port: number;
  dataDir: string;
  bin: string;
}

export class DendriteServer {
  readonly baseUrl: string;
  readonly serverName: string;
  /** The shared secret for /_synapse/admin/v1/register (Dendrite serves Synapse's endpoint). */
  readonly registrationSecret = randomBytes(16).toString('hex');
  readonly logFile: string;
  private readonly server: ServerProcess;

  constructor(private readonly options: DendriteOptions) {
    this.baseUrl = `http://127.0.0.1:${options.port}`;
    this.serverName = `localhost:${options.port}`;
    this.logFile = join(options.dataDir, 'dendrite.log');
    this.server = new ServerProcess('Dendrite', this.logFile);
  }

  async start(): Promise<void> {
    const { dataDir, bin, port } = this.options;
    await mkdir(dataDir, { recursive: true });
    const configPath = join(dataDir, 'dendrite.yaml');
    if (!existsSync(configPath)) await this.writeConfig(configPath);
    // Dendrite has no /health: the client API answering is the sign.
    await this.server.start(
      join(bin, 'dendrite'),
      ['--config', configPath, '--http-bind-address', `127.0.0.1:${port}`],
      {
        cwd: dataDir,
        readyUrl: `${this.baseUrl}/_matrix/client/versions`,
        timeoutMs: 30_000,
      },
    );
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Dendrite's CI configuration (SQLite, in-memory queues, no rate limits), closed to federation and sign-up. */
  private async writeConfig(configPath: string): Promise<void> {
    const { dataDir, bin } = this.options;
    const keys = spawnSync(join(bin, 'generate-keys'), ['--private-key', join(dataDir, 'matrix_key.pem')], {
      encoding: 'utf8',
    });
    if (keys.status !== 0) throw new Error(`generate-keys failed: ${keys.stderr}`);
    const generated = spawnSync(join(bin, 'generate-config'), ['-ci', '-dir', dataDir, '-server', this.serverName], {
      encoding: 'utf8',
    });
    if (generated.status !== 0) throw new Error(`generate-config failed: ${generated.stderr}`);
    const config = replaceAll(generated.stdout, [
      ['  private_key: matrix_key.pem', `  private_key: ${join(dataDir, 'matrix_key.pem')}`],
      ['  disable_federation: false', '  disable_federation: true'],
      ['  registration_disabled: false', '  registration_disabled: true'],
      ['  registration_shared_secret: complement', `  registration_shared_secret: ${this.registrationSecret}`],
    ]);
    await writeFile(configPath, config);
  }
}

/** Each `[from, to]` must match exactly once: a changed template is an error here, not a silently open server. */
function replaceAll(text: string, replacements: Array<[string, string]>): string {
  return replacements.reduce((result, [from, to]) => {
    if (result.split(from).length !== 2) throw new Error(`Dendrite's generated config lacks "${from}"`);
    return result.replace(from, to);
  }, text);
}
