import { describe, expect, it } from 'vitest';
import { validateWorkflowSource } from '../dsl/validate-workflow.ts';
import { loadYaml } from '../dsl/yaml-loader.ts';
import { compileWorkflow } from './compile-workflow.ts';
import { generateSyntheticWorkflow, syntheticAgents } from './synthetic-workflow.ts';
import type { AgentDefinition } from '../agents/agent-definition.ts';
import { AgentRegistry } from '../agents/agent-registry.ts';
import { simNoopAgent } from '../sim/sim-noop-agent.ts';

describe('generateSyntheticWorkflow', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect(generateSyntheticWorkflow({ steps: 50, seed: 7 })).toBe(generateSyntheticWorkflow({ steps: 50, seed: 7 }));
    expect(generateSyntheticWorkflow({ steps: 50, seed: 7 })).not.toBe(generateSyntheticWorkflow({ steps: 50, seed: 8 }));
  });

  it('writes the same workflow as JSON: the value JSON.parse gives equals the one yaml gives for the YAML text', () => {
    for (const options of [{ steps: 300, seed: 3 }, { steps: 12_000, layers: 120, agent: 'sim.noop', seed: 16 }, { steps: 1, seed: 1 }]) {
      const yaml = loadYaml(generateSyntheticWorkflow(options), 'w.yaml', { maxBytes: 10_000_000 });
      expect(yaml.diagnostics).toEqual([]);
      const json = generateSyntheticWorkflow({ ...options, format: 'json' });
      expect(JSON.parse(json)).toStrictEqual(yaml.value);
    }
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

  it('with `layers`, draws each step\'s dependencies from the layer before its own; sim.noop steps carry no duration', () => {
    const agents = new AgentRegistry([simNoopAgent as unknown as AgentDefinition]);
    const source = generateSyntheticWorkflow({ steps: 1000, layers: 10, agent: 'sim.noop' });
    expect(source).not.toContain('ms: ');
    const { workflow, diagnostics } = validateWorkflowSource(source, 'layered.yaml', { agents });
    expect(diagnostics).toEqual([]);
    const plan = compileWorkflow(workflow!, { agents });
    const layerOf = (id: string) => Math.floor(Number(id.slice(1)) / 100);
    for (const id of plan.order) {
      const deps = plan.steps[id]!.dependencies;
      if (layerOf(id) === 0) expect(deps).toEqual([]);
      else expect(deps.length).toBeGreaterThan(0);
      for (const dep of deps) expect(layerOf(dep)).toBe(layerOf(id) - 1);
    }
    expect(plan.groups).toHaveLength(10);
    expect(generateSyntheticWorkflow({ steps: 20_000, layers: 200 })).toContain('max_steps: 20000');
  });
});
