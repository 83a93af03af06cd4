import { describe, expect, it } from 'vitest';
import { validateWorkflowSource } from '../dsl/validate-workflow.ts';
import { BLOG_WORKFLOW, blogAgents } from '../dsl/testing/fake-agents.ts';
import { compileWorkflow } from './compile-workflow.ts';
import { estimatePlan } from './estimate-plan.ts';

describe('estimatePlan', () => {
  const agents = blogAgents();
  const plan = compileWorkflow(validateWorkflowSource(BLOG_WORKFLOW, 'blog.yaml', { agents }).workflow!, { agents });

  it('lower bound = max(critical path, total work / workers); speedup = total / lower bound', () => {
    expect(estimatePlan(plan, 1)).toEqual({ workers: 1, criticalPathMs: 15_000, totalWorkMs: 19_000, lowerBoundMs: 19_000, estimatedSpeedup: 1 });
    expect(estimatePlan(plan, 4)).toEqual({ workers: 4, criticalPathMs: 15_000, totalWorkMs: 19_000, lowerBoundMs: 15_000, estimatedSpeedup: 19_000 / 15_000 });
  });

  it('defaults to the plan max_parallel and never divides by zero workers', () => {
    expect(estimatePlan(plan).workers).toBe(5);
    expect(estimatePlan(plan, 0).workers).toBe(1);
  });
});
