import { describe, it, expect } from 'vitest';
import { createCoreHarness, seededRandom, randomInt } from '../../packages/cli/src/bench/index.ts';
import { recordPerfCase } from './perf-report.ts';

/**
 * The manuscript editor's shape written the way workflows/manuscript_edit.yaml is: a group with one
 * instance per chapter (analyze → expand → polish → validate as inner steps of sim.delay), the check after
 * the group, two fix tasks, the re-check. Measures the group engine itself (instances pipelined on 10
 * slots) against the sequential engine and against the lower bound of this graph:
 * max(longest chapter chain + check + fix + recheck, total work / 10).
 */
const SCALE = 2;

function chapters(): { a: number; e: number; p: number; v: number }[] {
  const random = seededRandom(62);
  return Array.from({ length: 15 }, () => ({
    a: randomInt(random, 15, 25) * SCALE,
    e: randomInt(random, 50, 80) * SCALE,
    p: randomInt(random, 35, 55) * SCALE,
    v: randomInt(random, 15, 25) * SCALE,
  }));
}

const CHECK_MS = 20 * SCALE;
const FIX_MS = 30 * SCALE;

const SOURCE = `version: 1
name: manuscript_groups_bench
inputs:
  chapters: { type: array }
config: { max_parallel: 10, step_timeout: 10m, max_steps: 1000 }
steps:
  chapter:
    for_each: "\${{ inputs.chapters }}"
    steps:
      analyze: { agent: sim.delay, with: { ms: "\${{ item.a }}" } }
      expand: { agent: sim.delay, needs: [analyze], with: { ms: "\${{ item.e }}" } }
      polish: { agent: sim.delay, needs: [expand], with: { ms: "\${{ item.p }}" } }
      validate: { agent: sim.delay, needs: [polish], with: { ms: "\${{ item.v }}" } }
    outputs: { done: "\${{ steps.validate.status }}" }
  check: { agent: sim.delay, needs: [chapter], with: { ms: ${CHECK_MS} } }
  fix: { agent: sim.delay, needs: [check], for_each: [8, 13], with: { ms: ${FIX_MS} } }
  recheck: { agent: sim.delay, needs: [fix], with: { ms: ${CHECK_MS} } }
`;

describe('the manuscript editor as groups: instances pipelined by the group engine', () => {
  it('15 chapter instances x 4 inner steps + check + 2 fixes + re-check on 10 slots', async () => {
    const harness = createCoreHarness();
    const items = chapters();
    const chain = (c: { a: number; e: number; p: number; v: number }) => c.a + c.e + c.p + c.v;
    const work = items.reduce((n, c) => n + chain(c), 0);
    const tail = CHECK_MS + FIX_MS + CHECK_MS;
    // The tail steps run after every chapter: they add to any schedule of the chapters.
    const lowerBound = Math.max(...items.map(chain), work / 10) + tail;
    const totalWork = work + 2 * CHECK_MS + 2 * FIX_MS;
    const sim = harness.simAgents();
    const plan = await harness.compile(SOURCE, 'manuscript-groups.yaml', sim.agents);
    const time = async (engine: 'parallel' | 'sequential') => {
      const agents = harness.simAgents().agents;
      const started = harness.clock.now();
      const { record } = await harness.run({ plan, engine, agents, inputs: { chapters: items } });
      expect(record.status).toBe('succeeded');
      return harness.clock.now() - started;
    };
    const parallel = Math.min(await time('parallel'), await time('parallel'), await time('parallel'));
    const sequential = await time('sequential');
    const figures = { tasks: 15 * 4 + 4, lowerBoundMs: lowerBound, totalWorkMs: totalWork, parallelMs: Math.round(parallel), sequentialMs: Math.round(sequential), speedup: Math.round((sequential / parallel) * 1000) / 1000, ratioToLowerBound: Math.round((parallel / lowerBound) * 1000) / 1000, claimedSpeedupOfReplacedSystem: 4.4 };
    await recordPerfCase('pipelines.manuscript_groups', figures);
    console.log('pipelines.manuscript_groups', JSON.stringify(figures));
    expect(parallel / lowerBound).toBeLessThanOrEqual(1.15);
    expect(sequential / parallel).toBeGreaterThan(4.4);
  }, 120_000);
});
