import type { CompiledPlan } from '../plan/plan-types.ts';
import { mulberry32 } from '../plan/synthetic-workflow.ts';
import { buildPlan, type TestStepSpec } from './testing/plan-builder.ts';

export interface LayeredWorkloadOptions {
  /** @default 200 */
  steps?: number;
  /** @default 10 */
  layers?: number;
  /** Each step's simulated duration is drawn uniformly from this range (ms). @default [5, 100] */
  durationMs?: [number, number];
  /** Each step of a layer depends on 1..maxDependencies steps of the previous layers. @default 3 */
  maxDependencies?: number;
  /** @default 8 */
  maxParallel?: number;
  /** @default 1 */
  seed?: number;
  /** `sim.delay` (with `ms`) or `sim.noop`. @default 'sim.delay' */
  agent?: 'sim.delay' | 'sim.noop';
}

/**
 * A random layered DAG as a compiled plan (no YAML: the benchmark measures the engine, not the compiler).
 * Steps are spread evenly over the layers; a step of layer l > 0 depends on 1..maxDependencies random
 * steps of layer l-1 (and, with probability 1/4 each, of earlier layers). Estimates equal the simulated
 * durations, as a compiler with good `estimate:` values would give.
 */
export function generateLayeredWorkload(options: LayeredWorkloadOptions = {}): CompiledPlan {
  const total = options.steps ?? 200;
  const layers = Math.max(1, Math.min(options.layers ?? 10, total));
  const [minMs, maxMs] = options.durationMs ?? [5, 100];
  const maxDeps = options.maxDependencies ?? 3;
  const agent = options.agent ?? 'sim.delay';
  const random = mulberry32(options.seed ?? 1);
  const width = String(total - 1).length;
  const byLayer: string[][] = [];
  const steps: Record<string, TestStepSpec> = {};
  for (let i = 0; i < total; i += 1) {
    const layer = Math.floor((i * layers) / total);
    const id = `s${String(i).padStart(width, '0')}`;
    const needs = new Set<string>();
    if (layer > 0) {
      const previous = byLayer[layer - 1]!;
      const count = 1 + Math.floor(random() * maxDeps);
      for (let k = 0; k < count; k += 1) {
        const from = random() < 0.25 && layer > 1 ? byLayer[Math.floor(random() * (layer - 1))]! : previous;
        needs.add(from[Math.floor(random() * from.length)]!);
      }
    }
    const ms = minMs + Math.floor(random() * (maxMs - minMs + 1));
    steps[id] = agent === 'sim.delay' ? { agent, needs: [...needs], with: { ms }, estimateMs: ms } : { agent, needs: [...needs], with: {}, estimateMs: 1 };
    (byLayer[layer] ??= []).push(id);
  }
  return buildPlan({
    workflow: `layered_${total}_${options.seed ?? 1}`,
    settings: { maxParallel: options.maxParallel ?? 8, maxSteps: Math.max(100_000, total * 2) },
    steps,
  });
}
