import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { UcopError } from '@ucop/core';

/** Policies that make Redis drop keys under memory pressure: queued jobs and fences would vanish silently. */
const EVICTING_POLICIES = new Set(['allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl']);

/** The URL without its password, for messages and logs. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable Redis URL)';
  }
}

/**
 * A connection for BullMQ and for our own scripts. `maxRetriesPerRequest: null` (BullMQ requires it for
 * blocking connections) makes commands wait through a Redis restart instead of failing: workers and the
 * coordinator reconnect and carry on.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  try {
    new URL(url);
  } catch {
    throw new UcopError('USAGE', `--redis ${describeRedisUrl(url)}: not a URL; give redis://host:port[/db]`, { fields: { url: describeRedisUrl(url) } });
  }
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, retryStrategy: (times) => Math.min(times * 100, 1000), ...options, lazyConnect: true });
  // Connection errors while Redis restarts are expected: ioredis reconnects and the commands wait. They are
  // reported through the commands that fail (and the worker's queue 'error' log), not as unhandled events.
  redis.on('error', () => undefined);
  return redis;
}

/**
 * Connects and checks the server before anything is queued: an unreachable Redis (REDIS_UNAVAILABLE) or one
 * that may evict keys (REDIS_CONFIG_REFUSED: a `maxmemory-policy` other than `noeviction` would silently drop
 * jobs, fences and limit counters) is refused loudly at start, not discovered in the middle of a run.
 */
export async function connectAndCheck(redis: Redis, url: string, timeoutMs = 5000): Promise<void> {
  const where = describeRedisUrl(url);
  const timer = setTimeout(() => redis.disconnect(), timeoutMs);
  // The socket's own error (ECONNREFUSED, ENOTFOUND) says more than the "Connection is closed" that follows.
  let socketError: Error | undefined;
  const onError = (error: Error): void => void (socketError ??= error);
  redis.on('error', onError);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    const reason = (socketError ?? (error as Error)).message;
    throw new UcopError('REDIS_UNAVAILABLE', `Redis at ${where} is unreachable (${reason}); start it or fix --redis / UCOP_REDIS_URL`, { fields: { url: where }, retryable: true, cause: error });
  } finally {
    clearTimeout(timer);
    redis.off('error', onError);
  }
  const policy = await maxmemoryPolicy(redis);
  if (policy !== undefined && EVICTING_POLICIES.has(policy)) {
    redis.disconnect();
    throw new UcopError('REDIS_CONFIG_REFUSED', `Redis at ${where} has maxmemory-policy ${policy}: it may evict queued steps and fences; set \`maxmemory-policy noeviction\``, { fields: { url: where, policy } });
  }
}

async function maxmemoryPolicy(redis: Redis): Promise<string | undefined> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    return reply[1];
  } catch {
    // CONFIG may be disabled (managed Redis): fall back to INFO, which reports the policy too.
    const info = await redis.info('memory');
    return /maxmemory_policy:(\S+)/.exec(info)?.[1];
  }
}
