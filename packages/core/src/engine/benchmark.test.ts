import { describe, it, expect } from 'vitest';
import { benchmarkEngine } from './benchmark.ts';
import { generateLayeredWorkload } from './benchmark-workload.ts';

describe('engine benchmark', () => {
  it('generates layered DAGs deterministically, with every step of a later layer depending on the one before', () => {
    const a = generateLayeredWorkload({ steps: 50, layers: 5, seed: 3 });
    const b = generateLayeredWorkload({ steps: 50, layers: 5, seed: 3 });
    expect(JSON.stringify(a.steps)).toBe(JSON.stringify(b.steps));
    expect(a.order).toHaveLength(50);
    for (const id of a.order.slice(10)) expect(a.steps[id]!.dependencies.length).toBeGreaterThan(0);
    expect(a.groups.length).toBe(5);
  });

  it('critical-path scheduling stays within 5% of the lower bound and beats level-by-level waves (virtual clock)', async () => {
    const report = await benchmarkEngine({ clock: 'virtual', workloads: 2, steps: 200, overheadSteps: 0 });
    expect(report.scheduling).toHaveLength(6);
    expect(report.summary['critical-path']).toBeLessThanOrEqual(1.05);
    expect(report.summary['critical-path']).toBeGreaterThanOrEqual(1);
    expect(report.summary.levels).toBeGreaterThan(report.summary['critical-path'] * 1.1);
    // Sequential: one slot, so about the number of slots times the bound.
    expect(report.summary.sequential).toBeGreaterThan(6);
  });

  it('measures overhead per no-op step', async () => {
    const report = await benchmarkEngine({ clock: 'virtual', workloads: 0, overheadSteps: 500, overheadRuns: 1 });
    expect(report.overhead.map((o) => o.engine)).toEqual(['parallel', 'sequential']);
    for (const o of report.overhead) {
      expect(o.steps).toBe(500);
      expect(o.usPerStep).toBeGreaterThan(0);
    }
  });
});
