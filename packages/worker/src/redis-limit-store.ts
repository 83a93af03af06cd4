import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SharedAcquireResult, SharedBreakerState, SharedLimitCost, SharedLimitLease, SharedLimitSpec, SharedLimitStore } from '@ucop/agents';
import { ACQUIRE, CANCEL, RELEASE, RENEW, WRITE_BREAKER } from './limit-scripts.ts';
import { connectAndCheck, createRedis } from './redis-connection.ts';

interface LimitCommands {
  ucopLimitAcquire(numKeys: number, ...args: (string | number)[]): Promise<[number, string?, string?, string?]>;
  ucopLimitRenew(leases: string, now: number, ttl: number, id: string): Promise<number>;
  ucopLimitRelease(numKeys: number, ...args: (string | number)[]): Promise<number>;
  ucopLimitCancel(numKeys: number, ...args: string[]): Promise<number>;
  ucopBreakerWrite(key: string, expected: string, state: string, version: number): Promise<number>;
}

/** A lease of this store: it remembers its windows' keys and measures, so release and cancel need no lookup. */
interface RedisLease extends SharedLimitLease {
  readonly windowKeys: readonly string[];
  readonly measures: readonly ('r' | 't')[];
}

/**
 * The shared limits on Redis, for every process of every machine using the same Redis: sliding-window logs
 * per window (requests or tokens), concurrency leases that expire when their holder dies, and the breaker's
 * state under compare-and-set. Each operation is one Lua script (limit-scripts.ts): rate-limiter-flexible
 * counts fixed points per key but has neither leases released by id, nor token costs replaced at release,
 * nor the caller's clock, which this contract needs.
 */
export class RedisLimitStore implements SharedLimitStore {
  readonly #redis: Redis & LimitCommands;
  readonly #prefix: string;
  #owned = false;

  /**
   * A store on its own connection, checked as the workers check theirs (REDIS_UNAVAILABLE,
   * REDIS_CONFIG_REFUSED); `close` closes that connection. What `ucop worker` and `ucop run --executor bullmq`
   * hand to the provider layer's limiter in place of the local sqlite store.
   */
  static async connect(url: string, prefix?: string): Promise<RedisLimitStore> {
    const redis = createRedis(url);
    await connectAndCheck(redis, url);
    const store = new RedisLimitStore(redis, prefix);
    store.#owned = true;
    return store;
  }

  /** @param prefix keys live under `<prefix>:<limit key>`. @default 'ucop:limits' */
  constructor(redis: Redis, prefix = 'ucop:limits') {
    redis.defineCommand('ucopLimitAcquire', { lua: ACQUIRE });
    redis.defineCommand('ucopLimitRenew', { numberOfKeys: 1, lua: RENEW });
    redis.defineCommand('ucopLimitRelease', { lua: RELEASE });
    redis.defineCommand('ucopLimitCancel', { lua: CANCEL });
    redis.defineCommand('ucopBreakerWrite', { numberOfKeys: 1, lua: WRITE_BREAKER });
    this.#redis = redis as Redis & LimitCommands;
    this.#prefix = prefix;
  }

  #leases(key: string): string {
    return `${this.#prefix}:${key}:leases`;
  }

  async tryAcquire(spec: SharedLimitSpec, cost: SharedLimitCost, nowMs: number, leaseTtlMs: number): Promise<SharedAcquireResult> {
    const id = randomUUID();
    const windowKeys = spec.windows.flatMap((_, i) => [`${this.#prefix}:${spec.key}:w${i}`, `${this.#prefix}:${spec.key}:t${i}`]);
    const measures = spec.windows.map((w) => (w.measure === 'tokens' ? 't' : 'r') as 'r' | 't');
    const windowArgs = spec.windows.flatMap((w, i) => [w.limit, w.windowMs, measures[i]!, w.measure === 'tokens' ? (cost.tokens ?? 0) : 1, w.failWhenFull ? 1 : 0, w.name]);
    const keys = [this.#leases(spec.key), ...windowKeys];
    const reply = await this.#redis.ucopLimitAcquire(keys.length, ...keys, nowMs, leaseTtlMs, id, spec.concurrency ?? -1, spec.windows.length, ...windowArgs);
    if (reply[0] === 1) {
      const lease: RedisLease = { id, key: spec.key, windowKeys, measures };
      return { granted: true, lease };
    }
    return { granted: false, retryAtMs: Number(reply[1]), limit: reply[2] ?? 'unknown', failWhenFull: reply[3] === '1' };
  }

  async renew(lease: SharedLimitLease, nowMs: number, leaseTtlMs: number): Promise<boolean> {
    return (await this.#redis.ucopLimitRenew(this.#leases(lease.key), nowMs, leaseTtlMs, lease.id)) === 1;
  }

  async release(lease: SharedLimitLease, nowMs: number, actual?: { tokens?: number }): Promise<void> {
    const { windowKeys, measures } = lease as RedisLease;
    const keys = [this.#leases(lease.key), ...(windowKeys ?? [])];
    await this.#redis.ucopLimitRelease(keys.length, ...keys, nowMs, lease.id, actual?.tokens ?? '', ...(measures ?? []));
  }

  async cancel(lease: SharedLimitLease): Promise<void> {
    const keys = [this.#leases(lease.key), ...((lease as RedisLease).windowKeys ?? [])];
    await this.#redis.ucopLimitCancel(keys.length, ...keys, lease.id);
  }

  async readBreaker(key: string): Promise<SharedBreakerState | undefined> {
    const [version, state] = await this.#redis.hmget(`${this.#prefix}:${key}:breaker`, 'v', 's');
    if (version == null || state == null) return undefined;
    return { ...(JSON.parse(state) as Omit<SharedBreakerState, 'version'>), version: Number(version) };
  }

  /** Writes `state` (its version included) when the stored version is `expectedVersion` (none stored: undefined). */
  async writeBreaker(key: string, state: SharedBreakerState, expectedVersion: number | undefined): Promise<boolean> {
    const { version, ...rest } = state;
    return (await this.#redis.ucopBreakerWrite(`${this.#prefix}:${key}:breaker`, expectedVersion === undefined ? '' : String(expectedVersion), JSON.stringify(rest), version)) === 1;
  }

  /** Closes the connection when the store opened it (`connect`); a connection given to the constructor stays open. */
  async close(): Promise<void> {
    if (this.#owned) await this.#redis.quit().catch(() => undefined);
  }
}
