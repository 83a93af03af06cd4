import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { compileWorkflow } from '../plan/compile-workflow.ts';
import { validateWorkflowSource } from '../dsl/validate-workflow.ts';
import { formatDiagnostic } from '../errors/diagnostic.ts';
import { createSimHarness } from './testing/sim-harness.ts';
import { computeRunMetrics } from '../run/run-metrics.ts';

/**
 * A random nested workflow as YAML: levels of sim.delay steps and groups (for_each over literal lists,
 * repeat loops, up to three levels deep), inner dependencies, outputs that read dependencies, items and
 * iterations, state writes of every reducer, failures with and without continue_on_error.
 */
function randomWorkflow(seed: number, maxParallel: number): string {
  let s = seed >>> 0 || 1;
  const rand = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const pick = (n: number) => Math.floor(rand() * n);
  let counter = 0;
  const level = (depth: number, indent: string, scope: { item: boolean; loop: boolean }): { lines: string[]; ids: string[] } => {
    const lines: string[] = [];
    const ids: string[] = [];
    const n = 1 + pick(depth === 0 ? 5 : 3);
    for (let i = 0; i < n; i += 1) {
      const id = `s${counter++}`;
      const deps = ids.filter(() => rand() < 0.4);
      const refs = deps.map((d) => `\${{ steps.${d}.output }}`);
      const extras = [scope.item ? '${{ index }}:${{ item }}' : '', scope.loop ? 'i${{ iteration }}' : ''].filter(Boolean);
      const needs = deps.length > 0 ? `, needs: [${deps.join(', ')}]` : '';
      if (depth < 3 && rand() < 0.35) {
        const loop = rand() < 0.3;
        lines.push(`${indent}${id}:`);
        if (deps.length > 0) lines.push(`${indent}  needs: [${deps.join(', ')}]`);
        const fanOut = !loop || rand() < 0.5;
        if (fanOut) lines.push(`${indent}  for_each: [${Array.from({ length: pick(4) }, () => pick(20)).join(', ')}]`);
        if (rand() < 0.4) lines.push(`${indent}  max_parallel: ${1 + pick(2)}`);
        if (loop) lines.push(`${indent}  repeat: { until: "\${{ iteration >= ${1 + pick(3)} }}", max: 3, on_max: continue }`);
        if (rand() < 0.2) lines.push(`${indent}  continue_on_error: true`);
        lines.push(`${indent}  steps:`);
        const inner = level(depth + 1, `${indent}    `, { item: scope.item || fanOut, loop: scope.loop || loop });
        lines.push(...inner.lines);
        lines.push(`${indent}  outputs: { last: "\${{ steps.${inner.ids[inner.ids.length - 1]}.output }}" }`);
      } else {
        const failing = rand() < 0.12;
        const ms = scope.item && rand() < 0.5 ? '"${{ item }}"' : String(pick(30));
        const fail = failing ? `, fail_attempts: 1, retryable: ${rand() < 0.5}` : '';
        const output = JSON.stringify([id, ...extras, ...refs]);
        const write = `{ log: ${id}, total: ${i + 1}, seen: { ${id}: 1 }, tags: [t${i % 3}], last: ${id} }`;
        lines.push(`${indent}${id}: { agent: sim.delay${needs}, writes: [log, total, seen, tags, last], with: { ms: ${ms}, output: ${output}, write: ${write}${fail} }${failing && rand() < 0.7 ? ', continue_on_error: true' : ''}${failing ? ', retry: { attempts: 2, delay: 5ms }' : ''} }`);
      }
      ids.push(id);
    }
    return { lines, ids };
  };
  const top = level(0, '  ', { item: false, loop: false });
  return [
    'version: 1',
    'name: random_nested',
    `config: { max_parallel: ${maxParallel}, max_steps: 100000 }`,
    'state:',
    '  log: { reducer: append }',
    '  total: { reducer: sum }',
    '  seen: { reducer: merge }',
    '  tags: { reducer: union }',
    '  last: { reducer: replace, last_write_wins: true }',
    'steps:',
    ...top.lines,
    'outputs:',
    ...top.ids.map((id) => `  ${id}: "\${{ steps.${id}.output }}"`),
    '',
  ].join('\n');
}

describe('both engines on random nested workflows', () => {
  it('give byte-identical outputs, state and records (ids, statuses, attempts)', async () => {
    const agents = createSimHarness().agents;
    const seen = { instances: 0, nested: 0, iterations: 0, failed: 0 };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 6 }), async (seed, slots) => {
        const source = randomWorkflow(seed, slots);
        const { workflow, diagnostics } = validateWorkflowSource(source, 'random.yaml', { agents });
        if (!workflow) throw new Error(`${diagnostics.map(formatDiagnostic).join('\n')}\n${source}`);
        const plan = compileWorkflow(workflow, { agents });
        const seq = await createSimHarness().run(plan, { engine: 'sequential', random: () => 0.5 });
        const par = await createSimHarness().run(plan, { engine: 'parallel', random: () => 0.5 });
        expect(JSON.stringify(par.outputs)).toBe(JSON.stringify(seq.outputs));
        expect(JSON.stringify(par.state)).toBe(JSON.stringify(seq.state));
        const outcome = (r: typeof seq) => r.record.steps.map((x) => [x.id, x.itemIndex, x.status, x.attempts, x.reason, x.error?.code]);
        expect(outcome(par)).toEqual(outcome(seq));
        expect(par.record.status).toBe(seq.record.status);
        // The record's metrics (computed from the runtimes, positions known) are those of its steps looked up by id.
        for (const r of [seq.record, par.record]) expect(r.metrics).toEqual(computeRunMetrics(plan, r.steps, r.wallMs, r.maxParallel));
        const ids = seq.record.steps.map((x) => x.id);
        if (ids.some((id) => id.includes('].'))) seen.instances += 1;
        if (ids.some((id) => (id.match(/\./g) ?? []).length >= 2)) seen.nested += 1;
        if (ids.some((id) => /#\d/.test(id))) seen.iterations += 1;
        // A step that failed for good (the run may still succeed when it continues on error).
        if (seq.record.steps.some((x) => x.status === 'failed')) seen.failed += 1;
      }),
      // A fixed seed: the coverage counts below are then the same on every run (no flaky "no failure drawn").
      { numRuns: 40, seed: 20261207 },
    );
    // The generator did exercise what the test is about.
    expect(seen.instances).toBeGreaterThan(5);
    expect(seen.nested).toBeGreaterThan(0);
    expect(seen.iterations).toBeGreaterThan(0);
    expect(seen.failed).toBeGreaterThan(0);
  });
});
