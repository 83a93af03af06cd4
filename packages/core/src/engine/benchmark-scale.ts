import type { AgentDefinition } from '../agents/agent-definition.ts';
import { AgentRegistry } from '../agents/agent-registry.ts';
import { YamlSourceMap } from '../dsl/yaml-source-map.ts';
import { validateWorkflowSource } from '../dsl/validate-workflow.ts';
import { compileWorkflow } from '../plan/compile-workflow.ts';
import { generateSyntheticWorkflow } from '../plan/synthetic-workflow.ts';
import { simNoopAgent } from '../sim/sim-noop-agent.ts';
import { floorCompile, floorGraphOf, floorRun } from './benchmark-floor.ts';
import { generateLayeredWorkload } from './benchmark-workload.ts';
import { HeapWatch } from './heap-watch.ts';
import { runWorkflow } from './run-workflow.ts';

/**
 * One workflow measured end to end in ucop and in the floor, in the same process. Times in ms, memory in MB.
 * `cpuMs` is the process's CPU time (user + system) over the same stretch: on a shared machine other
 * processes stretch wall time at random, CPU time much less, so its ratio is the steadier one.
 */
export interface ScaleCase {
  steps: number;
  /** ucop from the same JSON text as the floor. `validateCpuMs` is the CPU time of validation alone. */
  ucop: { validateMs: number; validateCpuMs: number; compileMs: number; runMs: number; totalMs: number; cpuMs: number; peakHeapMb: number; firstStepMs: number };
  floor: { compileMs: number; runMs: number; totalMs: number; cpuMs: number; peakHeapMb: number; firstStepMs: number };
  /** ucop total wall time / floor total wall time. */
  timeRatio: number;
  /** ucop CPU time / floor CPU time. */
  cpuRatio: number;
  /** ucop peak heap growth / floor peak heap growth. */
  memoryRatio: number;
  /** The same DAG validated from its YAML text, when asked for (`yamlText`): see {@link YamlTextFigure}. */
  yamlText?: YamlTextFigure;
}

/**
 * The same workflow read from YAML text instead of JSON: validation measured on its own, right after the
 * JSON case. Compile and run do not depend on the text (both give the same validated document), so the
 * pipeline figures from YAML are derived: YAML validation + the JSON case's compile and run.
 */
export interface YamlTextFigure {
  bytes: number;
  validateMs: number;
  validateCpuMs: number;
  /** Peak heap growth during the YAML validation. */
  validatePeakHeapMb: number;
  /** (YAML validate CPU + the JSON case's compile and run CPU) / floor CPU. */
  cpuRatio: number;
  /** max(YAML validate peak, the JSON case's peak) / floor peak. */
  memoryRatio: number;
}

/** The engine alone on no-op steps (a compiled plan, no text), against the floor's run of the same DAG. */
export interface EngineFloorFigure {
  steps: number;
  ucopUsPerStep: number;
  floorUsPerStep: number;
  /** Wall time per step, ucop / floor. */
  ratio: number;
  /** CPU time per step (best runs), ucop / floor. */
  cpuRatio: number;
  /** From `runWorkflow()` to the first agent call, best run. */
  ucopFirstStepMs: number;
  floorFirstStepMs: number;
}

/** How time and memory grow with the number of steps: y = c·n^exponent fitted on logs. */
export interface GrowthFigure {
  sizes: number[];
  totalMs: number[];
  cpuMs: number[];
  peakHeapMb: number[];
  /** Fitted on CPU time (steadier than wall time on a shared machine). */
  timeExponent: number;
  memoryExponent: number;
}

export interface ScaleBenchmarkOptions {
  /** Steps of the layered DAG compared end to end with the floor. @default 50_000 */
  steps?: number;
  /** No-op steps of the engine-only comparison; 0 skips it. @default 10_000 */
  engineSteps?: number;
  /** Best of this many engine-only runs, after one warm-up. @default 3 */
  engineRuns?: number;
  /** Sizes for the growth exponents; empty skips them. @default [] */
  growthSizes?: number[];
  /** Slots of both schedulers. @default 8 */
  maxParallel?: number;
  /**
   * A full garbage collection, run before each measured phase so that peak heap growth starts from the same
   * floor; without it memory figures include earlier garbage.
   */
  collectGarbage?: () => void;
}

export interface ScaleBenchmarkReport {
  dag?: ScaleCase;
  engine?: EngineFloorFigure;
  growth?: GrowthFigure;
}

/** The layered DAG of the scale benchmark: `steps` sim.noop steps in layers of 100, as YAML or as JSON text. */
export function scaleWorkflowSource(steps: number, format: 'yaml' | 'json' = 'yaml'): string {
  return generateSyntheticWorkflow({ steps, layers: Math.max(1, Math.round(steps / 100)), agent: 'sim.noop', seed: 16, format });
}

function firstCallAgent(): { agent: AgentDefinition; first: () => number; reset: () => void } {
  let first = -1;
  const agent = {
    ...simNoopAgent,
    run: (_ctx: unknown, input: { output?: unknown }) => {
      if (first < 0) first = performance.now();
      return Promise.resolve(input.output ?? null);
    },
  } as unknown as AgentDefinition;
  return { agent, first: () => first, reset: () => (first = -1) };
}

const noopTask = (): Promise<null> => Promise.resolve(null);

/** Floor runs per engine-only measurement (see measureEngineAgainstFloor). */
const FLOOR_REPEATS = 10;

/** CPU time of this process so far, in ms (user + system). */
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** What {@link measureScaleCase} measures besides the JSON case. */
export interface ScaleCaseOptions extends Pick<ScaleBenchmarkOptions, 'maxParallel' | 'collectGarbage'> {
  /** Also validate the workflow's YAML text (see {@link YamlTextFigure}). @default false */
  yamlText?: boolean;
}

/**
 * Validate + compile + run of one generated layered DAG of no-op steps in ucop and in the floor, both from
 * the same JSON text (ucop reads it through the loader's JSON fast path), with peak heap growth sampled in
 * both; optionally the validation of the same DAG's YAML text beside it.
 */
export async function measureScaleCase(steps: number, options: ScaleCaseOptions = {}): Promise<ScaleCase> {
  const slots = options.maxParallel ?? 8;
  const gc = options.collectGarbage ?? (() => {});
  // The same DAG written both ways by the generator (its test checks that both load to the same value).
  const json = scaleWorkflowSource(steps, 'json');
  const source = options.yamlText ? scaleWorkflowSource(steps) : '';
  const limits = { maxBytes: Math.max(2 ** 20, source.length * 2, json.length * 2) };
  const probe = firstCallAgent();
  const agents = new AgentRegistry([probe.agent]);

  gc();
  const floorWatch = HeapWatch.start();
  const fc0 = cpuNow();
  const f0 = performance.now();
  const graph = floorCompile(json);
  const f1 = performance.now();
  floorWatch.sample();
  const { firstStartMs } = await floorRun(graph, slots, noopTask);
  const f2 = performance.now();
  const floorCpu = cpuNow() - fc0;
  const floorPeak = floorWatch.stop();

  gc();
  const watch = HeapWatch.start();
  const c0 = cpuNow();
  const t0 = performance.now();
  const { workflow, diagnostics } = validateWorkflowSource(json, 'scale.json', { agents, limits });
  if (!workflow) throw new Error(`the generated workflow is invalid: ${diagnostics[0]?.message ?? 'unknown'}`);
  const t1 = performance.now();
  const c1 = cpuNow();
  watch.sample();
  const plan = compileWorkflow(workflow, { agents });
  const t2 = performance.now();
  watch.sample();
  probe.reset();
  const { record } = await runWorkflow(plan, { inputs: {}, agents, env: {}, maxParallel: slots });
  const t3 = performance.now();
  const cpu = cpuNow() - c0;
  const peak = watch.stop();
  if (record.status !== 'succeeded') throw new Error(`the scale run ended ${record.status}: ${record.errors[0]?.message ?? ''}`);
  // The JSON fast path's promise: a valid workflow is never parsed by `yaml`, not even for positions.
  if (workflow.sourceMap instanceof YamlSourceMap && workflow.sourceMap.documentParsed) throw new Error('a valid JSON workflow was parsed by `yaml` on its way to a run');

  const ucop = { validateMs: round(t1 - t0), validateCpuMs: round(c1 - c0), compileMs: round(t2 - t1), runMs: round(t3 - t2), totalMs: round(t3 - t0), cpuMs: round(cpu), peakHeapMb: round(peak / 2 ** 20), firstStepMs: round(probe.first() - t2, 3) };
  const floor = { compileMs: round(f1 - f0), runMs: round(f2 - f1), totalMs: round(f2 - f0), cpuMs: round(floorCpu), peakHeapMb: round(floorPeak / 2 ** 20), firstStepMs: round(firstStartMs, 3) };
  const figure: ScaleCase = { steps, ucop, floor, timeRatio: round(ucop.totalMs / floor.totalMs), cpuRatio: round(cpu / Math.max(0.01, floorCpu)), memoryRatio: round(peak / Math.max(1, floorPeak)) };
  if (options.yamlText) {
    gc();
    const yamlWatch = HeapWatch.start();
    const yc0 = cpuNow();
    const y0 = performance.now();
    const fromYaml = validateWorkflowSource(source, 'scale.yaml', { agents, limits });
    const y1 = performance.now();
    const yamlCpu = cpuNow() - yc0;
    const yamlPeak = yamlWatch.stop();
    if (!fromYaml.workflow) throw new Error(`the generated YAML workflow is invalid: ${fromYaml.diagnostics[0]?.message ?? 'unknown'}`);
    figure.yamlText = {
      bytes: Buffer.byteLength(source),
      validateMs: round(y1 - y0),
      validateCpuMs: round(yamlCpu),
      validatePeakHeapMb: round(yamlPeak / 2 ** 20),
      cpuRatio: round((yamlCpu + cpu - (c1 - c0)) / Math.max(0.01, floorCpu)),
      memoryRatio: round(Math.max(yamlPeak, peak) / Math.max(1, floorPeak)),
    };
  }
  return figure;
}

/** The engine alone: runWorkflow of a compiled layered plan of no-op steps against the floor's run, best of `runs`. */
export async function measureEngineAgainstFloor(steps: number, runs = 3, maxParallel = 8): Promise<EngineFloorFigure> {
  const plan = generateLayeredWorkload({ steps, layers: Math.max(1, Math.round(steps / 100)), agent: 'sim.noop', maxParallel, seed: 7 });
  const graph = floorGraphOf(plan.steps);
  const probe = firstCallAgent();
  const agents = new AgentRegistry([probe.agent]);
  let ucopBest = Number.POSITIVE_INFINITY;
  let floorBest = Number.POSITIVE_INFINITY;
  let ucopFirst = Number.POSITIVE_INFINITY;
  let floorFirst = Number.POSITIVE_INFINITY;
  let ucopCpu = Number.POSITIVE_INFINITY;
  let floorCpu = Number.POSITIVE_INFINITY;
  // One unmeasured round first: the figures are steady states, not the JIT compiling them. The two
  // alternate, so that a noisy neighbour hits both alike.
  for (let i = -1; i < runs; i += 1) {
    // The floor's run of 10,000 steps lasts a few ms, too short to time alone on a busy machine: it is
    // timed over several runs in a row.
    const fc = cpuNow();
    const f0 = performance.now();
    let floor = { firstStartMs: Number.POSITIVE_INFINITY };
    for (let k = 0; k < FLOOR_REPEATS; k += 1) {
      const one = await floorRun(graph, maxParallel, noopTask);
      if (one.firstStartMs < floor.firstStartMs) floor = one;
    }
    const f1 = performance.now();
    const fcpu = (cpuNow() - fc) / FLOOR_REPEATS;
    probe.reset();
    const uc = cpuNow();
    const t0 = performance.now();
    const { record } = await runWorkflow(plan, { inputs: {}, agents, env: {} });
    const t1 = performance.now();
    const ucpu = cpuNow() - uc;
    if (record.status !== 'succeeded') throw new Error(`the engine run ended ${record.status}`);
    if (i < 0) continue;
    floorBest = Math.min(floorBest, (f1 - f0) / FLOOR_REPEATS);
    floorCpu = Math.min(floorCpu, fcpu);
    ucopCpu = Math.min(ucopCpu, ucpu);
    ucopBest = Math.min(ucopBest, t1 - t0);
    floorFirst = Math.min(floorFirst, floor.firstStartMs);
    ucopFirst = Math.min(ucopFirst, probe.first() - t0);
  }
  const ucopUsPerStep = (ucopBest * 1000) / steps;
  const floorUsPerStep = (floorBest * 1000) / steps;
  return { steps, ucopUsPerStep: round(ucopUsPerStep), floorUsPerStep: round(floorUsPerStep), ratio: round(ucopUsPerStep / floorUsPerStep), cpuRatio: round(ucopCpu / Math.max(0.01, floorCpu)), ucopFirstStepMs: round(ucopFirst, 3), floorFirstStepMs: round(floorFirst, 3) };
}

/** Least-squares slope of log(y) over log(n): the exponent of y = c·n^k. */
export function fitExponent(sizes: readonly number[], values: readonly number[]): number {
  const xs = sizes.map(Math.log);
  const ys = values.map((v) => Math.log(Math.max(v, 1e-9)));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i += 1) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * The scale benchmark of issue 16: a layered DAG of no-op steps validated, compiled and run by ucop and by
 * the floor (benchmark-floor.ts) in the same process; the engine alone against the floor's run; and the
 * growth of ucop's time and memory over several sizes. Targets: within 5x of the floor in time and 3x in
 * memory at 50,000 steps, within 5x per step for the engine alone, exponents at most 1.1.
 */
export async function benchmarkScale(options: ScaleBenchmarkOptions = {}): Promise<ScaleBenchmarkReport> {
  const report: ScaleBenchmarkReport = {};
  const common = { maxParallel: options.maxParallel ?? 8, ...(options.collectGarbage ? { collectGarbage: options.collectGarbage } : {}) };
  // Warm both paths on a small workflow first: the figures are the steady state.
  await measureScaleCase(500, { ...common, yamlText: true });
  const engineSteps = options.engineSteps ?? 10_000;
  if (engineSteps > 0) report.engine = await measureEngineAgainstFloor(engineSteps, options.engineRuns ?? 3, common.maxParallel);
  const steps = options.steps ?? 50_000;
  if (steps > 0) report.dag = await measureScaleCase(steps, { ...common, yamlText: true });
  const sizes = options.growthSizes ?? [];
  if (sizes.length >= 2) {
    const cases: ScaleCase[] = [];
    for (const n of sizes) cases.push(n === report.dag?.steps ? report.dag : await measureScaleCase(n, common));
    const totalMs = cases.map((c) => c.ucop.totalMs);
    const cpuMs = cases.map((c) => c.ucop.cpuMs);
    const peakHeapMb = cases.map((c) => c.ucop.peakHeapMb);
    report.growth = { sizes, totalMs, cpuMs, peakHeapMb, timeExponent: round(fitExponent(sizes, cpuMs), 3), memoryExponent: round(fitExponent(sizes, peakHeapMb), 3) };
  }
  return report;
}
