import type { Logger, LogLevel } from './logger.ts';

/** A {@link Logger} whose level methods (`debug`, `info`, `warn`, `error`) all go through one `log` function. */
export function loggerWithLevels(log: (level: LogLevel, message: string, fields?: Record<string, unknown>) => void): Logger {
  return {
    log,
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
  };
}
