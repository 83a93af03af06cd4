import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { AgentRegistry } from '../agents/agent-registry.ts';
import type { AgentDefinition } from '../agents/agent-definition.ts';
import type { CompiledPlan } from '../plan/plan-types.ts';
import { simNoopAgent } from '../sim/sim-noop-agent.ts';
import { generateLayeredWorkload } from './benchmark-workload.ts';
import { runWorkflow } from './run-workflow.ts';

/** The run store's cost at one size: the same no-op plan run by the engine alone and with its run directory. */
export interface RunStoreFigure {
  steps: number;
  /** Best wall time of the engine alone (no run directory). */
  engineMs: number;
  /** Best wall time of the product path: journal with group commit, `steps/` views and `run.json` on disk. */
  storeMs: number;
  engineUsPerStep: number;
  storeUsPerStep: number;
  /** storeMs / engineMs. */
  ratio: number;
  /** Heap still in use after a product-path run and a full GC, per step (bytes), its result held. */
  heapBytesPerStep: number;
}

export interface RunStoreBenchmarkOptions {
  /** @default [10_000] */
  sizes?: readonly number[];
  /** Best of this many runs of each path, after one warm-up of each. @default 3 */
  runs?: number;
}

const agents = new AgentRegistry([simNoopAgent as unknown as AgentDefinition]);

/** A full garbage collection, so that heap figures count what is retained rather than what is not collected yet. */
function collectGarbage(): void {
  if (!(globalThis as { gc?: () => void }).gc) setFlagsFromString('--expose-gc');
  ((globalThis as { gc?: () => void }).gc ?? (process.getBuiltinModule('node:vm').runInNewContext('gc') as () => void))();
}

async function timed(plan: CompiledPlan, outDir: string | undefined): Promise<{ ms: number; heap: number }> {
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const result = await runWorkflow(plan, { inputs: {}, agents, env: {}, ...(outDir ? { outDir } : {}) });
  const ms = performance.now() - t0;
  collectGarbage();
  // Measured with the result still held: the record and outputs are what a run of this size keeps.
  const heap = process.memoryUsage().heapUsed - heapBefore;
  if (result.record.status !== 'succeeded') throw new Error(`run store benchmark: run ended ${result.record.status}`);
  return { ms, heap };
}

/**
 * The product path against the engine alone, in the same process, on layered DAGs of no-op steps: each
 * size is run alternately without a run directory and with a fresh one (journal on disk with group commit,
 * every `steps/` view written, `run.json` written, lock taken and released), best of `runs` after a
 * warm-up of each. Targets: at 10,000 steps within 3x of the engine and under 20 µs per step; from 10,000
 * to 100,000 steps, time and memory per step roughly constant (no superlinear growth).
 */
export async function benchmarkRunStore(options: RunStoreBenchmarkOptions = {}): Promise<RunStoreFigure[]> {
  const figures: RunStoreFigure[] = [];
  const runs = options.runs ?? 3;
  for (const steps of options.sizes ?? [10_000]) {
    const plan = generateLayeredWorkload({ steps, layers: Math.max(1, Math.round(steps / 100)), agent: 'sim.noop', maxParallel: 8, seed: 7 });
    const root = await mkdtemp(join(tmpdir(), 'ucop-store-bench-'));
    try {
      let engineMs = Number.POSITIVE_INFINITY;
      let storeMs = Number.POSITIVE_INFINITY;
      let heap = Number.NEGATIVE_INFINITY;
      for (let i = -1; i < runs; i += 1) {
        const engine = await timed(plan, undefined);
        const store = await timed(plan, join(root, `run-${i + 1}`));
        if (i < 0) continue;
        engineMs = Math.min(engineMs, engine.ms);
        storeMs = Math.min(storeMs, store.ms);
        // The largest retained heap of the runs: a collection that happened to free earlier garbage lowers a figure, never raises it.
        heap = Math.max(heap, store.heap);
        await rm(join(root, `run-${i + 1}`), { recursive: true, force: true });
      }
      figures.push({
        steps,
        engineMs,
        storeMs,
        engineUsPerStep: (engineMs * 1000) / steps,
        storeUsPerStep: (storeMs * 1000) / steps,
        ratio: storeMs / engineMs,
        heapBytesPerStep: heap / steps,
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
  return figures;
}
