/**
 * Logging for the core. The host supplies a sink (VS Code's LogOutputChannel, the console in tests); every
 * line passes through a redactor that removes registered secrets and anything shaped like a credential, so
 * a mistake elsewhere cannot put a token in a log; and stays one line, so text from the server cannot forge lines.
 */
import { forLogLine } from './text/untrusted-text.ts';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface LogSink {
  log(level: LogLevel, message: string): void;
}

export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  /** Registers secret values so they are scrubbed from every later line. */
  conceal(...values: Array<string | undefined>): void;
}

/** URL parameters, JSON fields and headers whose values are credentials (or, for OAuth, nearly so). */
const CREDENTIAL_PATTERNS: RegExp[] = [
  // JSON string values, up to the closing quote (a password may contain spaces).
  /("(?:access_token|refresh_token|id_token|device_code|code_verifier|password|client_secret)"\s*:\s*")(?:[^"\\]|\\.)*(?=")/gi,
  /([?&#](?:code|state|code_challenge|code_verifier|access_token|refresh_token|id_token|device_code|user_code|login_token|token)=)[^&#\s"']+/gi,
  /((?:access_token|refresh_token|id_token|device_code|code_verifier|password|client_secret)["']?\s*[=:]\s*["']?)[^"'&\s,}]+/gi,
  /(Bearer\s+)[^\s"',]+/gi,
];

export class Redactor {
  private readonly secrets = new Set<string>();

  add(value: string | undefined): void {
    if (value && value.length >= 6) this.secrets.add(value);
  }

  redact(text: string): string {
    let result = text;
    // Longest first, so a secret that contains another is removed whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length))
      result = result.split(secret).join('[redacted]');
    for (const pattern of CREDENTIAL_PATTERNS) result = result.replace(pattern, '$1[redacted]');
    return result;
  }
}

export function createLogger(sink: LogSink, redactor = new Redactor()): Logger {
  const write = (level: LogLevel, message: string) => sink.log(level, forLogLine(redactor.redact(message)));
  return {
    trace: (m) => write('trace', m),
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m, error) => write('error', error === undefined ? m : `${m}: ${describeError(error)}`),
    conceal: (...values) => values.forEach((value) => redactor.add(value)),
  };
}

export const silentLogger: Logger = createLogger({ log: () => {} });

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Conceals the tokens a session (or token response) holds. */
export function concealTokens(log: Logger, holder: { accessToken?: string; refreshToken?: string | undefined }): void {
  log.conceal(holder.accessToken, holder.refreshToken);
}
