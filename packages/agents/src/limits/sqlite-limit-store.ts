import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync as Database } from 'node:sqlite';
import { UcopError } from '@ucop/core';
import { windowVerdict } from './window-usage.ts';
import type { LoggedRequest } from './window-usage.ts';
import type { SharedAcquireResult, SharedBreakerState, SharedLimitCost, SharedLimitLease, SharedLimitSpec, SharedLimitStore } from './shared-limit-store.ts';

/** Options of {@link openSqliteLimitStore}. */
export interface SqliteLimitStoreOptions {
  /**
   * How long a process waits for another one's write transaction before giving up (SQLITE_BUSY).
   * @default 5000
   */
  busyTimeoutMs?: number;
}

// Requests are kept per key: in flight (no `ended_ms`, lease until `expires_ms`) or answered, counting in a
// window until `ended_ms + window`. A lease whose holder died stops holding a concurrency slot at
// `expires_ms` and counts as answered then (it was probably sent). Rows go once no window can see them.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS limit_requests (
  id TEXT PRIMARY KEY,
  key TEXT NOT NULL,
  tokens INTEGER NOT NULL,
  started_ms INTEGER NOT NULL,
  ended_ms INTEGER,
  expires_ms INTEGER NOT NULL,
  keep_until_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS limit_requests_key ON limit_requests (key, keep_until_ms);
CREATE TABLE IF NOT EXISTS limit_breakers (
  key TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  failures INTEGER NOT NULL,
  open_until_ms INTEGER,
  version INTEGER NOT NULL
);`;

/**
 * Opens (creating it and its directory when needed) the local limit store: one SQLite file shared by every
 * `ucop` process on the machine that names it, in WAL mode so readers never block the writer, with a busy
 * timeout so that two processes acquiring at once queue instead of failing. Every acquire is one
 * `BEGIN IMMEDIATE` transaction: it reads the key's requests, decides, and records the grant atomically.
 *
 * `node:sqlite` is loaded here, on first use: runs without shared limits never load it.
 * @throws UcopError CONFIG_INVALID when the file cannot be opened (with the path and the reason).
 */
export async function openSqliteLimitStore(path: string, options: SqliteLimitStoreOptions = {}): Promise<SharedLimitStore> {
  const { DatabaseSync } = await import('node:sqlite');
  let db: Database;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new DatabaseSync(path, { timeout: options.busyTimeoutMs ?? 5000 });
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    db.exec(SCHEMA);
  } catch (error) {
    throw new UcopError('CONFIG_INVALID', `cannot open the limit store ${path}: ${(error as Error).message}; check limits_store.dir in config/providers.yaml`, {
      fields: { path },
      cause: error,
    });
  }
  return new SqliteLimitStore(db);
}

class SqliteLimitStore implements SharedLimitStore {
  readonly #db: Database;
  readonly #statements;
  #closed = false;

  constructor(db: Database) {
    this.#db = db;
    this.#statements = {
      prune: db.prepare('DELETE FROM limit_requests WHERE key = ? AND keep_until_ms <= ?'),
      rows: db.prepare('SELECT tokens, started_ms, ended_ms, expires_ms FROM limit_requests WHERE key = ?'),
      insert: db.prepare('INSERT INTO limit_requests (id, key, tokens, started_ms, ended_ms, expires_ms, keep_until_ms) VALUES (?, ?, ?, ?, NULL, ?, ?)'),
      renew: db.prepare('UPDATE limit_requests SET expires_ms = ?, keep_until_ms = MAX(keep_until_ms, ?) WHERE id = ? AND ended_ms IS NULL AND expires_ms > ?'),
      keepOf: db.prepare('SELECT keep_until_ms - expires_ms AS span FROM limit_requests WHERE id = ?'),
      release: db.prepare('UPDATE limit_requests SET ended_ms = ?, tokens = COALESCE(?, tokens), keep_until_ms = ? + ? WHERE id = ? AND ended_ms IS NULL'),
      cancel: db.prepare('DELETE FROM limit_requests WHERE id = ?'),
      readBreaker: db.prepare('SELECT state, failures, open_until_ms, version FROM limit_breakers WHERE key = ?'),
      insertBreaker: db.prepare('INSERT OR IGNORE INTO limit_breakers (key, state, failures, open_until_ms, version) VALUES (?, ?, ?, ?, ?)'),
      updateBreaker: db.prepare('UPDATE limit_breakers SET state = ?, failures = ?, open_until_ms = ?, version = ? WHERE key = ? AND version = ?'),
    };
  }

  async tryAcquire(spec: SharedLimitSpec, cost: SharedLimitCost, nowMs: number, leaseTtlMs: number): Promise<SharedAcquireResult> {
    const tokens = Math.max(0, Math.ceil(cost.tokens ?? 0));
    const longest = Math.max(0, ...spec.windows.map((w) => w.windowMs));
    return this.#transaction(() => {
      const s = this.#statements;
      s.prune.run(spec.key, nowMs);
      const rows = (s.rows.all(spec.key) as { tokens: number; started_ms: number; ended_ms: number | null; expires_ms: number }[]).map(
        (r): LoggedRequest => ({ tokens: r.tokens, endedMs: r.ended_ms ?? (r.expires_ms <= nowMs ? r.expires_ms : undefined), leaseUntilMs: r.expires_ms }),
      );
      const verdict = windowVerdict(spec, rows, tokens, nowMs);
      if (verdict) return { granted: false, ...verdict };
      const id = randomUUID();
      // Kept until a window after the lease could end: release and renew move this on.
      s.insert.run(id, spec.key, tokens, nowMs, nowMs + leaseTtlMs, nowMs + leaseTtlMs + longest);
      return { granted: true, lease: { id, key: spec.key } };
    });
  }

  async renew(lease: SharedLimitLease, nowMs: number, leaseTtlMs: number): Promise<boolean> {
    return this.#transaction(() => {
      const span = (this.#statements.keepOf.get(lease.id) as { span: number } | undefined)?.span ?? 0;
      const result = this.#statements.renew.run(nowMs + leaseTtlMs, nowMs + leaseTtlMs + span, lease.id, nowMs);
      return Number(result.changes) > 0;
    });
  }

  async release(lease: SharedLimitLease, nowMs: number, actual?: { tokens?: number }): Promise<void> {
    this.#transaction(() => {
      const span = (this.#statements.keepOf.get(lease.id) as { span: number } | undefined)?.span ?? 0;
      const tokens = actual?.tokens === undefined ? null : Math.max(0, Math.ceil(actual.tokens));
      this.#statements.release.run(nowMs, tokens, nowMs, span, lease.id);
    });
  }

  async cancel(lease: SharedLimitLease): Promise<void> {
    this.#transaction(() => void this.#statements.cancel.run(lease.id));
  }

  async readBreaker(key: string): Promise<SharedBreakerState | undefined> {
    const row = this.#statements.readBreaker.get(key) as { state: SharedBreakerState['state']; failures: number; open_until_ms: number | null; version: number } | undefined;
    if (!row) return undefined;
    return { state: row.state, failures: row.failures, version: row.version, ...(row.open_until_ms === null ? {} : { openUntilMs: row.open_until_ms }) };
  }

  async writeBreaker(key: string, state: SharedBreakerState, expectedVersion: number | undefined): Promise<boolean> {
    return this.#transaction(() => {
      const s = this.#statements;
      const next = (expectedVersion ?? 0) + 1;
      const result =
        expectedVersion === undefined
          ? s.insertBreaker.run(key, state.state, state.failures, state.openUntilMs ?? null, next)
          : s.updateBreaker.run(state.state, state.failures, state.openUntilMs ?? null, next, key, expectedVersion);
      return Number(result.changes) > 0;
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#db.close();
  }

  // IMMEDIATE takes the write lock at the start: two processes deciding on the same last slot serialise here.
  #transaction<T>(work: () => T): T {
    if (this.#closed) throw new UcopError('INTERNAL', 'the limit store is closed');
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }
}
