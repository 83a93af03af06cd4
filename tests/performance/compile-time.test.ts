import { describe, it, expect } from 'vitest';
import { createCoreHarness, createSimAgents, crossDependenciesWorkload, seededRandom, workloadSource } from '../../packages/cli/src/bench/index.ts';
import type { Workload, WorkloadStep } from '../../packages/cli/src/bench/index.ts';
import { recordPerfCase } from './perf-report.ts';

/**
 * Validate + compile time of a 10,000-step workflow: 100 layers of 100 steps, each needing up to three
 * steps of the layer above (the shape of a large generated pipeline). Target: under 1 s on an idle machine;
 * the assertion leaves room for a loaded CI machine.
 */
const LAYERS = 100;
const WIDTH = 100;
const MAX_COMPILE_MS = 2500;

function layeredWorkload(): Workload {
  const random = seededRandom(10_000);
  const steps: WorkloadStep[] = [];
  for (let layer = 0; layer < LAYERS; layer += 1) {
    for (let i = 0; i < WIDTH; i += 1) {
      const needs = new Set<string>();
      if (layer > 0) for (let k = 0; k < 1 + Math.floor(random() * 3); k += 1) needs.add(`s${layer - 1}_${Math.floor(random() * WIDTH)}`);
      steps.push({ id: `s${layer}_${i}`, ms: 20 + Math.floor(random() * 60), needs: [...needs] });
    }
  }
  return { name: 'compile_10000', description: '10,000 steps in 100 layers', maxParallel: 8, steps };
}

describe('compile time', () => {
  it('validates and compiles a 10,000-step workflow', async () => {
    const { compile } = createCoreHarness();
    const { agents } = createSimAgents();
    const source = workloadSource(layeredWorkload());
    // Warm up the schema validator and the JIT on a small workflow first: a user's second file is the norm.
    await compile(workloadSource(crossDependenciesWorkload()), 'warmup.yaml', agents);
    const times: number[] = [];
    let steps = 0;
    for (let i = 0; i < 3; i += 1) {
      const t0 = performance.now();
      const plan = await compile(source, 'compile_10000.yaml', agents);
      times.push(performance.now() - t0);
      steps = plan.order.length;
    }
    const best = Math.min(...times);
    await recordPerfCase('compile.steps_10000', { steps, sourceBytes: source.length, bestMs: Math.round(best), runsMs: times.map(Math.round) });
    expect(steps).toBe(LAYERS * WIDTH);
    expect(best, `validate + compile of 10,000 steps took ${best.toFixed(0)} ms`).toBeLessThan(MAX_COMPILE_MS);
  });
});
