import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UcopError } from '@ucop/core';
import { RunEventHub } from '../events/run-event-hub.ts';
import type { DaemonEvent } from '../events/run-event-hub.ts';
import { RunQueue } from '../queue/run-queue.ts';
import { GatedExecutor } from '../testing/fake-executor.ts';
import { RunPool } from './run-pool.ts';

let dir: string;
let queue: RunQueue;
let executor: GatedExecutor;
let events: RunEventHub;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-pool-'));
  queue = new RunQueue(join(dir, 'queue.db'));
  executor = new GatedExecutor();
  events = new RunEventHub();
});
afterEach(() => {
  queue.close();
  rmSync(dir, { recursive: true, force: true });
});

function enqueue(n: number): string[] {
  return Array.from({ length: n }, () => {
    const { run } = queue.submit({ workflow: 'w', inputs: {} });
    queue.transition(run.id, 'queued');
    return run.id;
  });
}

describe('the run pool', () => {
  it('claims only with a free slot: never more than max running, and every run once', async () => {
    const ids = enqueue(12);
    const pool = new RunPool({ queue, executor, events, runsDir: join(dir, 'runs'), maxConcurrent: 3 });
    pool.fill();
    for (let finished = 0; finished < ids.length; finished++) {
      await executor.startedAtLeast(Math.min(ids.length, finished + 3));
      expect(queue.countsByState().running).toBeLessThanOrEqual(3);
      executor.release(executor.started[finished]!);
    }
    await vi.waitFor(() => expect(queue.countsByState().succeeded).toBe(12));
    expect(executor.peak).toBe(3);
    expect([...executor.started].sort()).toEqual([...ids].sort());
  });

  it('drain: stops claiming, cancels past the deadline and puts the runs back in the queue', async () => {
    const ids = enqueue(3);
    const pool = new RunPool({ queue, executor, events, runsDir: join(dir, 'runs'), maxConcurrent: 2 });
    const seen: DaemonEvent[] = [];
    events.subscribe(ids[0]!, (e) => seen.push(e));
    pool.fill();
    await executor.startedAtLeast(2);
    const putBack = await pool.drain(10);
    expect(putBack.sort()).toEqual(ids.slice(0, 2).sort());
    expect(ids.map((id) => queue.get(id)?.state)).toEqual(['queued', 'queued', 'queued']);
    expect(executor.started).toHaveLength(2);
    expect(seen.at(-1)).toEqual({ kind: 'state', state: 'queued' });
    // The next daemon claims them again.
    expect(queue.claimNext()?.claims).toBe(2);
  });

  it('a cancelled run ends cancelled; an executor that throws ends the run failed with the masked reason', async () => {
    const [a, b] = enqueue(2);
    const failing = new RunPool({
      queue,
      executor: { execute: async (job, hooks) => (job.id === b ? Promise.reject(new Error('boom')) : executor.execute(job, hooks)) },
      events,
      runsDir: join(dir, 'runs'),
      maxConcurrent: 2,
    });
    failing.fill();
    await executor.startedAtLeast(1);
    expect(failing.cancel(a!)).toBe(true);
    await vi.waitFor(() => expect([queue.get(a!)?.state, queue.get(b!)?.state]).toEqual(['cancelled', 'failed']));
    expect(queue.get(b!)?.error).toBe('boom');
  });

  it('an unavailable executor (Redis down): nothing is claimed; an interrupted run goes back to the queue; all resume when it is back', async () => {
    const [a, b] = enqueue(2);
    const pool = new RunPool({ queue, executor, events, runsDir: join(dir, 'runs'), maxConcurrent: 2 });
    pool.fill();
    await executor.startedAtLeast(2);
    executor.setUnavailable(new UcopError('REDIS_UNAVAILABLE', 'Redis is down'));
    const [c] = enqueue(1);
    executor.release(a!, 'failed', 'Redis went away under its steps');
    executor.release(b!, 'succeeded');
    await vi.waitFor(() => expect([queue.get(a!)?.state, queue.get(b!)?.state]).toEqual(['queued', 'succeeded']));
    // Free slots, but nothing is claimed while the executor is unavailable.
    await new Promise((resolve) => setImmediate(resolve));
    expect(executor.started).toHaveLength(2);
    expect(queue.get(c!)?.state).toBe('queued');
    executor.setUnavailable(undefined);
    await executor.startedAtLeast(4);
    expect(executor.started.slice(2).sort()).toEqual([a!, c!].sort());
    expect(queue.get(a!)?.claims).toBe(2);
  });
});
