import type { AgentLookup } from '../agents/agent-definition.ts';
import { AgentRegistry } from '../agents/agent-registry.ts';

export interface SyntheticWorkflowOptions {
  /** Number of steps. */
  steps: number;
  /**
   * Seed of the pseudo-random generator: the same options always give the same text.
   * @default 1
   */
  seed?: number;
  /**
   * Most dependencies per step, each picked among the `window` steps before it.
   * @default 3
   */
  maxDependencies?: number;
  /** @default 50 */
  window?: number;
  /**
   * Simulated durations are drawn between these bounds, in ms; each becomes the step's `with.ms` and
   * `estimate`.
   * @default [5, 100]
   */
  durationMs?: [number, number];
  /**
   * Share of dependencies written as a `${{ steps.X.output }}` reference (in `with.output`) rather than in
   * `needs`, so that both ways of declaring a dependency are exercised.
   * @default 0.25
   */
  referenceShare?: number;
  /**
   * `sim.delay` steps carry `with.ms`; `sim.noop` steps carry no duration (only the `output` reference, when
   * there is one), so that runs of them measure the engine alone.
   * @default 'sim.delay'
   */
  agent?: string;
  /**
   * Spread the steps evenly over this many layers and draw each step's dependencies from the layer just
   * before its own (a layered DAG, as list schedulers are usually measured on), instead of from the
   * `window` steps before it. Steps of the first layer have no dependencies.
   */
  layers?: number;
  /**
   * The text's language: `json` writes the same workflow (the same value once loaded) as compact JSON, the
   * way programs that generate large workflows write them.
   * @default 'yaml'
   */
  format?: 'yaml' | 'json';
}

/** The engine's default `max_steps`: larger workflows raise it in their `config:`. */
const DEFAULT_MAX_STEPS = 10_000;

/**
 * Generates the YAML text of a random DAG workflow of `sim.delay` steps, for benchmarks and performance
 * suites (compile time, engine overhead, scheduling quality). Steps are written compactly (block maps with
 * small flow collections, which `yaml` parses fastest), so that 10,000 steps stay under the 1 MiB default.
 * With `format: 'json'`, the same workflow as JSON (the same options give the same steps in both).
 */
export function generateSyntheticWorkflow(options: SyntheticWorkflowOptions): string {
  const random = mulberry32(options.seed ?? 1);
  const maxDeps = options.maxDependencies ?? 3;
  const window = options.window ?? 50;
  const [minMs, maxMs] = options.durationMs ?? [5, 100];
  const referenceShare = options.referenceShare ?? 0.25;
  const agent = options.agent ?? 'sim.delay';
  const width = String(Math.max(0, options.steps - 1)).length;
  const id = (i: number) => `s${String(i).padStart(width, '0')}`;

  const json = options.format === 'json';
  const lines = [`version: 1`, `name: synthetic_${options.steps}`, `description: ${options.steps} generated steps (seed ${options.seed ?? 1})`, `config: { max_parallel: 8${options.steps > DEFAULT_MAX_STEPS ? `, max_steps: ${options.steps}` : ''} }`, `steps:`];
  // The JSON text is written step by step too (a 50,000-step value would otherwise be built only to be
  // stringified); each piece is JSON.stringify of exactly what the YAML lines say.
  const jsonSteps: string[] = [];
  const layers = options.layers === undefined ? undefined : Math.max(1, Math.min(options.layers, options.steps));
  const layerOf = (i: number) => Math.floor((i * layers!) / options.steps);
  const layerStart = (l: number) => Math.ceil((l * options.steps) / layers!);
  const noDuration = agent === 'sim.noop';
  for (let i = 0; i < options.steps; i++) {
    const deps = new Set<number>();
    if (layers === undefined) {
      const count = i === 0 ? 0 : Math.floor(random() * (maxDeps + 1));
      for (let k = 0; k < count; k++) deps.add(Math.max(0, i - 1 - Math.floor(random() * Math.min(window, i))));
    } else {
      const layer = layerOf(i);
      if (layer > 0) {
        const from = layerStart(layer - 1);
        const size = layerStart(layer) - from;
        const count = 1 + Math.floor(random() * maxDeps);
        for (let k = 0; k < count; k++) deps.add(from + Math.floor(random() * size));
      }
    }
    const needs: string[] = [];
    let reference: string | undefined;
    for (const d of [...deps].sort((a, b) => a - b)) {
      if (reference === undefined && random() < referenceShare) reference = id(d);
      else needs.push(id(d));
    }
    const ms = minMs + Math.floor(random() * (maxMs - minMs + 1));
    if (json) {
      const inputs: Record<string, unknown> = noDuration ? {} : { ms };
      if (reference !== undefined) inputs['output'] = `\${{ steps.${reference}.output }}`;
      jsonSteps.push(`${JSON.stringify(id(i))}:${JSON.stringify({ agent, ...(needs.length > 0 ? { needs } : {}), estimate: `${ms}ms`, with: inputs })}`);
      continue;
    }
    const output = reference === undefined ? '' : `output: "\${{ steps.${reference}.output }}"`;
    const inputs = noDuration ? output : output === '' ? `ms: ${ms}` : `ms: ${ms}, ${output}`;
    // One-space indentation: valid YAML, and a tenth smaller than the usual two.
    lines.push(` ${id(i)}:`, `  agent: ${agent}`);
    if (needs.length > 0) lines.push(`  needs: [${needs.join(', ')}]`);
    lines.push(`  estimate: ${ms}ms`, inputs === '' ? '  with: {}' : `  with: { ${inputs} }`);
  }
  if (json) {
    const config = { max_parallel: 8, ...(options.steps > DEFAULT_MAX_STEPS ? { max_steps: options.steps } : {}) };
    const head = { version: 1, name: `synthetic_${options.steps}`, description: `${options.steps} generated steps (seed ${options.seed ?? 1})`, config };
    return `${JSON.stringify(head).slice(0, -1)},"steps":{${jsonSteps.join(',')}}}\n`;
  }
  return `${lines.join('\n')}\n`;
}

/**
 * An agent lookup with the contract of `sim.delay` only (input `ms`, optional `output`), enough to
 * validate and compile generated workflows without loading the simulation agents.
 */
export function syntheticAgents(name = 'sim.delay'): AgentLookup {
  return new AgentRegistry([
    {
      name,
      version: '1',
      description: 'synthetic stand-in for sim.delay',
      inputSchema: { type: 'object', required: ['ms'], properties: { ms: { type: 'number', minimum: 0 }, output: {} } },
      outputSchema: {},
      estimateMs: 10,
      run: async () => ({}),
    },
  ]);
}

/** A small, fast, seeded pseudo-random generator (mulberry32): deterministic across platforms. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
