import { describe, expect, it } from 'vitest';
import { validateWorkflowSource } from '../dsl/validate-workflow.ts';
import { AgentRegistry } from '../agents/agent-registry.ts';
import { BLOG_WORKFLOW, blogAgents, fakeAgent } from '../dsl/testing/fake-agents.ts';
import { compileWorkflow } from './compile-workflow.ts';
import { estimatePlan } from './estimate-plan.ts';

describe('estimatePlan', () => {
  const agents = blogAgents();
  const plan = compileWorkflow(validateWorkflowSource(BLOG_WORKFLOW, 'blog.yaml', { agents }).workflow!, { agents });

  it('lower bound = max(critical path, total work / workers); speedup = total / lower bound', () => {
    const shared = { criticalPath: plan.criticalPath.steps, totalWorkMs: 19_000, unknownItemCounts: ['section'] };
    expect(estimatePlan(plan, 1)).toEqual({ ...shared, workers: 1, criticalPathMs: 15_000, lowerBoundMs: 19_000, estimatedSpeedup: 1 });
    expect(estimatePlan(plan, 4)).toEqual({ ...shared, workers: 4, criticalPathMs: 15_000, lowerBoundMs: 15_000, estimatedSpeedup: 19_000 / 15_000 });
  });

  it('defaults to the plan max_parallel and never divides by zero workers', () => {
    expect(estimatePlan(plan).workers).toBe(5);
    expect(estimatePlan(plan, 0).workers).toBe(1);
  });
});

describe('estimatePlan with fan-outs', () => {
  const agents = new AgentRegistry([fakeAgent('analyze.topics', { output: { type: 'object', properties: { keywords: { type: 'array' } } } })]);
  const compile = (steps: string, inputs = ''): ReturnType<typeof compileWorkflow> => {
    const source = ['version: 1', 'name: fan', inputs, 'steps:', steps].filter(Boolean).join('\n');
    const outcome = validateWorkflowSource(source, 'fan.yaml', { agents });
    expect(outcome.diagnostics).toEqual([]);
    return compileWorkflow(outcome.workflow!, { agents });
  };

  it('weighs a 12-item fan-out by its items: total work x12, its span in waves on the slots', () => {
    const plan = compile('  a: { agent: analyze.topics, estimate: 250ms, for_each: "${{ inputs.chapters }}", expected_items: 12, with: {} }', 'inputs:\n  chapters: { type: array }');
    expect(plan.steps.a!.expectedItems).toBe(12);
    const e = estimatePlan(plan, 4);
    expect(e.totalWorkMs).toBe(3000);
    expect(e.criticalPathMs).toBe(750); // 3 waves of 4
    expect(e.lowerBoundMs).toBe(750);
    expect(e.estimatedSpeedup).toBe(4);
    expect(e.unknownItemCounts).toEqual([]);
    expect(estimatePlan(plan, 1).estimatedSpeedup).toBe(1);
  });

  it('takes the count from a literal list or an input default, and honours the step max_parallel', () => {
    const literal = compile('  a: { agent: analyze.topics, estimate: 100ms, for_each: [1, 2, 3, 4, 5, 6], max_parallel: 2, with: {} }');
    expect(literal.steps.a!.expectedItems).toBe(6);
    expect(estimatePlan(literal, 8)).toMatchObject({ totalWorkMs: 600, criticalPathMs: 300, estimatedSpeedup: 2 });
    const input = compile('  a: { agent: analyze.topics, estimate: 100ms, for_each: "${{ inputs.xs }}", with: {} }', 'inputs:\n  xs: { type: array, default: [a, b, c] }');
    expect(input.steps.a!.expectedItems).toBe(3);
  });

  it('counts a fan-out over a step output as one item and says so', () => {
    const plan = compile('  o: { agent: analyze.topics, estimate: 10ms, with: {} }\n  a: { agent: analyze.topics, estimate: 100ms, for_each: "${{ steps.o.output.keywords }}", with: {} }');
    expect(estimatePlan(plan, 4)).toMatchObject({ totalWorkMs: 110, unknownItemCounts: ['a'] });
  });
});
