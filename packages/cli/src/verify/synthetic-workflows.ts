/**
 * The workflows the engine checks run. They are written as JSON (valid YAML 1.2), so they go through the
 * same loader, schema checks and compiler as the user's files. Each builder also says what a correct engine
 * must do with it, so that a check compares against this file and never against the engine's own report.
 */

/** A synthetic workflow and the facts a correct run of it shows. */
export interface SyntheticWorkflow<Facts> {
  name: string;
  source: string;
  facts: Facts;
}

function source(document: Record<string, unknown>): string {
  return `${JSON.stringify({ version: 1, ...document }, null, 1)}\n`;
}

/** One expected invocation: step, fan-out item (or none), attempt. */
export interface ExpectedInvocation {
  stepId: string;
  itemIndex: number | undefined;
  attempt: number;
}

const FAN_ITEMS = 6;

/**
 * sim.delay steps with fan-out and retries. A correct engine invokes each (step, item, attempt) below once.
 */
export function exactlyOnceWorkflow(): SyntheticWorkflow<{ expected: ExpectedInvocation[] }> {
  const items = Array.from({ length: FAN_ITEMS }, (_, i) => i);
  const expected: ExpectedInvocation[] = [{ stepId: 'list', itemIndex: undefined, attempt: 1 }];
  for (const i of items) expected.push({ stepId: 'fan', itemIndex: i, attempt: 1 });
  for (const attempt of [1, 2, 3]) expected.push({ stepId: 'flaky', itemIndex: undefined, attempt });
  for (const i of items) for (const attempt of [1, 2]) expected.push({ stepId: 'flaky_fan', itemIndex: i, attempt });
  expected.push({ stepId: 'join', itemIndex: undefined, attempt: 1 });
  return {
    name: 'verify_exactly_once',
    source: source({
      name: 'verify_exactly_once',
      description: 'fan-out and retries: every (step, item, attempt) runs exactly once',
      config: { parallel: true, max_parallel: 4, fail_fast: false, retry: { attempts: 3, backoff: 'fixed', delay: '10ms', max_delay: '10ms' } },
      steps: {
        list: { agent: 'sim.delay', with: { ms: 10, output: { items } } },
        fan: { agent: 'sim.delay', for_each: '${{ steps.list.output.items }}', max_parallel: 3, with: { ms: 15 } },
        flaky: { agent: 'sim.delay', needs: ['list'], with: { ms: 10, fail_attempts: 2, retryable: true } },
        flaky_fan: { agent: 'sim.delay', for_each: '${{ steps.list.output.items }}', with: { ms: 10, fail_attempts: 1, retryable: true } },
        join: { agent: 'sim.delay', needs: ['fan', 'flaky', 'flaky_fan'], with: { ms: 5 } },
      },
    }),
    facts: { expected },
  };
}

/** Settings of the timeout workflow. */
export interface TimeoutFacts {
  stepId: string;
  timeoutMs: number;
  cancelGraceMs: number;
  /** How long the agent would take if nothing stopped it. */
  agentMs: number;
  ignoreAbort: boolean;
}

/**
 * One step that would hang: a 60 s sim.delay under a 200 ms timeout, without retries. With `ignoreAbort`
 * the agent keeps going after the abort (it lasts 3 s rather than 60 s, so that an abandoned agent does
 * not keep the process alive for a minute); the engine must abandon it after `cancel_grace`.
 */
export function timeoutWorkflow(ignoreAbort: boolean): SyntheticWorkflow<TimeoutFacts> {
  const facts: TimeoutFacts = { stepId: 'hang', timeoutMs: 200, cancelGraceMs: 100, agentMs: ignoreAbort ? 3000 : 60_000, ignoreAbort };
  const name = ignoreAbort ? 'verify_timeout_ignore_abort' : 'verify_timeout';
  return {
    name,
    source: source({
      name,
      description: 'a step that would hang is stopped by its timeout',
      config: { parallel: true, fail_fast: false, cancel_grace: `${facts.cancelGraceMs}ms`, retry: { attempts: 1 } },
      steps: {
        hang: { agent: 'sim.delay', timeout: `${facts.timeoutMs}ms`, retry: { attempts: 1 }, with: { ms: facts.agentMs, ignore_abort: ignoreAbort } },
      },
    }),
    facts,
  };
}

/** What fail-fast must do with the fail-fast workflow. */
export interface FailFastFacts {
  failing: string;
  /** Running when `failing` fails: must end cancelled, their writes discarded. */
  siblings: string[];
  /** Not started when `failing` fails: must never be invoked. */
  notStarted: string[];
  stateKey: string;
  /** The longest a sibling would run if nothing stopped it. */
  siblingMs: number;
}

/**
 * `boom` fails at 50 ms with fail_fast on, while `slow` (1.5 s, honours the abort) and `stubborn` (400 ms,
 * ignores the abort and then writes to the state) are running. `stubborn` returns within the cancel grace,
 * so its write reaches the engine after the cancellation and must be refused.
 */
export function failFastWorkflow(): SyntheticWorkflow<FailFastFacts> {
  return {
    name: 'verify_fail_fast',
    source: source({
      name: 'verify_fail_fast',
      description: 'fail-fast cancels running siblings and refuses their late writes',
      config: { parallel: true, max_parallel: 4, fail_fast: true, cancel_grace: '1s', retry: { attempts: 1 } },
      state: { marks: { reducer: 'append' } },
      steps: {
        boom: { agent: 'sim.delay', with: { ms: 50, fail_attempts: 1, retryable: false } },
        slow: { agent: 'sim.delay', writes: ['marks'], with: { ms: 1500, write: { marks: 'slow' } } },
        stubborn: { agent: 'sim.delay', writes: ['marks'], with: { ms: 400, ignore_abort: true, write: { marks: 'stubborn' } } },
        after_boom: { agent: 'sim.delay', needs: ['boom'], with: { ms: 10 } },
        after_slow: { agent: 'sim.delay', needs: ['slow'], with: { ms: 10 } },
      },
    }),
    facts: { failing: 'boom', siblings: ['slow', 'stubborn'], notStarted: ['after_boom', 'after_slow'], stateKey: 'marks', siblingMs: 1500 },
  };
}

/** A small workflow with a fan-out and state writes, run twice into the same directory for resume. */
export function resumeWorkflow(): SyntheticWorkflow<{ steps: string[] }> {
  return {
    name: 'verify_resume',
    source: source({
      name: 'verify_resume',
      description: 'a second run into the same directory with resume runs nothing',
      config: { parallel: true, max_parallel: 4, fail_fast: true, retry: { attempts: 1 } },
      state: { seen: { reducer: 'append' } },
      steps: {
        fetch: { agent: 'sim.delay', writes: ['seen'], with: { ms: 10, output: { items: ['a', 'b', 'c'] }, write: { seen: 'fetch' } } },
        each: { agent: 'sim.delay', for_each: '${{ steps.fetch.output.items }}', with: { ms: 10 } },
        summary: { agent: 'sim.delay', needs: ['fetch'], with: { ms: 10, output: { text: 'summary' } } },
        publish: { agent: 'sim.delay', needs: ['each', 'summary'], with: { ms: 10 } },
      },
    }),
    facts: { steps: ['fetch', 'each', 'summary', 'publish'] },
  };
}
