import type { AgentLookup } from '../agents/agent-definition.ts';
import { stagePolicyOf } from '../agents/stage-policy.ts';
import { resolveEngineSettings } from '../config/resolve-engine-settings.ts';
import type { SettingsLayers } from '../config/resolve-engine-settings.ts';
import type { SettingSource } from '../config/settings-layer.ts';
import { parseDuration } from '../dsl/duration.ts';
import { dependencyNames, stepGraph, type StepGraph } from '../dsl/step-graph.ts';
import { workflowExpressions } from '../dsl/workflow-expressions.ts';
import type { LoadedWorkflow, RetrySpec, StepSpec, WorkflowConfigSpec, WorkflowDocument } from '../dsl/workflow-document.ts';
import { UcopError } from '../errors/ucop-error.ts';
import type { ExprNode } from '../expr/ast.ts';
import type { CompiledPlan, EngineSettings, PlanGroup, PlanStep, RetryPolicySettings } from './plan-types.ts';
import { groupDocument } from '../dsl/group-level.ts';
import { calledWorkflow } from '../dsl/uses.ts';
import { escapingReferences } from '../dsl/workflow-expressions.ts';
import { criticalPath, remainingTimes } from './critical-path.ts';
import { parallelGroups } from './plan-graph.ts';
import { topologicalOrderOf } from './topological-order.ts';
import { stepList } from '../dsl/step-entries.ts';
import { memoizedDuration } from '../dsl/duration-memo.ts';

export interface CompileOptions {
  /** The agents the workflow was validated against: they give the default estimates. */
  agents: AgentLookup;
  /** The other configuration layers; the workflow's own `config:` is taken from the document. */
  layers?: Omit<SettingsLayers, 'workflow'>;
}

/** A compiled plan and where each run-wide setting came from (for `ucop plan` and `ucop config show`). */
export interface CompiledPlanWithSources {
  plan: CompiledPlan;
  sources: Record<string, SettingSource>;
}

/**
 * Compiles a validated workflow into the plan the engines run: templates parsed once, dependencies,
 * deterministic order, parallel groups, critical-path figures, and every step's effective settings
 * (configuration layers applied, then the step's own `timeout`, `retry`, `provider`, ...).
 * @throws UcopError DAG_CYCLE, UNKNOWN_AGENT, UNKNOWN_CONCURRENCY_GROUP, CONFIG_INVALID when given a
 *   workflow that did not pass validation with the same agents and layers.
 * @example
 * const { workflow } = await loadWorkflowFile('workflows/blog.yaml', { agents });
 * const plan = compileWorkflow(workflow!, { agents, layers: { env: settingsFromEnv() } });
 */
export function compileWorkflow(loaded: LoadedWorkflow, options: CompileOptions): CompiledPlan {
  return compileWorkflowWithSources(loaded, options).plan;
}

/** {@link compileWorkflow}, also returning where each setting came from. */
export function compileWorkflowWithSources(loaded: LoadedWorkflow, options: CompileOptions): CompiledPlanWithSources {
  const doc = loaded.document;
  const expressions = workflowExpressions(doc);
  const firstProblem = expressions.problems[0];
  if (firstProblem) throw new UcopError(firstProblem.code, firstProblem.message, { fields: { path: firstProblem.path } });

  const { settings, sources } = resolveEngineSettings({ ...options.layers, workflow: workflowLayer(doc) });
  const level = compileLevel(doc, settings, options.agents);
  // At the top level the tail is 0: only groups' inner steps change.
  for (const step of level.withBody) addTailToInnerSteps(step.body!.steps, step.remainingMs - step.estimateMs);
  const { steps, order, groups, totalWorkMs } = level;
  const plan: CompiledPlan = {
    workflow: doc.name,
    file: loaded.file,
    sourceMap: loaded.sourceMap,
    settings,
    inputs: doc.inputs,
    env: doc.env,
    state: { ...calledState(doc), ...doc.state },
    steps,
    order,
    groups,
    criticalPath: level.criticalPath,
    totalWorkMs,
    outputs: expressions.outputs,
  };
  if (doc.description !== undefined) plan.description = doc.description;
  return { plan, sources };
}

/** One level's compiled steps: the workflow's, or a group's inner pipeline. */
interface CompiledLevel {
  steps: Record<string, PlanStep>;
  order: string[];
  groups: string[][];
  criticalPath: { steps: string[]; ms: number };
  totalWorkMs: number;
  /** The level's group steps (inline `steps:` or `uses:`), not part of the plan. */
  withBody: PlanStep[];
}

function compileLevel(doc: WorkflowDocument, settings: EngineSettings, agents: AgentLookup): CompiledLevel {
  const expressions = workflowExpressions(doc);
  const firstProblem = expressions.problems[0];
  if (firstProblem) throw new UcopError(firstProblem.code, firstProblem.message, { fields: { path: firstProblem.path } });
  const graph = stepGraph(doc, expressions);
  const fileOrder = graph.ids;
  const order = topologicalOrderOf(graph);
  const { groups, groupOf } = parallelGroups(graph, order);
  const { specs } = stepList(doc);
  const bodies = new Map<number, PlanGroup>();
  const estimates = new Float64Array(fileOrder.length);
  const work = new Float64Array(fileOrder.length);
  for (let i = 0; i < fileOrder.length; i += 1) {
    const spec = specs[i]!;
    const group = groupBody(doc, fileOrder[i]!, spec, settings, agents);
    if (group) {
      bodies.set(i, group);
      const iterations = group.repeat ? (spec.expect?.iterations ?? 1) : 1;
      estimates[i] = group.instanceMs * iterations;
      work[i] = group.instanceWorkMs * iterations * (spec.for_each === undefined ? 1 : (spec.expect?.items ?? spec.expected_items ?? 1));
    } else {
      estimates[i] = stepEstimate(fileOrder[i]!, spec, agents);
      work[i] = estimates[i]! * (spec.for_each === undefined ? 1 : (spec.expect?.items ?? spec.expected_items ?? 1));
    }
  }
  const remaining = remainingTimes(graph, order, estimates);
  const orderOf = new Int32Array(fileOrder.length);
  for (let o = 0; o < order.length; o += 1) orderOf[order[o]!] = o;

  // Steps share what does not change between them (settings, empty lists, parsed templates): a plan of
  // 50,000 steps would otherwise hold 50,000 copies of the same retry policy and fallback list.
  const steps: Record<string, PlanStep> = {};
  const withBody: PlanStep[] = [];
  let totalWorkMs = 0;
  for (let i = 0; i < fileOrder.length; i += 1) {
    const id = fileOrder[i]!;
    const spec = specs[i]!;
    const parsed = expressions.byIndex[i]!;
    const estimateMs = estimates[i]!;
    totalWorkMs += bodies.has(i) ? work[i]! : estimateMs;
    const body = bodies.get(i);
    const step: PlanStep = {
      id,
      agent: body ? (spec.uses !== undefined ? `uses:${spec.uses}` : 'group') : spec.agent,
      dependencies: sortedIds(dependencyNames(graph, i)),
      dependents: sortedIds(namesOf(graph, graph.dependents, graph.dependentStart[i]!, graph.dependentStart[i + 1]!)),
      group: groupOf[i]!,
      order: orderOf[i]!,
      with: parsed.with,
      writes: spec.writes && spec.writes.length > 0 ? spec.writes : NO_NAMES,
      timeoutMs: spec.timeout === undefined ? settings.stepTimeoutMs : durationMs(spec.timeout),
      retry: stepRetry(settings.retry, spec.retry),
      continueOnError: spec.continue_on_error ?? false,
      estimateMs,
      remainingMs: remaining[i]!,
      fallback: spec.fallback ?? settings.fallback,
    };
    if (body) {
      step.body = body;
      withBody.push(step);
    }
    if (parsed.forEach && parsed.forEach.kind !== 'not-a-list') {
      step.forEach = parsed.forEach.parsed; // shared with the validation: parsed trees are never mutated
      const items = spec.expect?.items ?? spec.expected_items ?? expectedItemCount(step.forEach.expr, doc.inputs);
      if (items !== undefined) step.expectedItems = items;
    }
    if (spec.repeat?.max !== undefined && spec.expect?.iterations !== undefined) step.expectedIterations = spec.expect.iterations;
    if (spec.follow_up && parsed.followUp) {
      step.followUp = { from: spec.follow_up.from.split('.'), each: parsed.followUp.each, maxOpen: spec.follow_up.max_open ?? 100 };
      if (parsed.followUp.target) step.followUp.target = parsed.followUp.target;
      if (spec.expect?.follow_ups !== undefined) step.expectedIterations = spec.expect.follow_ups;
    }
    if (parsed.condition) step.condition = parsed.condition;
    if (spec.max_parallel !== undefined) step.maxParallel = spec.max_parallel;
    const group = concurrencyGroupOf(id, spec, settings);
    if (group) step.concurrencyGroup = group;
    const provider = spec.provider ?? settings.provider;
    if (provider !== undefined) step.provider = provider;
    const policy = stagePolicyOf(spec);
    if (policy) step.policy = policy;
    steps[id] = step;
  }
  return { steps, order: Array.from(order, (i) => fileOrder[i]!), groups, criticalPath: criticalPath(graph, remaining), totalWorkMs, withBody };
}

/** The inner pipeline of a group step (inline `steps:`), compiled; undefined for other steps. */
function groupBody(doc: WorkflowDocument, id: string, spec: StepSpec, settings: EngineSettings, agents: AgentLookup): PlanGroup | undefined {
  if (spec.uses !== undefined) {
    const called = calledWorkflow(spec);
    if (!called) throw new UcopError('FILE_NOT_FOUND', `step \`${id}\` calls \`${spec.uses}\`, which was not loaded: load the workflow with loadWorkflowFile`, { fields: { step: id, uses: spec.uses } });
    const level = compileLevel(called.document, settings, agents);
    return {
      steps: level.steps,
      order: level.order,
      outputs: workflowExpressions(called.document).outputs,
      outerRefs: [],
      uses: { file: called.file, inputs: called.document.inputs },
      instanceMs: level.criticalPath.ms,
      instanceWorkMs: level.totalWorkMs,
    };
  }
  if (spec.steps === undefined) return undefined;
  const inner = groupDocument(doc, spec);
  const level = compileLevel(inner, settings, agents);
  const expressions = workflowExpressions(inner);
  const outerRefs = [...new Set(escapingReferences(inner).map((ref) => ref.name!))];
  const body: PlanGroup = { steps: level.steps, order: level.order, outputs: expressions.outputs, outerRefs, instanceMs: level.criticalPath.ms, instanceWorkMs: level.totalWorkMs };
  if (spec.repeat && expressions.until) {
    if (spec.repeat.max === undefined) throw new UcopError('LOOP_UNBOUNDED', `the loop \`${id}\` has no bound: add \`max:\` to its \`repeat:\``, { fields: { step: id } });
    body.repeat = { until: expressions.until, max: spec.repeat.max, onMax: spec.repeat.on_max ?? 'fail' };
  }
  return body;
}

/**
 * Inner steps get the group's remaining time after it added to theirs, so that the critical-path-first
 * scheduler weighs an inner step of a group on the critical path above an unrelated short step.
 */
function addTailToInnerSteps(steps: Record<string, PlanStep>, tail: number): void {
  for (const step of Object.values(steps)) {
    if (tail > 0) step.remainingMs += tail;
    if (step.body) addTailToInnerSteps(step.body.steps, step.remainingMs - step.estimateMs);
  }
}

/** The state keys that called workflows (at any depth) declare: they are the run's state keys too. */
function calledState(doc: WorkflowDocument, out: WorkflowDocument['state'] = {}): WorkflowDocument['state'] {
  const visit = (steps: readonly StepSpec[]): void => {
    for (const step of steps) {
      if (step.steps === undefined && step.uses === undefined) continue;
      if (step.steps) visit(Object.values(step.steps));
      const called = step.uses === undefined ? undefined : calledWorkflow(step);
      if (called) {
        calledState(called.document, out);
        Object.assign(out, called.document.state);
      }
    }
  };
  visit(stepList(doc).specs);
  return out;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Shared by every step that writes nothing. */
const NO_NAMES: string[] = Object.freeze([]) as unknown as string[];

/** The list itself when already sorted by id (the usual case: ids numbered in file order), else a sorted copy. */
function sortedIds(list: readonly string[]): string[] {
  for (let k = 1; k < list.length; k += 1) if (list[k - 1]! > list[k]!) return [...list].sort(compareIds);
  return list.length === 0 ? NO_NAMES : (list as string[]);
}

function namesOf(graph: StepGraph, indices: Int32Array, from: number, to: number): string[] {
  const names = new Array<string>(to - from);
  for (let k = from; k < to; k += 1) names[k - from] = graph.ids[indices[k]!]!;
  return names;
}

/**
 * The workflow's settings layer: its `config:` plus the limits that steps give inline
 * (`concurrency: { group: llm, limit: 3 }`). `config.concurrency` wins over inline limits; when steps give
 * different limits for one group, the smallest is kept (the safe choice).
 */
function workflowLayer(doc: WorkflowDocument): WorkflowConfigSpec {
  const inline: Record<string, { limit: number }> = {};
  const limit = (group: string, value: number): void => {
    const current = inline[group]?.limit;
    inline[group] = { limit: current === undefined ? value : Math.min(current, value) };
  };
  const visit = (steps: readonly StepSpec[]): void => {
    for (const step of steps) {
      const c = step.concurrency;
      if (typeof c === 'object' && c.limit !== undefined) limit(c.group, c.limit);
      if (step.steps) visit(Object.values(step.steps));
      // A called workflow brings its concurrency groups (its other settings are the run's).
      const called = step.uses === undefined ? undefined : calledWorkflow(step);
      if (called) {
        for (const [group, spec] of Object.entries(called.document.config.concurrency ?? {})) limit(group, spec.limit);
        visit(stepList(called.document).specs);
      }
    }
  };
  visit(stepList(doc).specs);
  if (Object.keys(inline).length === 0) return doc.config;
  return { ...doc.config, concurrency: { ...inline, ...doc.config.concurrency } };
}

function stepEstimate(id: string, spec: StepSpec, agents: AgentLookup): number {
  if (spec.estimate !== undefined) return durationMs(spec.estimate);
  const agent = agents.get(spec.agent);
  if (!agent) throw new UcopError('UNKNOWN_AGENT', `step \`${id}\` uses the agent \`${spec.agent}\`, which is not registered`, { fields: { step: id, agent: spec.agent } });
  return agent.estimate?.(literalInputs(spec.with)) ?? agent.estimateMs;
}

/** The `with:` values that are plain data (no `${{ }}`): what an agent's `estimate` may look at. */
function literalInputs(values: Record<string, unknown> | undefined): Record<string, unknown> {
  const literal: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values ?? {})) {
    if (typeof value === 'string' && value.includes('${{')) continue;
    literal[key] = value;
  }
  return literal;
}

function stepRetry(base: RetryPolicySettings, spec: RetrySpec | undefined): RetryPolicySettings {
  if (!spec) return base;
  return {
    attempts: spec.attempts ?? base.attempts,
    backoff: spec.backoff ?? base.backoff,
    delayMs: spec.delay === undefined ? base.delayMs : durationMs(spec.delay),
    maxDelayMs: spec.max_delay === undefined ? base.maxDelayMs : durationMs(spec.max_delay),
  };
}

/** A validated duration in ms: {@link parseDuration} (which throws BAD_DURATION), remembered per text. */
function durationMs(text: string): number {
  return memoizedDuration(text) ?? parseDuration(text);
}

function concurrencyGroupOf(id: string, spec: StepSpec, settings: EngineSettings): { name: string; limit: number } | undefined {
  const c = spec.concurrency;
  if (c === undefined) return undefined;
  const name = typeof c === 'string' ? c : c.group;
  const limit = settings.concurrencyGroups[name];
  if (limit === undefined) {
    throw new UcopError('UNKNOWN_CONCURRENCY_GROUP', `step \`${id}\` joins the concurrency group \`${name}\`, which has no limit`, { fields: { step: id, group: name } });
  }
  return { name, limit };
}

/**
 * The item count of a fan-out known at plan time: a literal list, or a bare `inputs.<name>` whose declared
 * default is a list. Anything computed at run time (a step's output) is unknown.
 */
function expectedItemCount(expr: ExprNode, inputs: WorkflowDocument['inputs']): number | undefined {
  if (expr.kind === 'array') return expr.items.length;
  if (expr.kind === 'path' && expr.root === 'inputs' && expr.segments.length === 1 && expr.segments[0]!.kind === 'key') {
    const value = inputs[expr.segments[0]!.name]?.default;
    if (Array.isArray(value)) return value.length;
  }
  return undefined;
}
