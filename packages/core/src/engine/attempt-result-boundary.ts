/**
 * Where an attempt's result enters the engine: everything downstream (the state store, the run record and
 * its files, the events the console and progress show, the trace) sees only what passed here. Two rules:
 * - the result must be JSON (no BigInt, cycle, function or symbol), else the attempt fails with
 *   AGENT_OUTPUT_UNSERIALISABLE instead of the record failing to be written at the end;
 * - secrets are masked: in an error's message and fields, every registered secret value, bearer token and
 *   `sk-` key; in outputs and state writes, the registered secret values (see telemetry/redact.ts).
 */
import { UcopError, toUcopError } from '../errors/ucop-error.ts';
import { hasRegisteredSecrets, maskRegisteredSecrets, redactSecrets, redactString } from '../telemetry/redact.ts';
import type { StateWrite } from '../state/state-view.ts';
import { findUnserialisable } from './serialisable-value.ts';
import type { StepAttemptSuccess } from './step-executor.ts';

/** An error as the engine keeps it: a UcopError whose message and fields carry no secret. */
export function admitError(raw: unknown, fallback: 'AGENT_ERROR' | 'STATE_WRITE_REJECTED' = 'AGENT_ERROR'): UcopError {
  let error: UcopError;
  try {
    error = toUcopError(raw, fallback);
  } catch (unreadable) {
    // Thrown: an object without a string form (`Object.create(null)`), a `message` getter that throws.
    return new UcopError(fallback, `the agent failed with a value that cannot be shown (${unreadable instanceof Error ? unreadable.message : 'unreadable'})`);
  }
  const message = redactString(String(error.message));
  // Fields that JSON cannot carry are dropped: the record of the failure must still be writable.
  const serialisable = findUnserialisable(error.fields) === undefined;
  const fields = serialisable ? redactSecrets({ ...error.fields }) : {};
  const fieldsChanged = !serialisable || JSON.stringify(fields) !== JSON.stringify(error.fields);
  if (message === error.message && !fieldsChanged) return error;
  // A new error without the cause: the cause is the original, secret and all.
  return new UcopError(error.code, message, { fields, retryable: error.retryable, ...(error.location ? { location: error.location } : {}) });
}

/**
 * A successful result checked and masked, or the UcopError that fails the attempt instead.
 * @param where the unit, for the message: `step "a" item 2`
 */
export function admitSuccess(result: StepAttemptSuccess, where: string, agent: string): StepAttemptSuccess | UcopError {
  const problem = findUnserialisable(result.output, 'output') ?? writesProblem(result.writes);
  if (problem) {
    return new UcopError('AGENT_OUTPUT_UNSERIALISABLE', `${where}: agent "${agent}" returned ${problem}, which cannot be recorded as JSON; return plain data (strings, numbers, booleans, null, lists, objects)`, {
      fields: { agent, problem },
    });
  }
  if (!hasRegisteredSecrets()) return result;
  const output = maskRegisteredSecrets(result.output);
  const writes = result.writes.map((w): StateWrite => {
    const value = maskRegisteredSecrets(w.value);
    return value === w.value ? w : { key: w.key, value };
  });
  return { ...result, output, writes };
}

function writesProblem(writes: readonly StateWrite[]): string | undefined {
  for (const write of writes) {
    const problem = findUnserialisable(write.value, `state write "${write.key}"`);
    if (problem) return problem;
  }
  return undefined;
}
