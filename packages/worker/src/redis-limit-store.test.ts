import { Redis } from 'ioredis';
import { describe } from 'vitest';
import { limitStoreContract } from '../../agents/src/limits/testing/limit-store-contract.ts';
import { RedisLimitStore } from './redis-limit-store.ts';
import { TEST_REDIS_URL, freshName, redisAvailable, removeKeys } from './testing/redis-for-tests.ts';

const available = await redisAvailable();

// A fresh key prefix per test; each open is its own connection, as another worker process has.
async function redisNamespace() {
  const prefix = freshName('limits');
  // A store given its connection does not own it: the namespace closes them.
  const connections: Redis[] = [];
  return {
    open: async () => {
      const redis = new Redis(TEST_REDIS_URL);
      connections.push(redis);
      return new RedisLimitStore(redis, prefix);
    },
    dispose: async () => {
      const redis = new Redis(TEST_REDIS_URL);
      await removeKeys(redis, `${prefix}:*`);
      for (const connection of [redis, ...connections]) connection.disconnect();
    },
  };
}

describe.skipIf(!available)('RedisLimitStore (real Redis)', () => {
  limitStoreContract(redisNamespace);
});
