import { describe, it, expect } from 'vitest';
import { compileWorkflow } from './compile-workflow.ts';
import { estimatePlan } from './estimate-plan.ts';
import { renderGraph } from './render-graph.ts';
import { validateWorkflowSource } from '../dsl/validate-workflow.ts';
import { formatDiagnostic } from '../errors/diagnostic.ts';
import { AgentRegistry } from '../agents/agent-registry.ts';
import type { AgentDefinition } from '../agents/agent-definition.ts';
import { simNoopAgent } from '../sim/sim-noop-agent.ts';
import { createSimDelayAgent } from '../sim/sim-delay-agent.ts';
import { InvocationRecorder } from '../sim/invocation-recorder.ts';

const agents = new AgentRegistry([createSimDelayAgent(new InvocationRecorder()) as unknown as AgentDefinition, simNoopAgent as unknown as AgentDefinition]);

function plan(source: string) {
  const { workflow, diagnostics } = validateWorkflowSource(source, 'wf.yaml', { agents });
  if (!workflow) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return compileWorkflow(workflow, { agents });
}

const SOURCE = (expect: string) => `
version: 1
name: chapters
config: { max_parallel: 5 }
steps:
  outline: { agent: sim.delay, with: { ms: 10 } }
  chapter:
    for_each: "\${{ steps.outline.output }}"
    ${expect}
    steps:
      analyze: { agent: sim.delay, with: { ms: 100 } }
      polish: { agent: sim.delay, needs: [analyze], with: { ms: 50 } }
    outputs: { text: "\${{ steps.polish.output }}" }
  assemble: { agent: sim.delay, needs: [chapter], with: { ms: 1 } }
`;

describe('plans of groups', () => {
  it('weighs a group by its expected items (expect:), so the speedup of a fan-out means something', () => {
    const known = estimatePlan(plan(SOURCE('expect: { items: 15 }')));
    expect(known.totalWorkMs).toBe(10 + 15 * 150 + 1);
    expect(known.unknownItemCounts).toEqual([]);
    // The group's span: its work spread on 5 slots (450 ms), longer than one chapter (150 ms).
    expect(known.criticalPathMs).toBe(10 + 450 + 1);
    expect(known.lowerBoundMs).toBe(461);
    expect(known.estimatedSpeedup).toBeCloseTo(2261 / 461, 5);
    const unknown = estimatePlan(plan(SOURCE('')));
    expect(unknown.unknownItemCounts).toEqual(['chapter']);
    expect(unknown.estimatedSpeedup).toBeCloseTo(1, 5);
  });

  it('inner steps of a group on the critical path rank above the steps after it (remaining time includes the tail)', () => {
    const p = plan(SOURCE('expect: { items: 15 }'));
    expect(p.steps.chapter!.body!.steps.analyze!.remainingMs).toBe(100 + 50 + 1);
  });

  it('draws a group as a Mermaid subgraph with its inner steps, and as a DOT cluster', () => {
    const p = plan(SOURCE('expect: { items: 15 }'));
    const mermaid = renderGraph(p, 'mermaid');
    expect(mermaid).toContain('  subgraph chapter["chapter (for each, ×15)"]\n    direction LR\n    chapter__analyze["analyze<br/>sim.delay<br/>100ms"]');
    expect(mermaid).toContain('  chapter__analyze --> chapter__polish\n');
    expect(mermaid).toContain('  outline --> chapter\n  chapter --> assemble\n');
    const dot = renderGraph(p, 'dot');
    expect(dot).toContain('subgraph "cluster_chapter" {');
    expect(dot).toContain('"chapter.analyze" -> "chapter.polish";');
  });
});
