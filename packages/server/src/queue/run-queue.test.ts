import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunQueue } from './run-queue.ts';

let dir: string;
let now: number;
let queue: RunQueue;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ucop-queue-'));
  now = 1_000_000;
  queue = new RunQueue(join(dir, 'queue.db'), { now: () => now });
});
afterEach(() => {
  queue.close();
  rmSync(dir, { recursive: true, force: true });
});

function queued(workflow = 'w', extra: { priority?: number; idempotencyKey?: string } = {}): string {
  const { run } = queue.submit({ workflow, inputs: { a: 1 }, ...extra });
  expect(queue.transition(run.id, 'queued')?.state).toBe('queued');
  return run.id;
}

describe('the run queue', () => {
  it('is a WAL database that survives reopening', () => {
    const id = queued();
    queue.close();
    queue = new RunQueue(join(dir, 'queue.db'));
    expect(queue.get(id)?.state).toBe('queued');
  });

  it('claims by priority, then in submission order, each run once', () => {
    const low = queued('w', { priority: 0 });
    const high = queued('w', { priority: 5 });
    const low2 = queued('w', { priority: 0 });
    expect([queue.claimNext()?.id, queue.claimNext()?.id, queue.claimNext()?.id]).toEqual([high, low, low2]);
    expect(queue.claimNext()).toBeUndefined();
    expect(queue.get(high)).toMatchObject({ state: 'running', claims: 1, startedAt: now });
  });

  it('refuses transitions the state machine does not allow (a finished run is never claimed again)', () => {
    const id = queued();
    queue.claimNext();
    expect(queue.transition(id, 'succeeded')?.finishedAt).toBe(now);
    expect(queue.transition(id, 'running')).toBeUndefined();
    expect(queue.transition(id, 'cancelled')).toBeUndefined();
    expect(queue.claimNext()).toBeUndefined();
    expect(queue.get(id)?.state).toBe('succeeded');
  });

  it('gives the same run for the same idempotency key, also after it finished; another workflow under the key is a conflict', () => {
    const first = queue.submit({ workflow: 'w', inputs: {}, idempotencyKey: 'k' });
    expect(first.created).toBe(true);
    queue.transition(first.run.id, 'queued');
    queue.claimNext();
    queue.transition(first.run.id, 'succeeded');
    const again = queue.submit({ workflow: 'w', inputs: {}, idempotencyKey: 'k' });
    expect(again).toMatchObject({ created: false, run: { id: first.run.id, state: 'succeeded' } });
    expect(() => queue.submit({ workflow: 'other', inputs: {}, idempotencyKey: 'k' })).toThrow(expect.objectContaining({ code: 'RUN_STATE_CONFLICT' }));
    expect(queue.list()).toHaveLength(1);
  });

  it('after a restart queues the runs left running again, and dead-letters one found running too often', () => {
    const a = queued();
    const b = queued();
    queue.claimNext();
    queue.claimNext();
    const submittedOnly = queue.submit({ workflow: 'w', inputs: {} }).run.id;
    expect(queue.recover(2)).toEqual({ requeued: [a, b], deadLettered: [] });
    expect(queue.get(submittedOnly)?.state).toBe('queued');
    // b runs again and the daemon dies again under it: second crash, dead letter with max 2.
    expect(queue.claimNext()?.id).toBe(a);
    queue.transition(a, 'succeeded');
    expect(queue.claimNext()?.id).toBe(b);
    expect(queue.recover(2)).toEqual({ requeued: [], deadLettered: [b] });
    expect(queue.get(b)).toMatchObject({ state: 'dead_letter', crashes: 2, claims: 2 });
    expect(queue.countsByState()).toMatchObject({ running: 0, dead_letter: 1, succeeded: 1, queued: 1 });
  });

  it('retention forgets finished runs past the count and the age, never unfinished ones', () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = queued();
      queue.claimNext();
      now += 1000;
      queue.transition(id, 'succeeded');
      ids.push(id);
    }
    const waiting = queued();
    expect(queue.applyRetention({ maxCount: 3, maxAgeMs: 1e9 }).sort()).toEqual(ids.slice(0, 2).sort());
    now += 10_000;
    expect(queue.applyRetention({ maxCount: 3, maxAgeMs: 5_000 }).sort()).toEqual(ids.slice(2).sort());
    expect(queue.list().map((r) => r.id)).toEqual([waiting]);
  });

  it('lists newest first, filtered by state and workflow, with paging', () => {
    const a = queued('a');
    const b = queued('b');
    const c = queued('a');
    expect(queue.list().map((r) => r.id)).toEqual([c, b, a]);
    expect(queue.list({ workflow: 'a' }).map((r) => r.id)).toEqual([c, a]);
    const newest = queue.list({ limit: 1 });
    expect(queue.list({ before: newest[0]!.seq }).map((r) => r.id)).toEqual([b, a]);
    expect(queue.list({ state: 'running' })).toEqual([]);
  });
});
