import { UcopError, toUcopError } from '../errors/ucop-error.ts';
import type { ExpressionScope } from '../expr/ast.ts';
import { evaluateExpression, renderTemplate } from '../expr/index.ts';
import type { PlanStep } from '../plan/plan-types.ts';
import type { StopKind } from './run-stop.ts';
import { createStepRuntime, isFinal, type FinalStatus, type StepRuntime } from './step-runtime.ts';

/** What follow-up tasks need from the run session (RunSession implements it). */
export interface FollowUpHost {
  register(rt: StepRuntime): void;
  released(rt: StepRuntime, work: StepRuntime[]): void;
  scopeOf(rt: StepRuntime): ExpressionScope;
  completeStep(rt: StepRuntime, status: FinalStatus, output: unknown, error?: UcopError, reason?: string): void;
  failed(rt: StepRuntime, record: StepRuntime['record'], itemIndex: number | undefined, error: UcopError): void;
  stopRun(kind: StopKind, error: UcopError): void;
  runtimeById(id: string): StepRuntime | undefined;
}

/** One template's live state. */
interface Template {
  readonly rt: StepRuntime;
  readonly from: string;
  open: number;
  /** The top-level step that holds every creating instance has finished: no more tasks will come. */
  creatorsDone: boolean;
}

/** The plan path of a runtime: `chapter.check` for `chapter[3].check`, its local ids from the top level. */
function planPath(rt: StepRuntime): string {
  return rt.frame ? `${planPath(rt.frame.group)}.${rt.localId}` : rt.localId;
}

/**
 * Follow-up tasks: when an instance of a template's `from` step succeeds, `each` is evaluated on its output
 * and one task per element is created from the template, depending on that instance (done) and on the
 * instance its `target` names (the task waits for it, or for it to be created). A template completes when
 * the top-level step holding its creators has finished and every task it created has; its output is the
 * list of its tasks' outputs in creation position order (not completion order), the same on both engines.
 */
export class FollowUps {
  readonly #host: FollowUpHost;
  readonly #byFrom = new Map<string, Template[]>();
  readonly #byTopLevel = new Map<string, Template[]>();
  readonly #byId = new Map<string, Template>();
  /** Tasks waiting for a target that does not exist yet, by target id. */
  readonly #waiting = new Map<string, StepRuntime[]>();

  constructor(host: FollowUpHost, templates: readonly StepRuntime[]) {
    this.#host = host;
    for (const rt of templates) {
      const from = rt.step.followUp!.from;
      const t: Template = { rt, from: from.join('.'), open: 0, creatorsDone: false };
      rt.spawned = [];
      this.#byId.set(rt.step.id, t);
      // Nothing opens a template by its dependencies: it completes when its tasks are done.
      rt.pendingDeps += 1;
      push(this.#byFrom, t.from, t);
      push(this.#byTopLevel, from[0]!, t);
    }
  }

  /** A runtime was created: tasks waiting for it as their target now wait on it. */
  created(rt: StepRuntime): void {
    const waiting = this.#waiting.get(rt.step.id);
    if (!waiting) return;
    this.#waiting.delete(rt.step.id);
    for (const task of waiting) rt.dependents.push(task);
  }

  /** A runtime completed: create the tasks its output asks for, and complete the templates that are done. */
  completed(rt: StepRuntime, work: StepRuntime[]): void {
    if (rt.task) {
      const t = this.#byId.get(rt.task.template);
      if (t) {
        t.open -= 1;
        this.#maybeDone(t, work);
      }
      return;
    }
    if (rt.status === 'succeeded' && !rt.step.body) {
      const templates = this.#byFrom.get(planPath(rt));
      if (templates) for (const t of templates) this.#create(t, rt, work);
    }
    if (rt.step.body) this.#targetsGone(rt, work);
    if (!rt.frame) {
      for (const t of this.#byTopLevel.get(rt.localId) ?? []) {
        t.creatorsDone = true;
        this.#maybeDone(t, work);
      }
    }
  }

  #create(t: Template, creator: StepRuntime, work: StepRuntime[]): void {
    const host = this.#host;
    const spec = t.rt.step.followUp!;
    const scope: ExpressionScope = { ...host.scopeOf(creator), output: creator.output };
    let list: unknown;
    try {
      list = evaluateExpression(spec.each.expr, scope);
    } catch (error) {
      this.#fail(t, new UcopError('EXPRESSION_EVAL', `follow-up \`${t.rt.step.id}\`: \`each\` \`${spec.each.source}\` could not be evaluated on ${creator.step.id}: ${toUcopError(error).message}`, { fields: { stepId: t.rt.step.id } }));
      return;
    }
    if (list === null || list === undefined) return;
    if (!Array.isArray(list)) {
      this.#fail(t, new UcopError('FOR_EACH_NOT_LIST_AT_RUNTIME', `follow-up \`${t.rt.step.id}\`: \`each\` \`${spec.each.source}\` gave no list on ${creator.step.id}`, { fields: { stepId: t.rt.step.id } }));
      return;
    }
    if (list.length === 0) return;
    if (t.open + list.length > spec.maxOpen) {
      host.stopRun(
        'guard',
        new UcopError(
          'FOLLOW_UP_LIMIT',
          `${t.open + list.length} follow-ups of \`${t.rt.step.id}\` would be open at once (max_open: ${spec.maxOpen}) after ${creator.step.id} asked for ${list.length}; none were created and the run stopped: raise \`follow_up.max_open\` of \`${t.rt.step.id}\`, or make the creating step report fewer`,
          { fields: { stepId: t.rt.step.id, open: t.open, asked: list.length, maxOpen: spec.maxOpen, creator: creator.step.id } },
        ),
      );
      return;
    }
    const base: PlanStep = t.rt.step;
    const source = creator.step.id;
    list.forEach((item, index) => {
      const id = `${base.id}[${source}.${index}]`;
      const step: PlanStep = { ...base, id, dependencies: [], dependents: [], writerOrder: base.order, position: [creator.step.writerOrder ?? creator.step.order, ...(creator.step.position ?? []), index] };
      delete step.followUp;
      const task = createStepRuntime(step, undefined, id);
      task.task = { item, index, source, template: base.id };
      task.deps = [creator];
      let failure: UcopError | undefined;
      if (spec.target) {
        let target: unknown;
        try {
          target = renderTemplate(spec.target, { ...host.scopeOf(creator), item, index, source });
        } catch (error) {
          failure = toUcopError(error, 'EXPRESSION_EVAL');
        }
        if (typeof target === 'string') this.#waitFor(task, target);
        else failure ??= new UcopError('FOLLOW_UP_TARGET_UNKNOWN', `follow-up ${id}: its target is not a step id`, { fields: { stepId: id } });
      }
      t.rt.spawned!.push(task);
      t.open += 1;
      host.register(task);
      if (failure) {
        host.failed(task, task.record, undefined, failure);
        host.completeStep(task, 'failed', undefined, failure);
        host.released(task, work);
      } else if (task.pendingDeps === 0) {
        work.push(task);
      }
    });
  }

  /** The task also waits for `target`: now if it exists, else when it is created. */
  #waitFor(task: StepRuntime, target: string): void {
    const rt = this.#host.runtimeById(target);
    if (rt) {
      task.deps.push(rt);
      if (!isFinal(rt.status)) {
        task.pendingDeps += 1;
        rt.dependents.push(task);
      }
      return;
    }
    task.pendingDeps += 1;
    push(this.#waiting, target, task);
  }

  /** A group finished: targets under it that were never created never will be. */
  #targetsGone(group: StepRuntime, work: StepRuntime[]): void {
    const prefix = group.step.id;
    for (const [target, tasks] of [...this.#waiting]) {
      if (!target.startsWith(`${prefix}[`) && !target.startsWith(`${prefix}#`) && !target.startsWith(`${prefix}.`)) continue;
      this.#waiting.delete(target);
      for (const task of tasks) {
        const error = new UcopError('FOLLOW_UP_TARGET_UNKNOWN', `follow-up ${task.step.id} waits for \`${target}\`, which is not a step of this run (the group \`${prefix}\` ended without it): check \`follow_up.target\``, {
          fields: { stepId: task.step.id, target },
        });
        this.#host.failed(task, task.record, undefined, error);
        this.#host.completeStep(task, 'failed', undefined, error);
        this.#host.released(task, work);
      }
    }
  }

  #fail(t: Template, error: UcopError): void {
    this.#host.failed(t.rt, t.rt.record, undefined, error);
  }

  #maybeDone(t: Template, work: StepRuntime[]): void {
    if (!t.creatorsDone || t.open > 0 || isFinal(t.rt.status)) return;
    const tasks = [...t.rt.spawned!].sort(comparePosition);
    const failed = tasks.find((task) => task.status !== 'succeeded' && !(t.rt.step.continueOnError && (task.status === 'failed' || task.status === 'timed_out')));
    const status: FinalStatus = failed ? (failed.status as FinalStatus) : 'succeeded';
    t.rt.pendingDeps = 0;
    this.#host.completeStep(t.rt, status === 'skipped' ? 'succeeded' : status, tasks.map((task) => (task.status === 'succeeded' ? task.output : null)), failed?.error);
    this.#host.released(t.rt, work);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Orders tasks by their creator's position, then element: the same order on both engines. */
export function comparePosition(a: StepRuntime, b: StepRuntime): number {
  const p = a.step.position ?? [];
  const q = b.step.position ?? [];
  for (let i = 0; i < Math.min(p.length, q.length); i += 1) if (p[i] !== q[i]) return p[i]! - q[i]!;
  return p.length - q.length;
}
