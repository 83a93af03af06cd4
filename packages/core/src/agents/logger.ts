export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A structured logger. Implementations must redact secrets (see telemetry/redact.ts). */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
