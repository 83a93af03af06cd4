import type { Logger, LogLevel } from '../agents/logger.ts';
import { redactSecrets, redactString } from '../telemetry/redact.ts';
import { silentLogger } from './scoped-logger.ts';
import { loggerWithLevels } from '../agents/logger-levels.ts';

/**
 * `base` with every message and field masked (registered secrets, bearer tokens, `sk-` keys, secret-named
 * fields) before it gets them: the logs side of the boundary where agent data enters the engine, so a run's
 * logger never sees a key whatever its own implementation does. The silent logger stays as it is.
 */
export function redactingLogger(base: Logger): Logger {
  if (base === silentLogger) return base;
  const log = (level: LogLevel, message: string, fields?: Record<string, unknown>): void =>
    base.log(level, redactString(message), fields === undefined ? undefined : redactSecrets(fields));
  return loggerWithLevels(log);
}
