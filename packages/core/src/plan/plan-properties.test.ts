import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blogAgents } from '../dsl/testing/fake-agents.ts';
import { validateWorkflowSource } from '../dsl/validate-workflow.ts';
import { compileWorkflow } from './compile-workflow.ts';
import { estimatePlan } from './estimate-plan.ts';
import type { CompiledPlan } from './plan-types.ts';

/** A random DAG: node i depends only on nodes created before it; the file lists nodes in a shuffled order. */
interface RandomDag {
  estimates: number[];
  deps: number[][];
  /** Which dependencies are written as `${{ steps.X.output }}` rather than in `needs`. */
  viaReference: boolean[][];
  fileOrder: number[];
}

const dagArbitrary = (minNodes: number, maxNodes: number) =>
  fc.integer({ min: minNodes, max: maxNodes }).chain((n) =>
    fc.record({
      estimates: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: n, maxLength: n }),
      deps: fc.tuple(...Array.from({ length: n }, (_, i) => fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, i - 1) }), { maxLength: i === 0 ? 0 : Math.min(i, 4) }))),
      viaReference: fc.array(fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), { minLength: n, maxLength: n }),
      fileOrder: fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i), { minLength: n, maxLength: n }),
    }),
  ) as fc.Arbitrary<RandomDag>;

const name = (i: number) => `n${i}`;

function toYaml(dag: RandomDag): string {
  const lines = ['version: 1', 'name: random', 'steps:'];
  for (const i of dag.fileOrder) {
    const needs = dag.deps[i]!.filter((_, k) => !dag.viaReference[i]![k]).map(name);
    const refs = dag.deps[i]!.filter((_, k) => dag.viaReference[i]![k]).map((d) => `"\${{ steps.${name(d)}.output }}"`);
    lines.push(`  ${name(i)}: { agent: code.validate, estimate: ${dag.estimates[i]}ms, needs: [${needs.join(', ')}], with: { refs: [${refs.join(', ')}] } }`);
  }
  return `${lines.join('\n')}\n`;
}

function compile(dag: RandomDag): CompiledPlan {
  const agents = blogAgents();
  const { workflow, diagnostics } = validateWorkflowSource(toYaml(dag), 'random.yaml', { agents });
  expect(diagnostics).toEqual([]);
  return compileWorkflow(workflow!, { agents });
}

// --- Brute-force references: simple, slow, obviously right ---

/** Generation of each node: relax `level = 1 + max(level of deps)` until nothing changes. */
function referenceLevels(dag: RandomDag): number[] {
  const level = dag.estimates.map(() => 0);
  for (let changed = true; changed; ) {
    changed = false;
    dag.deps.forEach((deps, i) => {
      const next = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => level[d]!));
      if (next !== level[i]) {
        level[i] = next;
        changed = true;
      }
    });
  }
  return level;
}

/** Longest path (by estimate) starting at each node, by enumerating every path. Exponential: small graphs. */
function exhaustiveRemaining(dag: RandomDag): number[] {
  const children = dag.estimates.map((_, i) => dag.deps.flatMap((deps, j) => (deps.includes(i) ? [j] : [])));
  const walk = (i: number): number => dag.estimates[i]! + Math.max(0, ...children[i]!.map(walk));
  return dag.estimates.map((_, i) => walk(i));
}

/** Longest path from each node by Bellman-Ford style relaxation: fine for hundreds of nodes. */
function relaxedRemaining(dag: RandomDag): number[] {
  const rem = [...dag.estimates];
  for (let round = 0; round < dag.estimates.length; round++) {
    dag.deps.forEach((deps, j) => {
      for (const i of deps) rem[i] = Math.max(rem[i]!, dag.estimates[i]! + rem[j]!);
    });
  }
  return rem;
}

/** The sequential order: repeatedly take the ready node that comes first in the file. */
function referenceOrder(dag: RandomDag): number[] {
  const done = new Set<number>();
  const order: number[] = [];
  while (order.length < dag.estimates.length) {
    const next = dag.fileOrder.find((i) => !done.has(i) && dag.deps[i]!.every((d) => done.has(d)))!;
    done.add(next);
    order.push(next);
  }
  return order;
}

function checkAgainstReference(dag: RandomDag, remaining: number[]): void {
  const plan = compile(dag);
  const levels = referenceLevels(dag);
  const position = new Map(dag.fileOrder.map((id, p) => [id, p]));

  // Groups: every node in the group of its level, each group in file order.
  const groups: number[][] = [];
  dag.fileOrder.forEach((i) => (groups[levels[i]!] ??= []).push(i));
  expect(plan.groups).toEqual(groups.map((g) => g.map(name)));
  dag.estimates.forEach((_, i) => expect(plan.steps[name(i)]!.group).toBe(levels[i]));

  // Order: the reference order, and it respects every dependency.
  expect(plan.order).toEqual(referenceOrder(dag).map(name));
  expect(position.size).toBe(dag.estimates.length);

  // Remaining times, critical path and lower bound.
  dag.estimates.forEach((_, i) => expect(plan.steps[name(i)]!.remainingMs).toBe(remaining[i]));
  const cp = Math.max(...remaining);
  expect(plan.criticalPath.ms).toBe(cp);
  const path = plan.criticalPath.steps.map((s) => Number(s.slice(1)));
  expect(dag.deps[path[0]!]).toEqual([]);
  path.slice(1).forEach((node, k) => expect(dag.deps[node]).toContain(path[k]));
  expect(path.reduce((sum, i) => sum + dag.estimates[i]!, 0)).toBe(cp);
  expect(remaining[path[path.length - 1]!]).toBe(dag.estimates[path[path.length - 1]!]); // ends at a sink

  const total = dag.estimates.reduce((a, b) => a + b, 0);
  expect(plan.totalWorkMs).toBe(total);
  for (const workers of [1, 3, 8]) {
    expect(estimatePlan(plan, workers).lowerBoundMs).toBe(Math.max(cp, total / workers));
  }
}

describe('compiled plans match brute-force references on random DAGs', () => {
  it('small DAGs: remaining times by enumerating every path', () => {
    fc.assert(
      fc.property(dagArbitrary(1, 9), (dag) => checkAgainstReference(dag, exhaustiveRemaining(dag))),
      { numRuns: 150 },
    );
  });

  it('DAGs of hundreds of steps compile, and match the relaxation reference', () => {
    fc.assert(
      fc.property(dagArbitrary(100, 400), (dag) => checkAgainstReference(dag, relaxedRemaining(dag))),
      { numRuns: 25 },
    );
  });
});
