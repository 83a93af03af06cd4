import { describe, expect, it } from 'vitest';
import { validateWorkflowSource } from '../dsl/validate-workflow.ts';
import { BLOG_WORKFLOW, blogAgents } from '../dsl/testing/fake-agents.ts';
import { validateSteps } from '../dsl/testing/workflow-fixture.ts';
import { toWorkflowDocument } from '../dsl/workflow-normalize.ts';
import { YamlSourceMap } from '../dsl/yaml-source-map.ts';
import { isUcopError } from '../errors/ucop-error.ts';
import { compileWorkflow, compileWorkflowWithSources } from './compile-workflow.ts';

const agents = blogAgents();
const blog = () => validateWorkflowSource(BLOG_WORKFLOW, 'blog.yaml', { agents }).workflow!;

describe('compileWorkflow on the blog pipeline', () => {
  const plan = compileWorkflow(blog(), { agents });

  it('orders steps topologically, ties in file order, and detects the parallel groups', () => {
    expect(plan.order).toEqual(['kb_ingestion', 'api_ingestion', 'blog_ingestion', 'outline', 'section', 'code_generation', 'code_validation', 'assemble']);
    expect(plan.groups).toEqual([['kb_ingestion', 'api_ingestion', 'blog_ingestion'], ['outline'], ['section', 'code_generation'], ['code_validation'], ['assemble']]);
    expect(plan.steps.code_generation).toMatchObject({ group: 2, order: 5 });
  });

  it('takes dependencies from needs and from steps.X references, with dependents', () => {
    expect(plan.steps.section!.dependencies).toEqual(['outline']); // only from for_each
    expect(plan.steps.outline!.dependents).toEqual(['code_generation', 'section']);
    expect(plan.steps.assemble!.dependencies).toEqual(['code_validation', 'section']);
  });

  it('fills effective per-step settings from the workflow config and the step', () => {
    expect(plan.settings).toMatchObject({ maxParallel: 5, timeoutMs: 30 * 60_000, stepTimeoutMs: 120_000, failFast: false });
    expect(plan.steps.outline).toMatchObject({ timeoutMs: 120_000, retry: { attempts: 3, backoff: 'exponential', delayMs: 1000, maxDelayMs: 30_000 }, continueOnError: false });
    expect(plan.steps.code_validation).toMatchObject({ timeoutMs: 60_000, retry: { attempts: 1, backoff: 'exponential', delayMs: 1000, maxDelayMs: 30_000 }, continueOnError: true });
    expect(plan.steps.section!.maxParallel).toBe(4);
    expect(plan.steps.kb_ingestion!.writes).toEqual(['sources']);
  });

  it('keeps templates parsed: with, for_each, if and outputs', () => {
    expect(plan.steps.kb_ingestion!.with).toMatchObject({ kind: 'object', entries: [['path', { kind: 'expr', source: 'inputs.source' }]] });
    expect(plan.steps.section!.forEach).toMatchObject({ source: 'steps.outline.output.sections', expr: { kind: 'path', root: 'steps' } });
    expect(plan.steps.code_validation!.condition).toMatchObject({ source: 'steps.code_generation.output.blocks.length > 0', expr: { kind: 'binary', op: '>' } });
    expect(plan.outputs.post).toMatchObject({ kind: 'expr', source: 'steps.assemble.output.path' });
    expect(plan.steps.api_ingestion!.with).toEqual({ kind: 'object', entries: [['dir', { kind: 'literal', value: 'docs/api' }]] });
  });

  it('estimates from the agents, the remaining time of each step, the critical path and the total work', () => {
    // Agents: outline 5s, section 8s, every other 1s.
    expect(plan.steps.section).toMatchObject({ estimateMs: 8000, remainingMs: 9000 });
    expect(plan.steps.outline!.remainingMs).toBe(14_000);
    expect(plan.steps.kb_ingestion!.remainingMs).toBe(15_000);
    expect(plan.criticalPath).toEqual({ steps: ['kb_ingestion', 'outline', 'section', 'assemble'], ms: 15_000 });
    expect(plan.totalWorkMs).toBe(19_000);
  });

  it('carries the workflow identity, inputs, state and source map', () => {
    expect(plan).toMatchObject({ workflow: 'blog_generation', description: 'Turn a knowledge-base article into a blog post', file: 'blog.yaml' });
    expect(Object.keys(plan.state)).toEqual(['sources', 'flags', 'title']);
    expect(plan.inputs.source).toMatchObject({ type: 'string', required: true });
    expect(plan.sourceMap?.file).toBe('blog.yaml');
  });
});

describe('compileWorkflow settings', () => {
  it('applies the other layers around the workflow config and reports the sources', () => {
    const { plan, sources } = compileWorkflowWithSources(blog(), {
      agents,
      layers: { mainConfig: { cancel_grace: '5s', max_parallel: 2 }, env: { step_timeout: '3m' }, flags: { max_parallel: 9 } },
    });
    expect(plan.settings).toMatchObject({ maxParallel: 9, cancelGraceMs: 5000, stepTimeoutMs: 180_000 });
    expect(plan.steps.outline!.timeoutMs).toBe(180_000);
    expect(plan.steps.code_validation!.timeoutMs).toBe(60_000); // the step's own timeout still wins
    expect(sources).toMatchObject({ max_parallel: 'flag', step_timeout: 'env', cancel_grace: 'config', timeout: 'workflow' });
  });

  it('resolves concurrency groups, estimates, providers and fallbacks per step', () => {
    const steps = [
      '  a: { agent: code.validate, concurrency: { group: llm, limit: 3 }, estimate: 250ms, provider: openai }',
      '  b: { agent: code.validate, concurrency: llm, fallback: [offline] }',
      '  c: { agent: code.validate, concurrency: { group: llm, limit: 2 } }',
      '  d: { agent: code.validate, concurrency: gpu }',
      '',
    ].join('\n');
    const extra = 'config:\n  provider: anthropic\n  fallback: [openai]\n  concurrency:\n    gpu: { limit: 1 }\n';
    const { workflow, diagnostics } = validateSteps(steps, { extra });
    expect(diagnostics).toEqual([]);
    const plan = compileWorkflow(workflow!, { agents });
    expect(plan.settings.concurrencyGroups).toEqual({ llm: 2, gpu: 1 });
    expect(plan.steps.a).toMatchObject({ concurrencyGroup: { name: 'llm', limit: 2 }, estimateMs: 250, provider: 'openai', fallback: ['openai'] });
    expect(plan.steps.b).toMatchObject({ concurrencyGroup: { name: 'llm', limit: 2 }, estimateMs: 1000, provider: 'anthropic', fallback: ['offline'] });
    expect(plan.steps.d!.concurrencyGroup).toEqual({ name: 'gpu', limit: 1 });
  });

  it('a literal for_each list compiles to an array expression', () => {
    const { workflow } = validateSteps('  a: { agent: writer.section, for_each: [intro, "${{ inputs.source }}", 3], with: { heading: "${{ item }}" } }\n');
    const plan = compileWorkflow(workflow!, { agents });
    expect(plan.steps.a!.forEach?.expr).toMatchObject({
      kind: 'array',
      items: [{ kind: 'literal', value: 'intro' }, { kind: 'path', root: 'inputs' }, { kind: 'literal', value: 3 }],
    });
  });

  it('refuses a document that did not pass validation: cycle, unknown agent', () => {
    const loaded = (yaml: Record<string, unknown>) => ({ file: 'x.yaml', document: toWorkflowDocument(yaml), sourceMap: new YamlSourceMap('x.yaml', '') });
    const cyclic = loaded({ name: 'x', steps: { a: { agent: 'code.validate', needs: ['b'] }, b: { agent: 'code.validate', needs: ['a'] } } });
    const unknown = loaded({ name: 'x', steps: { a: { agent: 'nope' } } });
    for (const [doc, code] of [[cyclic, 'DAG_CYCLE'], [unknown, 'UNKNOWN_AGENT']] as const) {
      try {
        compileWorkflow(doc, { agents });
        expect.unreachable();
      } catch (error) {
        expect(isUcopError(error) && error.code).toBe(code);
      }
    }
  });
});

describe('compileWorkflow estimates from an agent estimate hook', () => {
  it('asks the agent for an estimate from the literal with: values, and falls back to estimateMs', async () => {
    const { createSimDelayAgent } = await import('../sim/sim-delay-agent.ts');
    const { AgentRegistry } = await import('../agents/agent-registry.ts');
    const simAgents = new AgentRegistry([createSimDelayAgent()]);
    const source = [
      'version: 1',
      'name: estimates',
      'inputs: { d: { type: number, default: 5 } }',
      'steps:',
      '  fixed: { agent: sim.delay, with: { ms: 40 } }',
      '  dynamic: { agent: sim.delay, with: { ms: "${{ inputs.d }}" } }',
      '  explicit: { agent: sim.delay, with: { ms: 40 }, estimate: 7ms }',
    ].join('\n');
    const loaded = validateWorkflowSource(source, 'e.yaml', { agents: simAgents }).workflow!;
    const plan = compileWorkflow(loaded, { agents: simAgents });
    expect(plan.steps.fixed!.estimateMs).toBe(40);
    expect(plan.steps.dynamic!.estimateMs).toBe(100);
    expect(plan.steps.explicit!.estimateMs).toBe(7);
  });
});
