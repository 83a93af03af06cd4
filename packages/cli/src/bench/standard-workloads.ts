import type { Workload, WorkloadStep } from './workload.ts';
import { randomInt, seededRandom } from './seeded-random.ts';

/**
 * The standard workloads, shaped after the pipelines ucop replaces (the blog generator's ingestion and
 * sections, the book writer's chapters). Step durations stay between 20 and 80 ms: long enough that timer
 * and scheduler jitter on a loaded machine is small beside them, short enough for CI.
 */

/** Scales every duration, for quicker or more precise runs. @param factor 1 = the durations above */
function scaled(ms: number, factor: number): number {
  return Math.max(1, Math.round(ms * factor));
}

/** Three ingestion agents in parallel (article, API reference, archive), then the outline that reads them. */
export function ingestionWorkload(scale = 1): Workload {
  return {
    name: 'ingestion',
    description: 'three ingestion agents in parallel, then the outline',
    maxParallel: 5,
    steps: [
      { id: 'kb_ingestion', ms: scaled(80, scale), needs: [] },
      { id: 'api_ingestion', ms: scaled(60, scale), needs: [] },
      { id: 'blog_ingestion', ms: scaled(70, scale), needs: [] },
      { id: 'outline', ms: scaled(40, scale), needs: ['kb_ingestion', 'api_ingestion', 'blog_ingestion'] },
    ],
  };
}

/** An outline, then five section writers fanned out from its output, then the assembly. */
export function sectionsWorkload(scale = 1): Workload {
  return {
    name: 'outline_sections',
    description: 'an outline, then five section writers (for_each fan-out), then assembly',
    maxParallel: 5,
    steps: [
      { id: 'outline', ms: scaled(40, scale), needs: [] },
      { id: 'section', ms: 0, needs: ['outline'], fanOut: { from: 'outline', itemsMs: [60, 50, 70, 55, 65].map((ms) => scaled(ms, scale)) } },
      { id: 'assemble', ms: scaled(20, scale), needs: ['section'] },
    ],
  };
}

const BOOK_PHASES = ['research', 'draft', 'edit', 'polish'] as const;

/** A 15-chapter book, four phases per chapter (60 steps), each chapter a chain, under 5 slots. */
export function bookWorkload(scale = 1, seed = 15): Workload {
  const random = seededRandom(seed);
  const steps: WorkloadStep[] = [];
  for (let chapter = 1; chapter <= 15; chapter += 1) {
    let previous: string | undefined;
    for (const phase of BOOK_PHASES) {
      const id = `ch${String(chapter).padStart(2, '0')}_${phase}`;
      steps.push({ id, ms: scaled(randomInt(random, 20, 80), scale), needs: previous ? [previous] : [] });
      previous = id;
    }
  }
  return { name: 'book_60', description: '15 chapters x 4 phases (60 steps) under 5 slots', maxParallel: 5, steps };
}

/** Layer sizes of the cross-dependency workload: 62 steps. */
const CROSS_LAYERS = [4, 8, 10, 12, 10, 8, 6, 4] as const;

/**
 * A 62-step layered workflow in which steps also depend on steps two layers up (cross-dependencies), so that
 * level-by-level scheduling waits for stragglers that the critical-path scheduler works around.
 */
export function crossDependenciesWorkload(scale = 1, seed = 62): Workload {
  const random = seededRandom(seed);
  const layers: string[][] = [];
  const steps: WorkloadStep[] = [];
  CROSS_LAYERS.forEach((size, layer) => {
    const ids: string[] = [];
    for (let i = 0; i < size; i += 1) {
      const id = `l${layer}_s${i}`;
      const needs = new Set<string>();
      const above = layers[layer - 1];
      if (above) {
        const count = randomInt(random, 1, Math.min(3, above.length));
        while (needs.size < count) needs.add(above[randomInt(random, 0, above.length - 1)]!);
      }
      const twoUp = layers[layer - 2];
      if (twoUp && random() < 0.4) needs.add(twoUp[randomInt(random, 0, twoUp.length - 1)]!);
      steps.push({ id, ms: scaled(randomInt(random, 20, 80), scale), needs: [...needs].sort() });
      ids.push(id);
    }
    layers.push(ids);
  });
  return { name: 'cross_deps_62', description: '62 steps in 8 layers with cross-dependencies, 8 slots', maxParallel: 8, steps };
}

/** `count` independent no-op steps: the engine's own per-step cost. */
export function noopWorkload(count: number, maxParallel = 8): Workload {
  const steps: WorkloadStep[] = [];
  for (let i = 0; i < count; i += 1) steps.push({ id: `noop_${i}`, ms: 0, needs: [], noop: true });
  return { name: `noop_${count}`, description: `${count} independent sim.noop steps`, maxParallel, steps };
}

/** The four seed-shaped workloads, in the order `ucop bench` prints them. */
export function seedWorkloads(scale = 1): Workload[] {
  return [ingestionWorkload(scale), sectionsWorkload(scale), bookWorkload(scale), crossDependenciesWorkload(scale)];
}

/**
 * `chains` independent chains of `depth` steps of `ms` each under `chains` slots: the lower bound
 * (depth × ms) is both the critical path and total work / slots, and is reachable exactly, so the parallel
 * engine's wall time can be held to it; the ideal speedup over sequential is `chains`.
 */
export function chainsWorkload(chains = 4, depth = 3, ms = 80): Workload {
  const steps: WorkloadStep[] = [];
  for (let c = 0; c < chains; c += 1) {
    for (let d = 0; d < depth; d += 1) steps.push({ id: `c${c}_d${d}`, ms, needs: d === 0 ? [] : [`c${c}_d${d - 1}`] });
  }
  return { name: `chains_${chains}x${depth}`, description: `${chains} chains of ${depth} steps of ${ms} ms under ${chains} slots`, maxParallel: chains, steps };
}

/** One no-op step whose output lists `count` items, fanned out to `count` no-op items: the scale test. */
export function noopFanOutWorkload(count: number, maxParallel = 8): Workload {
  return {
    name: `noop_fan_out_${count}`,
    description: `one sim.noop step fanned out to ${count} sim.noop items`,
    maxParallel,
    steps: [
      { id: 'list', ms: 0, needs: [], noop: true },
      { id: 'each', ms: 0, needs: ['list'], noop: true, fanOut: { from: 'list', itemsMs: new Array<number>(count).fill(0) } },
    ],
  };
}
