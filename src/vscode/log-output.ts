/** The core's logger on top of the "Matrix" LogOutputChannel (levels, and the redactor in between). */
import type * as vscode from 'vscode';
import { createLogger, type LogLevel, type Logger } from '../core/log.ts';

export function outputLogger(channel: vscode.LogOutputChannel): Logger {
  const write: Record<LogLevel, (message: string) => void> = {
    trace: (m) => channel.trace(m),
    debug: (m) => channel.debug(m),
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m) => channel.error(m),
  };
  return createLogger({ log: (level, message) => write[level](message) });
}
