import type { AgentContext, AgentDefinition } from '../agents/agent-definition.ts';
import { systemClock, abortReason, type Clock } from '../engine/clock.ts';
import { ERROR_CODES, type ErrorCode } from '../errors/error-codes.ts';
import { UcopError } from '../errors/ucop-error.ts';
import type { InvocationRecorder } from './invocation-recorder.ts';

/** The `with:` of a `sim.delay` step. */
// A type alias, not an interface: aliases get an implicit index signature, so the agent fits AgentDefinition.
export type SimDelayInput = {
  /** How long the simulated work takes. */
  ms: number;
  /** The first N attempts fail. @default 0 */
  fail_attempts?: number;
  /** The code of the error those attempts throw. @default 'AGENT_ERROR' */
  error?: ErrorCode;
  /** Whether that error is retryable. @default true */
  retryable?: boolean;
  /** Returned as is. @default { ms, stepId, itemIndex } */
  output?: unknown;
  /** State key → value, written through `ctx.state.write` each time an attempt succeeds. */
  write?: Record<string, unknown>;
  /**
   * Keep going after the abort signal fires, like a badly behaved agent: used to test that the engine
   * abandons such agents and discards what they return or write. @default false
   */
  ignore_abort?: boolean;
  /**
   * Busy-loop instead of sleeping, for CPU-bound benchmarks. It blocks the thread, so it can only notice an
   * abort once it is done, and it needs a clock that advances by itself (not vitest fake timers). @default false
   */
  cpu?: boolean;
};

export interface SimDelayOptions {
  /** Sleeps and busy-loops with this clock. @default systemClock */
  clock?: Clock;
}

const INPUT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['ms'],
  properties: {
    ms: { type: 'number', minimum: 0, description: 'how long the simulated work takes, in ms' },
    fail_attempts: { type: 'integer', minimum: 0, description: 'the first N attempts fail' },
    error: { type: 'string', enum: Object.keys(ERROR_CODES), description: 'error code thrown by failing attempts' },
    retryable: { type: 'boolean', description: 'whether the thrown error is retryable' },
    output: { description: 'returned as is' },
    write: { type: 'object', description: 'state key -> value written on success' },
    ignore_abort: { type: 'boolean', description: 'keep going after abort (tests the engine abandoning agents)' },
    cpu: { type: 'boolean', description: 'busy-loop instead of sleeping' },
  },
} as const;

function busyWait(clock: Clock, ms: number): void {
  const until = clock.now() + ms;
  while (clock.now() < until) {
    // Spinning on purpose: this simulates CPU-bound work.
  }
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/**
 * The built-in `sim.delay` agent: simulated work for tests and benchmarks. It waits `ms` with the abort
 * signal (rejecting promptly with the signal's reason when it aborts, unless `ignore_abort`), fails its first
 * `fail_attempts` attempts, writes `write` to the state, and returns `output`. Every invocation is recorded
 * in `recorder` when one is given.
 *
 * @example
 * ```ts
 * const recorder = new InvocationRecorder();
 * const registry = new AgentRegistry([createSimDelayAgent(recorder), simNoopAgent]);
 * // ... run a workflow ...
 * expect(recorder.count('fetch')).toBe(1);
 * ```
 */
export function createSimDelayAgent(recorder?: InvocationRecorder, options: SimDelayOptions = {}): AgentDefinition<SimDelayInput> {
  const clock = options.clock ?? systemClock;
  return {
    name: 'sim.delay',
    version: '1',
    description: 'Simulated work: waits `ms` (honouring the abort signal), can fail its first attempts and write state.',
    inputSchema: INPUT_SCHEMA,
    outputSchema: {},
    estimateMs: 100,
    estimate: (input) => (typeof input['ms'] === 'number' && input['ms'] >= 0 ? input['ms'] : undefined),
    async run(ctx: AgentContext, input: SimDelayInput): Promise<unknown> {
      const { signal, run } = ctx;
      const record = recorder?.start({ runId: run.runId, stepId: run.stepId, itemIndex: run.itemIndex, attempt: run.attempt });
      try {
        if (input.cpu) {
          if (signal.aborted && !input.ignore_abort) throw abortReason(signal);
          busyWait(clock, input.ms);
        } else {
          await clock.sleep(input.ms, input.ignore_abort ? undefined : signal);
        }
        if (signal.aborted && !input.ignore_abort) throw abortReason(signal);
        const failAttempts = input.fail_attempts ?? 0;
        if (run.attempt <= failAttempts) {
          const code = isErrorCode(input.error) ? input.error : 'AGENT_ERROR';
          throw new UcopError(code, `sim.delay failed on purpose: attempt ${run.attempt} is one of the first ${failAttempts} (fail_attempts)`, {
            retryable: input.retryable ?? true,
            fields: { stepId: run.stepId, itemIndex: run.itemIndex, attempt: run.attempt },
          });
        }
        for (const [key, value] of Object.entries(input.write ?? {})) ctx.state.write(key, value);
        const output = 'output' in input ? input.output : run.itemIndex === undefined ? { ms: input.ms, stepId: run.stepId } : { ms: input.ms, stepId: run.stepId, itemIndex: run.itemIndex };
        record?.finish('ok');
        return output;
      } catch (error) {
        record?.finish(signal.aborted && !input.ignore_abort ? 'aborted' : 'error');
        throw error;
      }
    },
  };
}
