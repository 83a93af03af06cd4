import { describe, it, expect } from 'vitest';
import { floorCompile, floorGraphOf, floorOrder, floorRun } from './benchmark-floor.ts';
import { fitExponent, measureScaleCase } from './benchmark-scale.ts';

const diamond = JSON.stringify({
  steps: {
    a: {},
    b: { needs: ['a'] },
    c: { with: { text: '${{ steps.a.output }}' } },
    d: { needs: ['b'], with: { x: ['${{ steps.c.output }}'] } },
  },
});

describe('the scheduling floor', () => {
  it('reads needs and step references into index arrays, and orders them', () => {
    const graph = floorCompile(diamond);
    expect(graph.ids).toEqual(['a', 'b', 'c', 'd']);
    expect([...graph.indegree]).toEqual([0, 1, 1, 2]);
    expect([...floorOrder(graph)]).toEqual([0, 1, 2, 3]);
  });

  it('refuses a cycle and an unknown dependency', () => {
    expect(() => floorCompile(JSON.stringify({ steps: { a: { needs: ['b'] }, b: { needs: ['a'] } } }))).toThrow(/cycle/);
    expect(() => floorCompile(JSON.stringify({ steps: { a: { needs: ['z'] } } }))).toThrow(/unknown z/);
  });

  it('runs every task once, after its dependencies, never more than `slots` at a time', async () => {
    const graph = floorGraphOf({ a: { dependencies: [] }, b: { dependencies: ['a'] }, c: { dependencies: ['a'] }, d: { dependencies: ['b', 'c'] }, e: { dependencies: [] } });
    const done = new Set<number>();
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    await floorRun(graph, 2, async (i) => {
      for (let k = 0; k < graph.ids.length; k += 1) {
        const dependsOnK = Array.from(graph.dependents.subarray(graph.offsets[k]!, graph.offsets[k + 1]!)).includes(i);
        if (dependsOnK) expect(done.has(k)).toBe(true);
      }
      started.push(i);
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setImmediate(r));
      running -= 1;
      done.add(i);
    });
    expect(started.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
  });
});

describe('the scale benchmark', () => {
  it('fits the exponent of a power law', () => {
    expect(fitExponent([1_000, 10_000, 100_000], [2, 20, 200])).toBeCloseTo(1, 6);
    expect(fitExponent([10, 100], [1, 100])).toBeCloseTo(2, 6);
  });

  it('measures ucop and the floor on the same generated DAG', async () => {
    const figure = await measureScaleCase(300);
    expect(figure.steps).toBe(300);
    expect(figure.ucop.totalMs).toBeGreaterThan(0);
    expect(figure.floor.totalMs).toBeGreaterThan(0);
    expect(figure.timeRatio).toBeCloseTo(figure.ucop.totalMs / figure.floor.totalMs, 1);
    expect(figure.ucop.firstStepMs).toBeGreaterThanOrEqual(0);
  });
});
