import { describe, it, expect } from 'vitest';
import { compileWorkflow } from '../plan/compile-workflow.ts';
import { validateWorkflowSource } from '../dsl/validate-workflow.ts';
import { formatDiagnostic } from '../errors/diagnostic.ts';
import { createSimHarness } from './testing/sim-harness.ts';
import type { AgentLookup } from '../agents/agent-definition.ts';

const SOURCE = `
version: 1
name: compiled_demo
inputs:
  items: { type: array, items: { type: integer }, default: [30, 10, 20] }
config:
  max_parallel: 3
  concurrency: { llm: { limit: 1 } }
  retry: { attempts: 2, delay: 10ms, max_delay: 100ms }
state:
  log: { reducer: append }
  total: { reducer: sum }
steps:
  fetch:
    agent: sim.delay
    with: { ms: 5, output: '\${{ inputs.items }}', write: { log: fetch } }
    writes: [log]
  each:
    agent: sim.delay
    for_each: '\${{ steps.fetch.output }}'
    max_parallel: 2
    with: { ms: '\${{ item }}', output: '\${{ item * 2 }}', write: { total: '\${{ item }}' } }
    writes: [total]
  flaky:
    agent: sim.delay
    with: { ms: 5, fail_attempts: 5, retryable: false }
    continue_on_error: true
  llm_a:
    agent: sim.delay
    needs: [fetch]
    concurrency: llm
    with: { ms: 20 }
  llm_b:
    agent: sim.delay
    needs: [fetch]
    concurrency: llm
    with: { ms: 20 }
  report:
    agent: sim.delay
    if: "\${{ steps.flaky.status == 'failed' }}"
    with: { ms: 1, output: '\${{ steps.each.output }}' }
outputs:
  doubled: '\${{ steps.report.output }}'
`;

function compile(agents: AgentLookup) {
  const { workflow, diagnostics } = validateWorkflowSource(SOURCE, 'compiled_demo.yaml', { agents });
  if (!workflow) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return compileWorkflow(workflow, { agents });
}

describe('plans from the real compiler', () => {
  it('run end to end with fan-out, groups, conditions and continue_on_error, identically in both engines', async () => {
    const par = createSimHarness();
    const plan = compile(par.agents);
    const parallel = await par.run(plan);
    expect(parallel.record.status).toBe('succeeded');
    expect(parallel.outputs).toEqual({ doubled: [60, 20, 40] });
    expect(parallel.state).toEqual({ log: ['fetch'], total: 60 });
    expect(par.recorder.maxConcurrent((r) => r.stepId.startsWith('llm'))).toBe(1);
    expect(par.recorder.maxConcurrent((r) => r.stepId === 'each')).toBe(2);
    expect(par.recorder.maxConcurrent()).toBeLessThanOrEqual(3);
    expect(par.recorder.count('flaky')).toBe(1);
    const seq = createSimHarness();
    const sequential = await seq.run(plan, { engine: 'sequential' });
    expect(JSON.stringify(sequential.outputs)).toBe(JSON.stringify(parallel.outputs));
    expect(JSON.stringify(sequential.state)).toBe(JSON.stringify(parallel.state));
    expect(sequential.record.wallMs).toBeGreaterThan(parallel.record.wallMs);
  });
});
