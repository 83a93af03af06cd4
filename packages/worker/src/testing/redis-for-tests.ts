import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env['UCOP_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * Whether the test Redis answers. Tests that need it skip on a developer machine without Redis, and FAIL in
 * CI (`CI` set): there a missing Redis is a broken pipeline, not a reason to pass.
 */
export async function redisAvailable(url = TEST_REDIS_URL): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    if (process.env['CI']) throw new Error(`Redis is required in CI for these tests and ${url} does not answer (.ci/run starts one)`);
    return false;
  } finally {
    redis.disconnect();
  }
}

/** A fresh name per test, so that tests never see each other's keys. */
export function freshName(kind: string): string {
  return `test-${kind}-${randomUUID().slice(0, 8)}`;
}

/** Removes every key under `pattern` (the test's own keys). */
export async function removeKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
