import type { Logger, LogLevel } from './logger.ts';
import { redactSecrets, redactString } from '../telemetry/redact.ts';
import { loggerWithLevels } from './logger-levels.ts';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface ConsoleLoggerOptions {
  /** The least severe level written. @default 'info' */
  level?: LogLevel;
  /** Receives each finished line, without a newline. @default writes the line to stderr (stdout is for results) */
  sink?: (line: string) => void;
  /** One JSON object per line (`level`, `time`, `message`, fields) instead of text. @default false */
  json?: boolean;
  /** Fields added to every line, e.g. the run id. @default {} */
  fields?: Record<string, unknown>;
  /** The time source for `time` in JSON lines. @default Date.now */
  now?: () => number;
}

/** A Logger that can make children carrying extra fields (a step's logger from the run's). */
export interface ConsoleLogger extends Logger {
  child(fields: Record<string, unknown>): ConsoleLogger;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function stringify(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    // BigInts or exotic objects: still log something rather than throw from a logger.
    return JSON.stringify(String(value));
  }
}

/**
 * The structured logger of the CLI and the engines. Every message and every field goes through
 * `redactSecrets` before it is formatted, so API keys, bearer tokens and registered secrets never reach
 * the output. Text lines look like `WARN  message key=value`; JSON lines like
 * `{"level":"warn","time":"...","message":"...","key":"value"}`.
 */
export function createLogger(options: ConsoleLoggerOptions = {}): ConsoleLogger {
  const threshold = RANK[options.level ?? 'info'];
  const sink = options.sink ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const json = options.json ?? false;
  const now = options.now ?? Date.now;
  const base = options.fields ?? {};

  const log = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (RANK[level] < threshold) return;
    const safeMessage = redactString(message);
    const safeFields = redactSecrets({ ...base, ...fields });
    if (json) {
      sink(stringify({ level, time: new Date(now()).toISOString(), message: safeMessage, ...safeFields }));
      return;
    }
    const extra = Object.entries(safeFields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => ` ${k}=${formatValue(v)}`)
      .join('');
    sink(`${level.toUpperCase().padEnd(5)} ${safeMessage}${extra}`);
  };

  return { ...loggerWithLevels(log), child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }) };
}
