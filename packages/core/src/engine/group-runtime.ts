import { UcopError, isUcopError, toUcopError } from '../errors/ucop-error.ts';
import type { ExpressionScope } from '../expr/ast.ts';
import { evaluateExpression, isTruthy, renderTemplate } from '../expr/index.ts';
import type { PlanGroup, PlanStep } from '../plan/plan-types.ts';
import { combineFingerprints } from '../run/fingerprint.ts';
import type { StepRecord } from '../run/run-record.ts';
import { createStepRuntime, isFinal, type FinalStatus, type GroupState, type Instance, type StepRuntime } from './step-runtime.ts';

/** What the group machinery needs from the run session (RunSession implements it). */
export interface GroupHost {
  readonly fingerprints: boolean;
  /** The run stopped (fail-fast, deadline, guard, cancellation): no new instance starts. */
  readonly stopped: boolean;
  register(rt: StepRuntime): void;
  released(rt: StepRuntime, work: StepRuntime[]): void;
  scopeOf(rt: StepRuntime): ExpressionScope;
  stepsScopeOf(rt: StepRuntime): Record<string, { output: unknown; status: string }>;
  completeStep(rt: StepRuntime, status: FinalStatus, output: unknown, error?: UcopError, reason?: string): void;
  failed(rt: StepRuntime, record: StepRecord, itemIndex: number | undefined, error: UcopError): void;
  /** Journals a group's end and writes its gathered view. @returns the view's path */
  groupFinished(stepId: string, status: FinalStatus, fingerprint: string | undefined, output: unknown): string | undefined;
  elapsed(): number;
}

// Which outcome decides a group's status: a failure outranks a timeout, which outranks a cancellation.
const RANK: Record<FinalStatus, number> = { succeeded: 0, skipped: 0, cancelled: 2, timed_out: 3, failed: 4 };

/**
 * Starts an opened group (its `for_each` evaluated into `rt.groupItems`): one slot per item (one without
 * for_each), at most the group's `max_parallel` started at a time; each slot's first instance goes into the
 * run's one ready queue through `work`. An empty list completes the group at once with `[]`.
 */
export function startGroup(host: GroupHost, rt: StepRuntime, work: StepRuntime[]): void {
  const items = rt.groupItems;
  const n = items === undefined ? 1 : items.length;
  const state: GroupState = { items, slots: Array.from({ length: n }, () => []), results: new Array(n).fill(undefined), nextSlot: 0, running: 0, open: n };
  rt.groupState = state;
  if (n === 0) {
    finishGroup(host, rt, work);
    return;
  }
  const cap = rt.step.maxParallel ?? Number.POSITIVE_INFINITY;
  while (state.nextSlot < n && state.running < cap) startSlot(host, rt, state.nextSlot++, work);
}

function startSlot(host: GroupHost, rt: StepRuntime, slot: number, work: StepRuntime[]): void {
  rt.groupState!.running += 1;
  createInstance(host, rt, slot, rt.step.body!.repeat ? 1 : undefined, null, work);
}

/** The instance id: `chapter[3]`, `review#2`, `chapter[3]#2`. */
function instanceId(rt: StepRuntime, slot: number, iteration: number | undefined): string {
  const indexed = rt.groupItems === undefined ? rt.step.id : `${rt.step.id}[${slot}]`;
  return iteration === undefined ? indexed : `${indexed}#${iteration}`;
}

/**
 * Creates one instance: its scope (the steps of the levels around that inner expressions read, `item` and
 * `index`, `iteration` and `previous`, and for `uses:` the called workflow's inputs from `with:`), then a
 * runtime per inner step, each with the stable id `<instance>.<inner id>`. Inner steps without inner
 * dependencies are ready at once.
 */
function createInstance(host: GroupHost, rt: StepRuntime, slot: number, iteration: number | undefined, previous: unknown, work: StepRuntime[]): void {
  const body = rt.step.body!;
  const id = instanceId(rt, slot, iteration);
  const outer = host.scopeOf(rt);
  const steps: Record<string, { output: unknown; status: string }> = {};
  const around = host.stepsScopeOf(rt);
  for (const name of body.outerRefs) if (Object.hasOwn(around, name)) steps[name] = around[name]!;
  for (const inner of body.order) steps[inner] = { output: undefined, status: 'pending' };
  const scope: Instance['scope'] = { inputs: outer.inputs, steps, env: outer.env };
  if (rt.groupItems !== undefined) {
    scope.item = rt.groupItems[slot];
    scope.index = slot;
  } else {
    if ('item' in outer) scope.item = outer.item;
    if ('index' in outer) scope.index = outer.index;
  }
  if (iteration !== undefined) {
    scope.iteration = iteration;
    scope.previous = previous;
  } else if (outer.iteration !== undefined) {
    scope.iteration = outer.iteration;
    scope.previous = outer.previous;
  }
  let inputError: UcopError | undefined;
  if (body.uses) {
    const inputs = usesInputs(rt.step, body, { ...outer, ...(rt.groupItems !== undefined ? { item: scope.item, index: slot } : {}) });
    if (isUcopError(inputs)) inputError = inputs;
    else scope.inputs = inputs;
  }
  const base = rt.step.position ?? [];
  const position = [...base, slot, iteration ?? 0];
  const instance: Instance = { id, group: rt, slot, iteration, scope, runtimes: [], byLocal: new Map(), open: body.order.length, position };
  rt.groupState!.slots[slot]!.push(instance);
  const writerOrder = rt.step.writerOrder ?? rt.step.order;
  for (const innerId of body.order) {
    const plan = body.steps[innerId]!;
    const step: PlanStep = { ...plan, id: `${id}.${innerId}`, position: [...position, plan.order], writerOrder };
    const inner = createStepRuntime(step, instance, innerId);
    inner.deps = plan.dependencies.map((d) => instance.byLocal.get(d)!);
    for (const dep of inner.deps) dep.dependents.push(inner);
    instance.byLocal.set(innerId, inner);
    instance.runtimes.push(inner);
    host.register(inner);
  }
  if (inputError) {
    // The called workflow's inputs could not be given: every inner step fails without running.
    for (const inner of instance.runtimes) {
      host.failed(inner, inner.record, undefined, inputError);
      host.completeStep(inner, 'failed', undefined, inputError);
    }
    for (const inner of instance.runtimes) host.released(inner, work);
    return;
  }
  for (const inner of instance.runtimes) if (inner.pendingDeps === 0) work.push(inner);
}

/** A `uses:` instance's inputs: its `with:` evaluated, declared defaults applied, required ones present. */
function usesInputs(step: PlanStep, body: PlanGroup, scope: ExpressionScope): Record<string, unknown> | UcopError {
  let given: unknown;
  try {
    given = renderTemplate(step.with, scope);
  } catch (error) {
    return toUcopError(error, 'EXPRESSION_EVAL');
  }
  const values = { ...(given as Record<string, unknown>) };
  for (const [name, spec] of Object.entries(body.uses!.inputs)) {
    if (values[name] === undefined && spec.default !== undefined) values[name] = spec.default;
    if (values[name] === undefined && spec.required) {
      return new UcopError('INPUT_MISSING', `step "${step.id}" calls ${body.uses!.file} without its required input \`${name}\`: add it to \`with:\``, { fields: { stepId: step.id, input: name } });
    }
  }
  return values;
}

/**
 * An instance's last inner step finished: its status (a failure, timeout or cancellation of an inner step
 * that does not continue on error), its outputs, and for a loop whether to run another iteration.
 */
export function instanceDone(host: GroupHost, instance: Instance, work: StepRuntime[]): void {
  const rt = instance.group;
  const body = rt.step.body!;
  let status: FinalStatus = 'succeeded';
  let error: UcopError | undefined;
  for (const inner of instance.runtimes) {
    const s = inner.status as FinalStatus;
    if (s === 'succeeded' || s === 'skipped') continue;
    if ((s === 'failed' || s === 'timed_out') && inner.step.continueOnError) continue;
    if (RANK[s] > RANK[status]) {
      status = s;
      error = inner.error;
    }
  }
  let outputs: Record<string, unknown> | undefined;
  const scope: ExpressionScope = { ...instance.scope, state: host.scopeOf(instance.runtimes[0]!).state };
  if (status === 'succeeded') {
    try {
      outputs = {};
      for (const [name, template] of Object.entries(body.outputs)) outputs[name] = renderTemplate(template, scope);
    } catch (e) {
      status = 'failed';
      error = new UcopError('EXPRESSION_EVAL', `group "${instance.id}": an output could not be evaluated: ${toUcopError(e).message}`, { fields: { stepId: instance.id } });
      host.failed(rt, rt.record, undefined, error);
    }
  }
  if (status === 'succeeded' && body.repeat && instance.iteration !== undefined) {
    let done: boolean;
    try {
      done = isTruthy(evaluateExpression(body.repeat.until.expr, scope));
    } catch (e) {
      done = true;
      status = 'failed';
      error = new UcopError('EXPRESSION_EVAL', `loop "${instance.id}": until \`${body.repeat.until.source}\` could not be evaluated: ${toUcopError(e).message}`, { fields: { stepId: instance.id } });
      host.failed(rt, rt.record, undefined, error);
    }
    if (!done) {
      if (instance.iteration < body.repeat.max) {
        createInstance(host, rt, instance.slot, instance.iteration + 1, outputs, work);
        return;
      }
      if (body.repeat.onMax === 'fail') {
        status = 'failed';
        error = new UcopError('LOOP_MAX_REACHED', `loop "${instance.id.replace(/#\d+$/, '')}": \`${body.repeat.until.source}\` was still false after ${body.repeat.max} iterations (repeat.max); raise \`max\`, or set \`on_max: continue\` to go on with the last iteration's outputs`, {
          fields: { stepId: rt.step.id, max: body.repeat.max },
        });
        host.failed(rt, rt.record, undefined, error);
      }
    }
  }
  slotDone(host, rt, instance.slot, { status, outputs: status === 'succeeded' ? outputs : null, error }, work);
}

function slotDone(host: GroupHost, rt: StepRuntime, slot: number, result: NonNullable<GroupState['results'][number]>, work: StepRuntime[]): void {
  const state = rt.groupState!;
  state.results[slot] = result;
  state.running -= 1;
  state.open -= 1;
  const cap = rt.step.maxParallel ?? Number.POSITIVE_INFINITY;
  if (host.stopped) {
    // The run stopped: the instances held back never start; the group ends with what it has.
    for (; state.nextSlot < state.slots.length; state.nextSlot += 1) {
      state.results[state.nextSlot] = { status: 'cancelled', outputs: null, error: undefined };
      state.open -= 1;
    }
  }
  while (state.nextSlot < state.slots.length && state.running < cap) startSlot(host, rt, state.nextSlot++, work);
  if (state.open === 0) finishGroup(host, rt, work);
}

/** Every slot is done: the group completes with the gathered outputs, and releases its dependents. */
function finishGroup(host: GroupHost, rt: StepRuntime, work: StepRuntime[]): void {
  const state = rt.groupState!;
  let status: FinalStatus = 'succeeded';
  let error: UcopError | undefined;
  for (const r of state.results) {
    if (r && RANK[r.status] > RANK[status]) {
      status = r.status;
      error = r.error;
    }
  }
  const output = state.items === undefined ? (state.results[0]?.outputs ?? null) : state.results.map((r) => (r?.status === 'succeeded' ? r.outputs : null));
  let startMs: number | undefined;
  let endMs: number | undefined;
  const fingerprints: string[] = [];
  forEachInner(rt, (inner) => {
    const rec = inner.record;
    if (rec.startMs !== undefined) startMs = startMs === undefined ? rec.startMs : Math.min(startMs, rec.startMs);
    if (rec.endMs !== undefined) endMs = endMs === undefined ? rec.endMs : Math.max(endMs, rec.endMs);
    if (host.fingerprints) fingerprints.push(inner.fingerprint ?? `status:${inner.status}`);
    if (inner.rerun) rt.rerun = true;
  });
  if (startMs !== undefined) rt.record.startMs = startMs;
  if (endMs !== undefined) rt.record.endMs = endMs;
  if (host.fingerprints && status === 'succeeded') {
    rt.fingerprint = combineFingerprints(rt.step.id, fingerprints);
    rt.record.fingerprint = rt.fingerprint;
  }
  const view = host.groupFinished(rt.step.id, status, rt.fingerprint, output);
  if (view !== undefined) rt.record.output = view;
  host.completeStep(rt, status, status === 'succeeded' ? output : undefined, error);
  host.released(rt, work);
}

/** Calls `fn` on every runtime inside a group (every instance, every iteration, nested groups' too), in order. */
export function forEachInner(rt: StepRuntime, fn: (inner: StepRuntime) => void): void {
  const state = rt.groupState;
  if (!state) return;
  for (const iterations of state.slots) {
    for (const instance of iterations) {
      for (const inner of instance.runtimes) {
        fn(inner);
        forEachInner(inner, fn);
      }
    }
  }
}

/** Whether a failure of this runtime leaves the run going: it, or a group around it, continues on error. */
export function continuesOnError(rt: StepRuntime): boolean {
  for (let r: StepRuntime | undefined = rt; r !== undefined; r = r.frame?.group) if (r.step.continueOnError) return true;
  return false;
}

/** Whether a runtime is final (for callers that hold only the group module). */
export { isFinal };
