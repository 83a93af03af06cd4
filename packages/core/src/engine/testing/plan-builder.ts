import type { ExprNode, PathRoot, PathSegment, Template } from '../../expr/ast.ts';
import type { CompiledPlan, EngineSettings, PlanStep, RetryPolicySettings } from '../../plan/plan-types.ts';
import { BinaryHeap } from '../binary-heap.ts';
import type { InputSpec, EnvSpec, StateKeySpec } from '../../dsl/workflow-document.ts';

/** A step as the tests describe it; everything the compiler would derive is derived here. */
export interface TestStepSpec {
  /** @default 'sim.delay' */
  agent?: string;
  needs?: string[];
  /** A plain value (taken literally) or a compiled template. */
  with?: unknown;
  forEach?: ExprNode;
  condition?: ExprNode;
  writes?: string[];
  timeoutMs?: number;
  retry?: Partial<RetryPolicySettings>;
  maxParallel?: number;
  concurrencyGroup?: { name: string; limit: number };
  continueOnError?: boolean;
  /** @default the `ms` of a literal `with`, else 10 */
  estimateMs?: number;
  provider?: string;
}

export interface TestPlanSpec {
  /** @default 'test' */
  workflow?: string;
  settings?: Partial<EngineSettings>;
  inputs?: Record<string, InputSpec>;
  env?: Record<string, EnvSpec>;
  state?: Record<string, StateKeySpec>;
  steps: Record<string, TestStepSpec>;
  outputs?: Record<string, Template>;
}

/** Defaults close to the compiler's; generous so that tests only see the limits they set. */
export const TEST_SETTINGS: EngineSettings = {
  parallel: true,
  maxParallel: 4,
  failFast: false,
  timeoutMs: 0,
  stepTimeoutMs: 60_000,
  retry: { attempts: 1, backoff: 'exponential', delayMs: 100, maxDelayMs: 10_000 },
  maxSteps: 100_000,
  noProgressTimeoutMs: 0,
  cancelGraceMs: 1_000,
  concurrencyGroups: {},
  fallback: [],
};

// --- expression helpers (the tests do not depend on the expression parser) ---

/** `root.a.b` as an AST path: `path('steps', 'fetch', 'output')`. */
export function path(root: PathRoot, ...keys: (string | number)[]): ExprNode {
  const segments: PathSegment[] = keys.map((k) => (typeof k === 'number' ? { kind: 'index', expr: lit(k) } : { kind: 'key', name: k }));
  return { kind: 'path', root, segments, start: 0 };
}

export function lit(value: string | number | boolean | null): ExprNode {
  return { kind: 'literal', value, start: 0 };
}

export function binary(op: '==' | '!=' | '&&' | '||' | '<' | '>' | '+', left: ExprNode, right: ExprNode): ExprNode {
  return { kind: 'binary', op, left, right, start: 0 };
}

export function not(operand: ExprNode): ExprNode {
  return { kind: 'unary', op: '!', operand, start: 0 };
}

/** A template that is one expression (keeps the value's type). */
export function expr(node: ExprNode): Template {
  return { kind: 'expr', source: '<test>', expr: node };
}

/** An object template whose values are templates or literals. */
export function obj(entries: Record<string, Template | unknown>): Template {
  return { kind: 'object', entries: Object.entries(entries).map(([k, v]) => [k, isTemplate(v) ? v : { kind: 'literal', value: v }]) };
}

function isTemplate(value: unknown): value is Template {
  if (typeof value !== 'object' || value === null || !('kind' in value)) return false;
  const kind = (value as { kind: unknown }).kind;
  return kind === 'literal' || kind === 'expr' || kind === 'interpolation' || kind === 'array' || kind === 'object';
}

function collectStepRefs(node: ExprNode | undefined, out: Set<string>): void {
  if (!node) return;
  switch (node.kind) {
    case 'path': {
      const first = node.segments[0];
      if (node.root === 'steps' && first?.kind === 'key') out.add(first.name);
      for (const s of node.segments) if (s.kind === 'index') collectStepRefs(s.expr, out);
      return;
    }
    case 'unary':
      collectStepRefs(node.operand, out);
      return;
    case 'binary':
      collectStepRefs(node.left, out);
      collectStepRefs(node.right, out);
      return;
    case 'call':
    case 'array':
      for (const a of node.kind === 'call' ? node.args : node.items) collectStepRefs(a, out);
      return;
    case 'member':
      collectStepRefs(node.object, out);
      for (const s of node.segments) if (s.kind === 'index') collectStepRefs(s.expr, out);
      return;
    default:
      return;
  }
}

function collectTemplateRefs(t: Template, out: Set<string>): void {
  switch (t.kind) {
    case 'expr':
      collectStepRefs(t.expr, out);
      return;
    case 'interpolation':
      for (const p of t.parts) if ('expr' in p) collectStepRefs(p.expr, out);
      return;
    case 'array':
      for (const i of t.items) collectTemplateRefs(i, out);
      return;
    case 'object':
      for (const [, v] of t.entries) collectTemplateRefs(v, out);
      return;
    default:
      return;
  }
}

/**
 * Builds a {@link CompiledPlan} directly (dependencies, dependents, order, groups, remaining path), so that
 * engine tests do not need the DSL compiler. Steps keep declaration order for ties.
 */
export function buildPlan(spec: TestPlanSpec): CompiledPlan {
  const settings: EngineSettings = { ...TEST_SETTINGS, ...spec.settings, retry: { ...TEST_SETTINGS.retry, ...spec.settings?.retry } };
  const ids = Object.keys(spec.steps);
  const deps = new Map<string, string[]>();
  const withs = new Map<string, Template>();
  for (const id of ids) {
    const s = spec.steps[id]!;
    const tpl: Template = isTemplate(s.with) ? s.with : { kind: 'literal', value: s.with ?? {} };
    withs.set(id, tpl);
    const refs = new Set<string>(s.needs ?? []);
    collectTemplateRefs(tpl, refs);
    collectStepRefs(s.forEach, refs);
    collectStepRefs(s.condition, refs);
    refs.delete(id);
    for (const r of refs) if (!spec.steps[r]) throw new Error(`test plan: step "${id}" refers to unknown step "${r}"`);
    deps.set(id, [...refs].sort());
  }
  // Kahn's algorithm with declaration order for ties: the compiler's deterministic order.
  const indegree = new Map(ids.map((id) => [id, deps.get(id)!.length]));
  const dependents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) for (const d of deps.get(id)!) dependents.get(d)!.push(id);
  const position = new Map(ids.map((id, i) => [id, i]));
  const ready = new BinaryHeap<{ heapIndex: number; id: string; pos: number }>((a, b) => a.pos - b.pos);
  for (const id of ids) if (indegree.get(id) === 0) ready.push({ heapIndex: -1, id, pos: position.get(id)! });
  const order: string[] = [];
  for (let next = ready.pop(); next; next = ready.pop()) {
    order.push(next.id);
    for (const d of dependents.get(next.id)!) {
      indegree.set(d, indegree.get(d)! - 1);
      if (indegree.get(d) === 0) ready.push({ heapIndex: -1, id: d, pos: position.get(d)! });
    }
  }
  if (order.length < ids.length) throw new Error('test plan: cycle');
  const orderIndex = new Map(order.map((id, i) => [id, i]));
  const group = new Map<string, number>();
  for (const id of order) group.set(id, Math.max(-1, ...deps.get(id)!.map((d) => group.get(d)!)) + 1);
  const estimate = (id: string): number => {
    const s = spec.steps[id]!;
    if (s.estimateMs !== undefined) return s.estimateMs;
    const w = s.with as { ms?: unknown } | undefined;
    return typeof w?.ms === 'number' ? w.ms : 10;
  };
  const remaining = new Map<string, number>();
  for (const id of [...order].reverse()) {
    remaining.set(id, estimate(id) + Math.max(0, ...dependents.get(id)!.map((d) => remaining.get(d)!)));
  }
  const steps: Record<string, PlanStep> = {};
  for (const id of ids) {
    const s = spec.steps[id]!;
    steps[id] = {
      id,
      agent: s.agent ?? 'sim.delay',
      dependencies: deps.get(id)!,
      dependents: [...dependents.get(id)!].sort(),
      group: group.get(id)!,
      order: orderIndex.get(id)!,
      with: withs.get(id)!,
      forEach: s.forEach ? { source: '<test>', expr: s.forEach } : undefined,
      condition: s.condition ? { source: '<test>', expr: s.condition } : undefined,
      writes: s.writes ?? [],
      timeoutMs: s.timeoutMs ?? settings.stepTimeoutMs,
      retry: { ...settings.retry, ...s.retry },
      maxParallel: s.maxParallel,
      concurrencyGroup: s.concurrencyGroup,
      continueOnError: s.continueOnError ?? false,
      estimateMs: estimate(id),
      remainingMs: remaining.get(id)!,
      provider: s.provider,
      fallback: [],
    };
  }
  const groups: string[][] = [];
  for (const id of order) (groups[group.get(id)!] ??= []).push(id);
  // Critical path by estimates: follow the dependent with the largest remaining time from the best root.
  const cp: string[] = [];
  let cursor = ids.filter((id) => deps.get(id)!.length === 0).sort((a, b) => remaining.get(b)! - remaining.get(a)!)[0];
  while (cursor) {
    cp.push(cursor);
    cursor = [...dependents.get(cursor)!].sort((a, b) => remaining.get(b)! - remaining.get(a)!)[0];
  }
  return {
    workflow: spec.workflow ?? 'test',
    file: `${spec.workflow ?? 'test'}.yaml`,
    settings,
    inputs: spec.inputs ?? {},
    env: spec.env ?? {},
    state: spec.state ?? {},
    steps,
    order,
    groups,
    criticalPath: { steps: cp, ms: cp.length ? remaining.get(cp[0]!)! : 0 },
    totalWorkMs: ids.reduce((sum, id) => sum + estimate(id), 0),
    outputs: spec.outputs ?? {},
  };
}
