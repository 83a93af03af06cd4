import type { Redis } from 'ioredis';
import type { QueueNames } from './queue-names.ts';
import { fenceKey, resultKey, resultsChannel } from './queue-names.ts';

/*
 * Exactly-once commit on top of BullMQ's at-least-once delivery. Every delivery of a job (a stalled job is
 * delivered again to another worker) claims a new fencing token; a worker's result is stored only if its
 * token is still the job's current one and no result was stored yet; the coordinator takes the result and
 * closes the fence in one step, after which nothing can be stored for that job. A late answer from a worker
 * presumed dead carries an old token and is refused here, in Redis, atomically.
 */

/** KEYS: fence, result. ARGV: ttl ms. Returns the new token, or 0 when the job is closed or already answered. */
const CLAIM = `
local f = redis.call('GET', KEYS[1])
if f == 'closed' then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local t = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return t`;

/**
 * KEYS: fence, result. ARGV: token, payload, ttl ms, results channel, job id. Returns 1 when stored (and
 * announced on the channel, so the coordinator need not wait for BullMQ's completion event), 0 when the
 * token is stale.
 */
const COMMIT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1`;

/** KEYS: fence, result. ARGV: ttl ms. Returns the stored result (or nil) and closes the fence when it was there. */
const TAKE = `
local r = redis.call('GET', KEYS[2])
if r then
  redis.call('SET', KEYS[1], 'closed', 'PX', ARGV[1])
  redis.call('DEL', KEYS[2])
end
return r`;

/** KEYS: fence, result. ARGV: ttl ms. Closes the fence whatever it held; a stored result is dropped. */
const CLOSE = `
redis.call('SET', KEYS[1], 'closed', 'PX', ARGV[1])
redis.call('DEL', KEYS[2])
return 1`;

/** How long fences and unread results live: long enough for any coordinator to read them. */
export const FENCE_TTL_MS = 24 * 60 * 60 * 1000;

interface FenceCommands {
  ucopClaim(fence: string, result: string, ttl: number): Promise<number>;
  ucopCommit(fence: string, result: string, token: number, payload: string, ttl: number, channel: string, jobId: string): Promise<number>;
  ucopTake(fence: string, result: string, ttl: number): Promise<string | null>;
  ucopClose(fence: string, result: string, ttl: number): Promise<number>;
}

/** The four fence operations on one connection (scripts loaded once, then run by their hash). */
export class Fences {
  readonly #redis: Redis & FenceCommands;
  readonly #names: QueueNames;

  constructor(redis: Redis, names: QueueNames) {
    redis.defineCommand('ucopClaim', { numberOfKeys: 2, lua: CLAIM });
    redis.defineCommand('ucopCommit', { numberOfKeys: 2, lua: COMMIT });
    redis.defineCommand('ucopTake', { numberOfKeys: 2, lua: TAKE });
    redis.defineCommand('ucopClose', { numberOfKeys: 2, lua: CLOSE });
    this.#redis = redis as Redis & FenceCommands;
    this.#names = names;
  }

  /** A new token for this delivery, or 0: do not run (cancelled, or answered by another delivery). */
  claim(jobId: string): Promise<number> {
    return this.#redis.ucopClaim(fenceKey(this.#names, jobId), resultKey(this.#names, jobId), FENCE_TTL_MS);
  }

  /** Whether the result was stored (false: a newer delivery owns the job, or it is closed). */
  async commit(jobId: string, token: number, payload: string): Promise<boolean> {
    return (await this.#redis.ucopCommit(fenceKey(this.#names, jobId), resultKey(this.#names, jobId), token, payload, FENCE_TTL_MS, resultsChannel(this.#names), jobId)) === 1;
  }

  /** The committed result, if any; taking it closes the job for good. */
  take(jobId: string): Promise<string | null> {
    return this.#redis.ucopTake(fenceKey(this.#names, jobId), resultKey(this.#names, jobId), FENCE_TTL_MS);
  }

  /** No result of this job will ever be stored (cancelled or timed out on the coordinator). */
  async close(jobId: string): Promise<void> {
    await this.#redis.ucopClose(fenceKey(this.#names, jobId), resultKey(this.#names, jobId), FENCE_TTL_MS);
  }
}
