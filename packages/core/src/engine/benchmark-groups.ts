import { AgentRegistry } from '../agents/agent-registry.ts';
import type { AgentDefinition } from '../agents/agent-definition.ts';
import { validateWorkflowSource } from '../dsl/validate-workflow.ts';
import { formatDiagnostic } from '../errors/diagnostic.ts';
import { UcopError } from '../errors/ucop-error.ts';
import { compileWorkflow } from '../plan/compile-workflow.ts';
import type { CompiledPlan } from '../plan/plan-types.ts';
import { InvocationRecorder } from '../sim/invocation-recorder.ts';
import { createSimDelayAgent } from '../sim/sim-delay-agent.ts';
import { simNoopAgent } from '../sim/sim-noop-agent.ts';
import { systemClock } from './clock.ts';
import { runWorkflow } from './run-workflow.ts';
import { FakeClock } from './testing/fake-clock.ts';

/** The per-item pipeline against its lower bound, and against the same stages written as barriers. */
export interface PipelineFigure {
  chapters: number;
  stages: number;
  cap: number;
  /** Virtual ms. */
  makespanMs: number;
  /** max(longest chapter, total work / cap). */
  lowerBoundMs: number;
  ratio: number;
  /** The same work as one `for_each` step per stage (each stage waits for the whole previous one). */
  barrierMakespanMs: number;
  barrierRatio: number;
}

/** Engine time per task of a nested fan-out against a flat fan-out of the same size. */
export interface NestedFigure {
  leaves: number;
  nestedMs: number;
  flatMs: number;
  nestedUsPerTask: number;
  flatUsPerTask: number;
  /** nested / flat. */
  ratio: number;
}

export interface GroupsBenchmarkReport {
  pipeline: PipelineFigure;
  nested: NestedFigure;
}

export interface GroupsBenchmarkOptions {
  /** @default 15 */
  chapters?: number;
  /** @default 5 */
  cap?: number;
  /** Leaves of the nested fan-out: the cube of its branching. @default 10 (1,000 leaves) */
  branching?: number;
  /** Timed runs of each overhead case (best kept, interleaved), after one warm-up round. @default 10 */
  runs?: number;
  /** Seed of the uneven durations. @default 8 */
  seed?: number;
}

const STAGES = ['analyze', 'expand', 'polish', 'validate'] as const;
// Ranges of the stage durations (ms): analysis is the long, uneven one.
const RANGES: Record<(typeof STAGES)[number], [number, number]> = { analyze: [100, 900], expand: [50, 400], polish: [50, 400], validate: [20, 150] };

function compile(source: string, agents: AgentRegistry): CompiledPlan {
  const { workflow, diagnostics } = validateWorkflowSource(source, 'benchmark.yaml', { agents });
  if (!workflow) throw new UcopError('INTERNAL', `benchmark workflow is invalid: ${diagnostics.map(formatDiagnostic).join('; ')}`);
  return compileWorkflow(workflow, { agents });
}

/** Uneven stage durations per chapter, from a seed. */
function chapterDurations(chapters: number, seed: number): Record<string, number>[] {
  let s = seed >>> 0 || 1;
  const rand = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  return Array.from({ length: chapters }, () => Object.fromEntries(STAGES.map((st) => [st, Math.round(RANGES[st][0] + rand() * (RANGES[st][1] - RANGES[st][0]))])));
}

function pipelineSource(cap: number): string {
  const lines = ['version: 1', 'name: chapter_pipeline', 'inputs:', '  chapters: { type: array }', `config: { max_parallel: ${cap} }`, 'steps:', '  chapter:', '    for_each: "${{ inputs.chapters }}"', '    steps:'];
  STAGES.forEach((stage, i) => lines.push(`      ${stage}: { agent: sim.delay, ${i > 0 ? `needs: [${STAGES[i - 1]}], ` : ''}with: { ms: "\${{ item.${stage} }}" } }`));
  lines.push('    outputs: { done: "${{ steps.validate.status }}" }', '');
  return lines.join('\n');
}

function barrierSource(cap: number): string {
  const lines = ['version: 1', 'name: chapter_barriers', 'inputs:', '  chapters: { type: array }', `config: { max_parallel: ${cap} }`, 'steps:'];
  STAGES.forEach((stage, i) => lines.push(`  ${stage}: { agent: sim.delay, for_each: "\${{ inputs.chapters }}", ${i > 0 ? `needs: [${STAGES[i - 1]}], ` : ''}with: { ms: "\${{ item.${stage} }}" } }`));
  return `${lines.join('\n')}\n`;
}

async function virtualMakespan(source: string, chapters: Record<string, number>[], cap: number): Promise<number> {
  const clock = new FakeClock();
  const agents = new AgentRegistry([createSimDelayAgent(new InvocationRecorder({ now: () => clock.now() }), { clock }) as unknown as AgentDefinition]);
  const plan = compile(source, agents);
  const { record } = await clock.runUntil(runWorkflow(plan, { inputs: { chapters }, agents, clock, maxParallel: cap }));
  if (record.status !== 'succeeded') throw new UcopError('INTERNAL', `benchmark run ${record.status}: ${record.errors[0]?.message ?? ''}`);
  return record.wallMs;
}

/** Best wall time of each plan, runs interleaved (a, b, a, b, ...) so that load on the machine hits both alike. */
async function bestWallMs(plans: readonly CompiledPlan[], agents: AgentRegistry, runs: number): Promise<number[]> {
  const best = plans.map(() => Number.POSITIVE_INFINITY);
  for (let i = 0; i <= runs; i += 1) {
    for (const [k, plan] of plans.entries()) {
      const t0 = performance.now();
      const { record } = await runWorkflow(plan, { inputs: {}, agents, clock: systemClock, maxParallel: 8 });
      const ms = performance.now() - t0;
      if (record.status !== 'succeeded') throw new UcopError('INTERNAL', `benchmark run ${record.status}: ${record.errors[0]?.message ?? ''}`);
      if (i > 0) best[k] = Math.min(best[k]!, ms); // the first round warms up
    }
  }
  return best;
}

/**
 * Groups benchmark (issue 8). Pipeline: 15 chapters × 4 stages of uneven simulated durations under a cap of
 * 5, on a virtual clock, makespan against the lower bound max(longest chapter, total work / cap), and the
 * same work written as four barrier fan-outs. Overhead: a 3-level nested fan-out of `branching`³ no-op leaves
 * (`epic → feature → task`) against one flat fan-out of as many no-op items, real clock, whole runWorkflow.
 */
export async function benchmarkGroups(options: GroupsBenchmarkOptions = {}): Promise<GroupsBenchmarkReport> {
  const chapters = options.chapters ?? 15;
  const cap = options.cap ?? 5;
  const runs = options.runs ?? 10;
  const b = options.branching ?? 10;
  const durations = chapterDurations(chapters, options.seed ?? 8);
  const total = durations.reduce((sum, c) => sum + STAGES.reduce((t, st) => t + c[st]!, 0), 0);
  const longest = Math.max(...durations.map((c) => STAGES.reduce((t, st) => t + c[st]!, 0)));
  const lowerBoundMs = Math.max(longest, total / cap);
  const makespanMs = await virtualMakespan(pipelineSource(cap), durations, cap);
  const barrierMakespanMs = await virtualMakespan(barrierSource(cap), durations, cap);

  const agents = new AgentRegistry([simNoopAgent as unknown as AgentDefinition]);
  const leaves = b * b * b;
  const nested = compile(
    [
      'version: 1',
      'name: nested_fan_out',
      'config: { max_steps: 100000 }',
      'steps:',
      '  epic:',
      `    for_each: "\${{ range(${b}) }}"`,
      '    steps:',
      '      feature:',
      `        for_each: "\${{ range(${b}) }}"`,
      '        steps:',
      '          task:',
      `            for_each: "\${{ range(${b}) }}"`,
      '            agent: sim.noop',
      '',
    ].join('\n'),
    agents,
  );
  const flat = compile(['version: 1', 'name: flat_fan_out', 'config: { max_steps: 100000 }', 'steps:', `  task: { agent: sim.noop, for_each: "\${{ range(${leaves}) }}" }`, ''].join('\n'), agents);
  const [nestedMs, flatMs] = (await bestWallMs([nested, flat], agents, runs)) as [number, number];
  return {
    pipeline: { chapters, stages: STAGES.length, cap, makespanMs, lowerBoundMs, ratio: makespanMs / lowerBoundMs, barrierMakespanMs, barrierRatio: barrierMakespanMs / lowerBoundMs },
    nested: { leaves, nestedMs, flatMs, nestedUsPerTask: (nestedMs * 1000) / leaves, flatUsPerTask: (flatMs * 1000) / leaves, ratio: nestedMs / flatMs },
  };
}
