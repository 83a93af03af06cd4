import type { Logger, LogLevel } from '../agents/logger.ts';
import { loggerWithLevels } from '../agents/logger-levels.ts';

/** A logger that drops everything: the default when a run is given none. */
export const silentLogger: Logger = {
  log() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/**
 * A logger that adds `fields` (step, item, attempt) to every entry of `base`. The silent logger stays
 * silent without allocating, so runs that do not log pay nothing per step.
 */
export function scopedLogger(base: Logger, fields: Record<string, unknown>): Logger {
  if (base === silentLogger) return base;
  const log = (level: LogLevel, message: string, extra?: Record<string, unknown>): void => base.log(level, message, extra ? { ...fields, ...extra } : fields);
  return loggerWithLevels(log);
}
