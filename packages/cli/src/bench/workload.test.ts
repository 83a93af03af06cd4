import { describe, it, expect } from 'vitest';
import { workloadBounds, workloadSource, type Workload } from './workload.ts';
import { bookWorkload, chainsWorkload, crossDependenciesWorkload, ingestionWorkload, sectionsWorkload, noopWorkload, noopFanOutWorkload } from './standard-workloads.ts';

describe('workloadBounds', () => {
  it('computes critical path, total work and lower bound of a diamond with a fan-out', () => {
    const w: Workload = {
      name: 'diamond',
      description: '',
      maxParallel: 2,
      steps: [
        { id: 'a', ms: 10, needs: [] },
        { id: 'b', ms: 30, needs: ['a'] },
        { id: 'fan', ms: 0, needs: ['a'], fanOut: { from: 'a', itemsMs: [5, 40, 5] } },
        { id: 'z', ms: 10, needs: ['b', 'fan'] },
      ],
    };
    expect(workloadBounds(w)).toEqual({ tasks: 6, totalWorkMs: 100, criticalPathMs: 60, lowerBoundMs: 60, idealSpeedup: 100 / 60 });
  });

  it('uses total work / slots when it exceeds the critical path', () => {
    expect(workloadBounds(chainsWorkload(4, 3, 80))).toMatchObject({ criticalPathMs: 240, totalWorkMs: 960, lowerBoundMs: 240, idealSpeedup: 4 });
    const b = workloadBounds({ ...chainsWorkload(4, 3, 80), maxParallel: 2 });
    expect(b.lowerBoundMs).toBe(480);
  });

  it('counts the items of a no-op fan-out as tasks of no work', () => {
    expect(workloadBounds(noopFanOutWorkload(1000))).toMatchObject({ tasks: 1001, totalWorkMs: 0, criticalPathMs: 0 });
  });

  it('refuses a step listed before its dependency', () => {
    expect(() => workloadBounds({ name: 'w', description: '', maxParallel: 1, steps: [{ id: 'b', ms: 1, needs: ['a'] }, { id: 'a', ms: 1, needs: [] }] })).toThrow(/needs "a"/);
  });
});

describe('standard workloads', () => {
  it('have the seed shapes', () => {
    expect(ingestionWorkload().steps.filter((s) => s.needs.length === 0)).toHaveLength(3);
    expect(sectionsWorkload().steps.find((s) => s.id === 'section')?.fanOut?.itemsMs).toHaveLength(5);
    const book = bookWorkload();
    expect(book.steps).toHaveLength(60);
    expect(book.maxParallel).toBe(5);
    const cross = crossDependenciesWorkload();
    expect(cross.steps).toHaveLength(62);
    // Cross-dependencies: some step needs a step two layers up.
    expect(cross.steps.some((s) => s.needs.some((n) => Number(n[1]) <= Number(s.id[1]) - 2))).toBe(true);
    for (const w of [book, cross]) for (const s of w.steps) expect(s.ms).toBeGreaterThanOrEqual(20);
  });

  it('are the same on every call (seeded)', () => {
    expect(crossDependenciesWorkload()).toEqual(crossDependenciesWorkload());
    expect(bookWorkload()).toEqual(bookWorkload());
  });
});

describe('workloadSource', () => {
  it('writes a sim.delay workflow with the fan-out list in the source step output', () => {
    const doc = JSON.parse(workloadSource(sectionsWorkload())) as { config: Record<string, unknown>; steps: Record<string, Record<string, unknown>> };
    expect(doc.config).toMatchObject({ max_parallel: 5, max_steps: 17 });
    expect(doc.steps.outline).toEqual({ agent: 'sim.delay', with: { ms: 40, output: { items: [60, 50, 70, 55, 65] } } });
    expect(doc.steps.section).toEqual({ agent: 'sim.delay', needs: ['outline'], for_each: '${{ steps.outline.output.items }}', with: { ms: '${{ item }}' } });
  });

  it('uses sim.noop for no-op steps', () => {
    const doc = JSON.parse(workloadSource(noopWorkload(3))) as { steps: Record<string, Record<string, unknown>> };
    expect(Object.values(doc.steps).map((s) => s.agent)).toEqual(['sim.noop', 'sim.noop', 'sim.noop']);
    const fan = JSON.parse(workloadSource({ name: 'f', description: '', maxParallel: 2, steps: [{ id: 'a', ms: 0, needs: [], noop: true }, { id: 'b', ms: 0, needs: ['a'], noop: true, fanOut: { from: 'a', itemsMs: [0, 0] } }] })) as { steps: Record<string, unknown> };
    expect(fan.steps).toEqual({ a: { agent: 'sim.noop', with: { output: { items: [0, 0] } } }, b: { agent: 'sim.noop', needs: ['a'], for_each: '${{ steps.a.output.items }}', with: {} } });
  });
});
