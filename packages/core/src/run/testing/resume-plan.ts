import { AgentRegistry } from '../../agents/agent-registry.ts';
import type { AgentDefinition } from '../../agents/agent-definition.ts';
import { parseExpression, parseTemplate } from '../../expr/index.ts';
import type { CompiledPlan } from '../../plan/plan-types.ts';
import { createSimDelayAgent } from '../../sim/sim-delay-agent.ts';
import { InvocationRecorder } from '../../sim/invocation-recorder.ts';
import { buildPlan } from '../../engine/testing/plan-builder.ts';

/**
 * The workflow of the resume tests: a → b (fan-out over a's list) → slow → c, with state writes along
 * the way. `slowMs` sets how long `slow` takes; `cInput` changes c's input.
 */
export function resumePlan(options: { slowMs?: number; cInput?: string } = {}): CompiledPlan {
  return buildPlan({
    workflow: 'resume_test',
    state: { log: { reducer: 'append' }, total: { reducer: 'sum' } },
    steps: {
      a: { with: { ms: 1, output: [1, 2, 3], write: { log: 'a' } }, writes: ['log'] },
      b: { forEach: parseExpression('steps.a.output'), with: parseTemplate({ ms: 1, output: '${{ item * 10 }}', write: { total: '${{ item }}' } }), writes: ['total'] },
      slow: { needs: ['b'], with: { ms: options.slowMs ?? 1, output: 'slow done', write: { log: 'slow' } }, writes: ['log'] },
      c: { with: parseTemplate({ ms: 1, output: ['${{ steps.b.output }}', '${{ steps.slow.output }}', options.cInput ?? 'x'] }) },
    },
    outputs: { c: parseTemplate('${{ steps.c.output }}') },
  });
}

export function resumeAgents(): { agents: AgentRegistry; recorder: InvocationRecorder } {
  const recorder = new InvocationRecorder();
  return { agents: new AgentRegistry([createSimDelayAgent(recorder) as unknown as AgentDefinition]), recorder };
}
