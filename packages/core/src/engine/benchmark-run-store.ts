import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { AgentRegistry } from '../agents/agent-registry.ts';
import type { AgentDefinition } from '../agents/agent-definition.ts';
import type { CompiledPlan } from '../plan/plan-types.ts';
import { simNoopAgent } from '../sim/sim-noop-agent.ts';
import { generateLayeredWorkload } from './benchmark-workload.ts';
import type { StepFilesSetting } from '../config/step-files-setting.ts';
import { openRunStore } from '../store/run-store.ts';
import { runWorkflow } from './run-workflow.ts';

/** The run store's cost at one size: the same no-op plan run by the engine alone and with its run directory. */
export interface RunStoreFigure {
  steps: number;
  /** Best wall time of the engine alone (no run directory). */
  engineMs: number;
  /**
   * Best wall time of the product path in the default step files mode (`auto`: a run of more than 1,000
   * units writes no `steps/` file): journal with group commit and `run.json` on disk, lock taken and released.
   */
  storeMs: number;
  engineUsPerStep: number;
  storeUsPerStep: number;
  /** storeMs / engineMs. */
  ratio: number;
  /**
   * CPU time (process.cpuUsage: every thread of the process, GC and background compilation included) of the
   * product path per step, the least of the runs (best of `runs`, as the wall time is; not necessarily the
   * same run).
   */
  storeCpuUsPerStep: number;
  /** The same for the engine alone. */
  engineCpuUsPerStep: number;
  /** storeCpuUsPerStep / engineCpuUsPerStep. */
  cpuRatio: number;
  /** Heap still in use after a product-path run and a full GC, per step (bytes), its result held. */
  heapBytesPerStep: number;
  /** With `allMode`: one run writing every `steps/` file during the run (`--step-files all`), in µs per step, and its ratio to the engine. */
  all?: { usPerStep: number; ratio: number };
  /**
   * With `warm`: the same pair of runs, best of `runs`, without the full garbage collection forced before
   * each timed run. That collection also drops the optimised code specialised on the previous run's objects
   * (60-75 functions compiled again in every timed run, against none once warm), so the figures above are
   * those of a partly cold engine; these are a long-lived process's (the daemon's) steady state.
   */
  warm?: { engineUsPerStep: number; storeUsPerStep: number; engineCpuUsPerStep: number; storeCpuUsPerStep: number };
}

export interface RunStoreBenchmarkOptions {
  /** @default [10_000] */
  sizes?: readonly number[];
  /** Best of this many runs of each path, after one warm-up of each. @default 3 */
  runs?: number;
  /** Also time one run in `all` mode (every `steps/` file written during the run: slow on some disks). @default false */
  allMode?: boolean;
  /** Also time `runs` pairs without forcing a garbage collection before each (see RunStoreFigure.warm). @default false */
  warm?: boolean;
}

const agents = new AgentRegistry([simNoopAgent as unknown as AgentDefinition]);

/** A full garbage collection, so that heap figures count what is retained rather than what is not collected yet. */
function collectGarbage(): void {
  if (!(globalThis as { gc?: () => void }).gc) setFlagsFromString('--expose-gc');
  ((globalThis as { gc?: () => void }).gc ?? (process.getBuiltinModule('node:vm').runInNewContext('gc') as () => void))();
}

async function timed(plan: CompiledPlan, outDir: string | undefined, stepFiles?: StepFilesSetting, options: { collect: boolean } = { collect: true }): Promise<{ ms: number; cpuMs: number; heap: number }> {
  if (options.collect) collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  // The product path as `ucop run` takes it: the store opened with the units known at start (the CLI opens it the same way).
  const store = outDir === undefined ? undefined : await openRunStore(outDir, { resume: false, expectedUnits: plan.order.length, ...(stepFiles ? { stepFiles } : {}) });
  const result = await runWorkflow(plan, { inputs: {}, agents, env: {}, ...(store ? { store } : {}) });
  const cpu = process.cpuUsage(cpu0);
  const ms = performance.now() - t0;
  if (!options.collect) {
    if (result.record.status !== 'succeeded') throw new Error(`run store benchmark: run ended ${result.record.status}`);
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, heap: Number.NaN };
  }
  collectGarbage();
  // Measured with the result still held: the record and outputs are what a run of this size keeps.
  const heap = process.memoryUsage().heapUsed - heapBefore;
  if (result.record.status !== 'succeeded') throw new Error(`run store benchmark: run ended ${result.record.status}`);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, heap };
}

/**
 * The product path against the engine alone, in the same process, on layered DAGs of no-op steps: each
 * size is run alternately without a run directory and with a fresh one (journal on disk with group commit,
 * `steps/` views as the default `auto` mode writes them, none above 1,000 units; `run.json` written, lock
 * taken and released), best of `runs` after a warm-up of each; with `allMode`, one more run writing every view. Targets: at 10,000 steps within 3x of the engine and under 20 µs per step; from 10,000
 * to 100,000 steps, time and memory per step roughly constant (no superlinear growth).
 */
export async function benchmarkRunStore(options: RunStoreBenchmarkOptions = {}): Promise<RunStoreFigure[]> {
  const figures: RunStoreFigure[] = [];
  const runs = options.runs ?? 3;
  for (const steps of options.sizes ?? [10_000]) {
    const plan = generateLayeredWorkload({ steps, layers: Math.max(1, Math.round(steps / 100)), agent: 'sim.noop', maxParallel: 8, seed: 7 });
    const root = await mkdtemp(join(tmpdir(), 'ucop-store-bench-'));
    try {
      let engine = { ms: Number.POSITIVE_INFINITY, cpuMs: Number.POSITIVE_INFINITY };
      let store = { ms: Number.POSITIVE_INFINITY, cpuMs: Number.POSITIVE_INFINITY };
      let heap = Number.NEGATIVE_INFINITY;
      for (let i = -1; i < runs; i += 1) {
        const engineRun = await timed(plan, undefined);
        const storeRun = await timed(plan, join(root, `run-${i + 1}`));
        if (i < 0) continue;
        if (engineRun.ms < engine.ms) engine = { ...engine, ms: engineRun.ms };
        if (storeRun.ms < store.ms) store = { ...store, ms: storeRun.ms };
        if (engineRun.cpuMs < engine.cpuMs) engine = { ...engine, cpuMs: engineRun.cpuMs };
        if (storeRun.cpuMs < store.cpuMs) store = { ...store, cpuMs: storeRun.cpuMs };
        // The largest retained heap of the runs: a collection that happened to free earlier garbage lowers a figure, never raises it.
        heap = Math.max(heap, storeRun.heap);
        await rm(join(root, `run-${i + 1}`), { recursive: true, force: true });
      }
      const all = options.allMode ? await timed(plan, join(root, 'all'), { mode: 'all', threshold: 0 }) : undefined;
      let warm: RunStoreFigure['warm'];
      if (options.warm) {
        const best = { engineMs: Number.POSITIVE_INFINITY, storeMs: Number.POSITIVE_INFINITY, engineCpuMs: Number.POSITIVE_INFINITY, storeCpuMs: Number.POSITIVE_INFINITY };
        for (let i = 0; i < runs; i += 1) {
          const engineRun = await timed(plan, undefined, undefined, { collect: false });
          const storeRun = await timed(plan, join(root, `warm-${i}`), undefined, { collect: false });
          best.engineMs = Math.min(best.engineMs, engineRun.ms);
          best.storeMs = Math.min(best.storeMs, storeRun.ms);
          best.engineCpuMs = Math.min(best.engineCpuMs, engineRun.cpuMs);
          best.storeCpuMs = Math.min(best.storeCpuMs, storeRun.cpuMs);
          await rm(join(root, `warm-${i}`), { recursive: true, force: true });
        }
        const perStep = (ms: number): number => (ms * 1000) / steps;
        warm = { engineUsPerStep: perStep(best.engineMs), storeUsPerStep: perStep(best.storeMs), engineCpuUsPerStep: perStep(best.engineCpuMs), storeCpuUsPerStep: perStep(best.storeCpuMs) };
      }
      figures.push({
        steps,
        engineMs: engine.ms,
        storeMs: store.ms,
        engineUsPerStep: (engine.ms * 1000) / steps,
        storeUsPerStep: (store.ms * 1000) / steps,
        ratio: store.ms / engine.ms,
        storeCpuUsPerStep: (store.cpuMs * 1000) / steps,
        engineCpuUsPerStep: (engine.cpuMs * 1000) / steps,
        cpuRatio: store.cpuMs / engine.cpuMs,
        heapBytesPerStep: heap / steps,
        ...(all ? { all: { usPerStep: (all.ms * 1000) / steps, ratio: all.ms / engine.ms } } : {}),
        ...(warm ? { warm } : {}),
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
  return figures;
}
