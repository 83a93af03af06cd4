import { describe, expect, it } from 'vitest';
import { validateWorkflowSource } from '../dsl/validate-workflow.ts';
import { compileWorkflow } from './compile-workflow.ts';
import { generateSyntheticWorkflow, syntheticAgents } from './synthetic-workflow.ts';

describe('generateSyntheticWorkflow', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(generateSyntheticWorkflow({ steps: 50, seed: 7 })).toBe(generateSyntheticWorkflow({ steps: 50, seed: 7 }));
    expect(generateSyntheticWorkflow({ steps: 50, seed: 7 })).not.toBe(generateSyntheticWorkflow({ steps: 50, seed: 8 }));
  });

  it('generates a valid workflow of 1,000 steps with both kinds of dependencies, under 1 MiB at 10,000', () => {
    const agents = syntheticAgents();
    const source = generateSyntheticWorkflow({ steps: 1000 });
    const { workflow, diagnostics } = validateWorkflowSource(source, 'synthetic.yaml', { agents });
    expect(diagnostics).toEqual([]);
    const plan = compileWorkflow(workflow!, { agents });
    expect(plan.order).toHaveLength(1000);
    expect(source).toContain('${{ steps.');
    expect(source).toContain('needs: [');
    expect(Object.values(plan.steps).every((s) => s.estimateMs >= 5 && s.estimateMs <= 100)).toBe(true);
    expect(Buffer.byteLength(generateSyntheticWorkflow({ steps: 10_000 }))).toBeLessThan(1024 * 1024);
  });
});
