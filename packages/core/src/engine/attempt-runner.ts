import { UcopError, isUcopError, toUcopError } from '../errors/ucop-error.ts';
import { computeBackoffMs, isRetryable } from '../resilience/index.ts';
import type { StateStore } from '../state/state-store.ts';
import { noopSpan, type SpanHandle } from '../telemetry/tracer.ts';
import { AttemptHandle, type AbortKind } from './attempt-handle.ts';
import { admitError, admitSuccess } from './attempt-result-boundary.ts';
import type { Clock } from './clock.ts';
import type { DeadlineEntry, DeadlineQueue } from './deadline-queue.ts';
import type { RunEvent } from './run-events.ts';
import type { AttemptSpan } from '../run/run-record.ts';
import type { StepExecutor, StepTask } from './step-executor.ts';
import { describeUnit, writerKeyOf, type ExecutionUnit } from './step-runtime.ts';

/** What the attempt runner needs from the run (RunSession implements it). */
export interface AttemptHost {
  readonly runId: string;
  readonly workflow: string;
  readonly clock: Clock;
  readonly deadlines: DeadlineQueue;
  readonly executor: StepExecutor;
  readonly store: StateStore;
  readonly span: SpanHandle;
  /** Aborts when the run stops (fail-fast, deadline, guard, cancellation): ends backoff sleeps. */
  readonly runSignal: AbortSignal;
  /** Attempts in flight; the run's stop aborts each of them. */
  readonly running: Set<AttemptHandle>;
  readonly cancelGraceMs: number;
  readonly random: () => number;
  /** Whether the run stopped; nothing new starts once it has. */
  readonly stopped: boolean;
  /** How attempts that the stop interrupts end, with which error, and why the run stopped (in words). */
  stopOutcome(): { kind: AbortKind; error: UcopError; why: string };
  /** ms since the run's start. */
  elapsed(): number;
  /** Undefined when nobody listens, so that events cost nothing then. */
  readonly emit: ((event: RunEvent) => void) | undefined;
  /** An attempt finished (the no-progress watchdog counts these). */
  progress(): void;
  /** The engine's slots, when it lets a unit give its slot back while it waits out a retry backoff. */
  readonly slots?: SlotLease | undefined;
}

/**
 * A unit's hold on its engine slot (and its concurrency group's). A retry backoff is waiting, not work: the
 * unit gives the slot back for it, so that a ready step can use it, and takes one again before its next
 * attempt (ahead of units not yet started). `reacquire` resolves at once when the run has stopped.
 */
export interface SlotLease {
  release(unit: ExecutionUnit): void;
  reacquire(unit: ExecutionUnit): Promise<void>;
}

type AttemptOutcome = Succeeded | Unsuccessful;
type Succeeded = { readonly kind: 'succeeded' };
/** Shared: a success carries nothing else. */
const SUCCEEDED: Succeeded = Object.freeze({ kind: 'succeeded' });
type Unsuccessful =
  | { kind: 'failed'; error: UcopError; retryable: boolean }
  | { kind: 'timed_out'; error: UcopError; retryable: boolean }
  | { kind: 'cancelled'; error: UcopError };

function timeoutError(unit: ExecutionUnit, timeoutMs: number, elapsedMs: number): UcopError {
  const where = describeUnit(unit.step.id, unit.itemIndex);
  return new UcopError('STEP_TIMEOUT', `${where} did not finish within ${timeoutMs} ms; raise its \`timeout:\` (or config.step_timeout) or make the agent faster`, {
    fields: { stepId: unit.step.id, itemIndex: unit.itemIndex, timeoutMs, elapsedMs },
    retryable: true,
  });
}

function abortedOutcome(handle: AttemptHandle, span: SpanHandle): AttemptOutcome {
  const error = handle.abortError!;
  // A timed-out or cancelled attempt did not succeed: its span says so (it would otherwise stay `unset`).
  span.recordError(error);
  // Timed out: its own timeout (STEP_TIMEOUT, retryable) or the run's deadline (RUN_TIMEOUT, never retried).
  return handle.abortedAs === 'timed_out' ? { kind: 'timed_out', error, retryable: isRetryable(error) } : { kind: 'cancelled', error };
}

/**
 * One attempt: hands the task to the executor with a signal that aborts on the attempt's timeout and on the
 * run's stop, waits for the answer (at most `cancelGraceMs` after an abort), then commits the staged state
 * writes if the attempt is still current. An attempt that was aborted is over: what it returns or writes
 * later is discarded (its commit's `isCurrent()` is false, and the local executor seals its state view).
 */
async function runAttempt(host: AttemptHost, unit: ExecutionUnit, attempt: number): Promise<AttemptOutcome> {
  const step = unit.step;
  const handle = new AttemptHandle(host.deadlines, host.clock, host.cancelGraceMs);
  const timeoutMs = step.timeoutMs;
  let timeout: DeadlineEntry | undefined;
  if (timeoutMs > 0 && Number.isFinite(timeoutMs)) {
    const startedAt = host.clock.now();
    timeout = host.deadlines.add(startedAt + timeoutMs, () => handle.abort('timed_out', timeoutError(unit, timeoutMs, host.clock.now() - startedAt)));
  }
  // With tracing off the run's span is the no-op one: no attributes to build per attempt.
  const span =
    host.span === noopSpan
      ? noopSpan
      : host.span.child('step.attempt', {
          workflow: host.workflow,
          step: step.id,
          item: unit.itemIndex,
          agent: step.agent,
          group: step.concurrencyGroup?.name ?? step.group,
          attempt,
          queue_wait_ms: unit.record.queueWaitMs,
        });
  host.running.add(handle);
  try {
    const task: StepTask = {
      runId: host.runId,
      workflow: host.workflow,
      stepId: step.id,
      itemIndex: unit.itemIndex,
      attempt,
      agent: step.agent,
      input: unit.input!,
      writes: step.writes,
      timeoutMs,
      provider: step.provider,
      fallback: step.fallback,
      ...(step.policy ? { policy: step.policy } : {}),
    };
    const store = host.store;
    try {
      host.executor.execute(task, { signal: handle.controller.signal, span, readState: () => store.snapshot() }).then(
        (result) => handle.settle({ kind: 'result', result }),
        (error: unknown) => handle.settle({ kind: 'result', result: { ok: false, error } }),
      );
    } catch (error) {
      handle.settle({ kind: 'result', result: { ok: false, error } });
    }
    const end = await handle.ended;
    if (end.kind === 'abandoned') return abortedOutcome(handle, span);
    // A failure reported before the abort is the attempt's own (fail-fast gathers it); anything reported
    // after, and any success not yet committed, is discarded.
    if (!handle.current && (end.result.ok || !handle.answeredBeforeAbort)) return abortedOutcome(handle, span);
    if (!end.result.ok) {
      const error = admitError(end.result.error);
      span.recordError(error);
      return { kind: 'failed', error, retryable: isRetryable(error) };
    }
    // From here on only checked, masked data: see attempt-result-boundary.ts.
    const result = admitSuccess(end.result, describeUnit(step.id, unit.itemIndex), step.agent);
    if (isUcopError(result)) {
      span.recordError(result);
      return { kind: 'failed', error: result, retryable: false };
    }
    if (result.writes.length > 0) {
      const writer = writerKeyOf(step, unit.itemIndex);
      try {
        await store.commit(writer, result.writes, () => handle.current);
      } catch (error) {
        if (!handle.current) return abortedOutcome(handle, span);
        const ucop = toUcopError(error, 'STATE_WRITE_REJECTED');
        span.recordError(ucop);
        return { kind: 'failed', error: ucop, retryable: false };
      }
      // An abort that comes after the commit went through changes nothing: the writes and the result stand.
      unit.writes = result.writes;
    }
    unit.output = result.output;
    unit.artifacts = result.artifacts;
    if (result.usage) unit.record.usage = result.usage;
    return SUCCEEDED;
  } finally {
    host.running.delete(handle);
    host.deadlines.cancel(timeout);
    span.end();
  }
}

/**
 * Runs a unit to its end: attempts with retries (exponential backoff with jitter or fixed, capped, only for
 * retryable errors; the backoff sleep ends at once when the run stops). Sets the unit's status, output,
 * error, attempts and start time; never throws.
 */
export async function runUnit(host: AttemptHost, unit: ExecutionUnit): Promise<void> {
  const step = unit.step;
  const record = unit.record;
  // Built only when someone listens to events.
  const ref = host.emit === undefined ? undefined : unit.itemIndex === undefined ? { stepId: step.id } : { stepId: step.id, itemIndex: unit.itemIndex };
  // The attempts' spans, kept only once the step is retried: a single attempt is the record's own startMs..endMs.
  let log: AttemptSpan[] | undefined;
  for (let attempt = 1; ; attempt += 1) {
    if (host.stopped) {
      // The run stopped before this attempt (between retries, or before the first one).
      const stop = host.stopOutcome();
      unit.status = attempt === 1 ? 'cancelled' : stop.kind;
      unit.error = stop.error;
      record.reason = attempt === 1 ? `not started: ${stop.why}` : `stopped before attempt ${attempt}: ${stop.why}`;
      return;
    }
    const at = host.elapsed();
    if (attempt === 1) {
      unit.status = 'running';
      record.startMs = at;
      record.queueWaitMs = at - unit.readyAt;
    }
    record.attempts = attempt;
    if (ref) host.emit?.({ type: 'step.started', ...ref, attempt, at, queueWaitMs: record.queueWaitMs ?? 0 });
    const outcome = await runAttempt(host, unit, attempt);
    host.progress();
    if (attempt > 1) {
      log!.push(attemptSpan(at, host.elapsed(), outcome));
      if (attempt === 2) record.attemptLog = log;
    }
    if (outcome.kind === 'succeeded') {
      unit.status = 'succeeded';
      return;
    }
    if (outcome.kind === 'cancelled') {
      unit.status = 'cancelled';
      unit.error = outcome.error;
      record.reason = outcome.error.message;
      return;
    }
    const canRetry = outcome.retryable && attempt < step.retry.attempts && !host.stopped;
    if (!canRetry) {
      unit.status = outcome.kind;
      unit.error = outcome.error;
      return;
    }
    if (attempt === 1) log = [attemptSpan(at, host.elapsed(), outcome)];
    const delayMs = computeBackoffMs(step.retry, attempt, host.random);
    if (ref) host.emit?.({ type: 'step.retrying', ...ref, attempt, at: host.elapsed(), delayMs, error: { code: outcome.error.code, message: outcome.error.message } });
    const backoffStart = host.elapsed();
    host.slots?.release(unit);
    try {
      await host.clock.sleep(delayMs, host.runSignal);
    } catch {
      // The run stopped during the backoff: the next turn of the loop records the cancellation.
    } finally {
      await host.slots?.reacquire(unit);
    }
    const waited = host.elapsed() - backoffStart;
    record.backoffMs = (record.backoffMs ?? 0) + waited;
    log![attempt - 1]!.backoffMs = waited;
  }
}

/** One attempt's span, for the run report's timeline. */
function attemptSpan(startMs: number, endMs: number, outcome: AttemptOutcome): AttemptSpan {
  const span: AttemptSpan = { startMs, endMs, status: outcome.kind };
  if (outcome.kind !== 'succeeded') span.error = { code: outcome.error.code, message: outcome.error.message };
  return span;
}
