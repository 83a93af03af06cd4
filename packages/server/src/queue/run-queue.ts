import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import { UcopError } from '@ucop/core';
import { RUN_STATES, canTransition, isFinalState } from './run-state.ts';
import type { RunState } from './run-state.ts';

/** One run as the queue knows it (times in ms since the epoch). */
export interface QueuedRun {
  id: string;
  /** Submission order, for stable listing. */
  seq: number;
  workflow: string;
  inputs: Record<string, unknown>;
  priority: number;
  idempotencyKey: string | null;
  state: RunState;
  /** How many times a pool slot took it (1 for a run that was never interrupted). */
  claims: number;
  /** How many times it was found `running` when the daemon started (the daemon died under it). */
  crashes: number;
  submittedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** Why it failed, was cancelled or dead-lettered (a masked one-line message). */
  error: string | null;
}

export interface SubmitRequest {
  workflow: string;
  inputs: Record<string, unknown>;
  /** Higher runs first. @default 0 */
  priority?: number;
  idempotencyKey?: string;
}

export interface ListFilter {
  state?: RunState;
  workflow?: string;
  /** @default 100 */
  limit?: number;
  /** Only runs submitted before this `seq` (paging backwards from the newest). */
  before?: number;
}

export interface RetentionPolicy {
  /** Keep at most this many finished runs (the newest). */
  maxCount: number;
  /** Forget finished runs older than this (ms since they finished). */
  maxAgeMs: number;
}

export interface RunQueueOptions {
  /** @default Date.now */
  now?: () => number;
  /**
   * SQLite's `synchronous` setting. `normal` (WAL): every commit survives a crash or a SIGKILL of the daemon;
   * a power cut can lose the last commits before a checkpoint. `full`: each commit is fsynced, also
   * surviving a power cut, at a few ms per commit on the event loop. @default 'normal'
   */
  sync?: 'normal' | 'full';
}

interface Row {
  seq: number;
  id: string;
  workflow: string;
  inputs: string;
  priority: number;
  idempotency_key: string | null;
  state: RunState;
  claims: number;
  crashes: number;
  submitted_at: number;
  started_at: number | null;
  finished_at: number | null;
  error: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  workflow TEXT NOT NULL,
  inputs TEXT NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0,
  idempotency_key TEXT UNIQUE,
  state TEXT NOT NULL,
  claims INTEGER NOT NULL DEFAULT 0,
  crashes INTEGER NOT NULL DEFAULT 0,
  submitted_at INTEGER NOT NULL,
  started_at INTEGER,
  finished_at INTEGER,
  error TEXT
);
CREATE INDEX IF NOT EXISTS runs_by_state ON runs (state, priority DESC, seq);
CREATE INDEX IF NOT EXISTS runs_by_finish ON runs (finished_at) WHERE finished_at IS NOT NULL;
`;

/**
 * The durable run queue: one SQLite database in WAL mode in the data directory (a submission acknowledged
 * survives a crash of the daemon; with `sync: 'full'` also a power cut). Every state change goes through {@link RunQueue.transition}, which refuses the ones
 * `run-state.ts` does not allow, so a finished run can never be claimed again and a claimed run never twice.
 * Used by one daemon process at a time (the daemon holds a lock on the data directory).
 */
export class RunQueue {
  readonly #db: DatabaseSync;
  readonly #now: () => number;
  readonly #statements: {
    insert: StatementSync;
    byId: StatementSync;
    byKey: StatementSync;
    claim: StatementSync;
    counts: StatementSync;
    transition: StatementSync;
  };

  constructor(path: string, options: RunQueueOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#db = new DatabaseSync(path);
    this.#db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = ${options.sync === 'full' ? 'FULL' : 'NORMAL'}; PRAGMA busy_timeout = 5000;`);
    this.#db.exec(SCHEMA);
    this.#statements = {
      insert: this.#db.prepare(
        `INSERT INTO runs (id, workflow, inputs, priority, idempotency_key, state, submitted_at) VALUES (?, ?, ?, ?, ?, 'submitted', ?)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
      ),
      byId: this.#db.prepare('SELECT * FROM runs WHERE id = ?'),
      byKey: this.#db.prepare('SELECT * FROM runs WHERE idempotency_key = ?'),
      // One statement: the run chosen is the one marked, even if another claim ran in between.
      claim: this.#db.prepare(
        `UPDATE runs SET state = 'running', started_at = ?, claims = claims + 1
         WHERE seq = (SELECT seq FROM runs WHERE state = 'queued' ORDER BY priority DESC, seq LIMIT 1) RETURNING *`,
      ),
      counts: this.#db.prepare('SELECT state, COUNT(*) AS n FROM runs GROUP BY state'),
      // Only from the state the caller saw: a transition that lost a race changes nothing.
      transition: this.#db.prepare('UPDATE runs SET state = ?, finished_at = ?, error = ? WHERE id = ? AND state = ? RETURNING *'),
    };
  }

  /**
   * Records a submission (state `submitted`). With an idempotency key already known, returns that run instead
   * (`created: false`), whatever its state, also after it finished.
   * @throws UcopError RUN_STATE_CONFLICT when the key is known for another workflow or other inputs
   */
  submit(request: SubmitRequest): { run: QueuedRun; created: boolean } {
    const inputs = JSON.stringify(request.inputs);
    const key = request.idempotencyKey ?? null;
    const inserted = this.#statements.insert.get(randomUUID(), request.workflow, inputs, request.priority ?? 0, key, this.#now()) as Row | undefined;
    if (inserted) return { run: toRun(inserted), created: true };
    const existing = this.#statements.byKey.get(key) as unknown as Row;
    if (existing.workflow !== request.workflow || existing.inputs !== inputs) {
      throw new UcopError('RUN_STATE_CONFLICT', `idempotency key "${key}" was used for run ${existing.id} with another workflow or other inputs`, {
        fields: { runId: existing.id },
      });
    }
    return { run: toRun(existing), created: false };
  }

  get(id: string): QueuedRun | undefined {
    const row = this.#statements.byId.get(id) as Row | undefined;
    return row ? toRun(row) : undefined;
  }

  findByIdempotencyKey(key: string): QueuedRun | undefined {
    const row = this.#statements.byKey.get(key) as Row | undefined;
    return row ? toRun(row) : undefined;
  }

  /** Takes the next queued run (highest priority, then oldest) and marks it `running`; undefined when none waits. */
  claimNext(): QueuedRun | undefined {
    const row = this.#statements.claim.get(this.#now()) as Row | undefined;
    return row ? toRun(row) : undefined;
  }

  /**
   * Moves a run to another state if the transition is allowed from its current one; returns the run after
   * the change, or undefined when the change was not allowed (the caller lost a race, e.g. cancel vs finish).
   */
  transition(id: string, to: RunState, details: { error?: string | null } = {}): QueuedRun | undefined {
    const current = this.get(id);
    if (!current || !canTransition(current.state, to)) return undefined;
    const now = this.#now();
    const finishedAt = isFinalState(to) ? now : null;
    const row = this.#statements.transition.get(to, finishedAt, details.error === undefined ? current.error : details.error, id, current.state) as Row | undefined;
    return row ? toRun(row) : undefined;
  }

  /**
   * After a restart: runs found `running` were interrupted (a SIGKILL, a crash, a power cut). Each goes back
   * to `queued` to resume from its record, unless it has now been found running `maxCrashes` times, when it
   * goes to `dead_letter`. Runs still `submitted` are queued.
   */
  recover(maxCrashes: number): { requeued: string[]; deadLettered: string[] } {
    const requeued: string[] = [];
    const deadLettered: string[] = [];
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const rows = this.#db.prepare("UPDATE runs SET crashes = crashes + 1 WHERE state = 'running' RETURNING id, crashes").all() as { id: string; crashes: number }[];
      for (const row of rows) {
        if (row.crashes >= maxCrashes) {
          this.#db
            .prepare("UPDATE runs SET state = 'dead_letter', finished_at = ?, error = ? WHERE id = ?")
            .run(this.#now(), `the daemon stopped while running it ${row.crashes} times; not retried`, row.id);
          deadLettered.push(row.id);
        } else {
          this.#db.prepare("UPDATE runs SET state = 'queued' WHERE id = ?").run(row.id);
          requeued.push(row.id);
        }
      }
      this.#db.prepare("UPDATE runs SET state = 'queued' WHERE state = 'submitted'").run();
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
    return { requeued, deadLettered };
  }

  /** Newest first. */
  list(filter: ListFilter = {}): QueuedRun[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.state !== undefined) {
      where.push('state = ?');
      params.push(filter.state);
    }
    if (filter.workflow !== undefined) {
      where.push('workflow = ?');
      params.push(filter.workflow);
    }
    if (filter.before !== undefined) {
      where.push('seq < ?');
      params.push(filter.before);
    }
    const sql = `SELECT * FROM runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    return (this.#db.prepare(sql).all(...params, filter.limit ?? 100) as unknown as Row[]).map(toRun);
  }

  /** How many runs are in each state (every state present, 0 when none). */
  countsByState(): Record<RunState, number> {
    const counts = Object.fromEntries(RUN_STATES.map((s) => [s, 0])) as Record<RunState, number>;
    for (const row of this.#statements.counts.all() as unknown as { state: RunState; n: number }[]) counts[row.state] = row.n;
    return counts;
  }

  /** Forgets a run; false when it is unknown. */
  delete(id: string): boolean {
    return this.#db.prepare('DELETE FROM runs WHERE id = ?').run(id).changes > 0;
  }

  /** Forgets the finished runs past the policy (the oldest first); returns their ids, for their directories. */
  applyRetention(policy: RetentionPolicy): string[] {
    const byAge = this.#db.prepare('DELETE FROM runs WHERE finished_at IS NOT NULL AND finished_at < ? RETURNING id').all(this.#now() - policy.maxAgeMs) as { id: string }[];
    const byCount = this.#db
      .prepare('DELETE FROM runs WHERE seq IN (SELECT seq FROM runs WHERE finished_at IS NOT NULL ORDER BY finished_at DESC, seq DESC LIMIT -1 OFFSET ?) RETURNING id')
      .all(policy.maxCount) as { id: string }[];
    return [...byAge, ...byCount].map((r) => r.id);
  }

  /** Whether the database answers and can be written (readiness). */
  writable(): boolean {
    try {
      this.#db.exec('BEGIN IMMEDIATE; ROLLBACK;');
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}

function toRun(row: Row): QueuedRun {
  return {
    id: row.id,
    seq: row.seq,
    workflow: row.workflow,
    inputs: JSON.parse(row.inputs) as Record<string, unknown>,
    priority: row.priority,
    idempotencyKey: row.idempotency_key,
    state: row.state,
    claims: row.claims,
    crashes: row.crashes,
    submittedAt: row.submitted_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
  };
}
