import { scaleWorkflowSource } from './src/engine/benchmark-scale.ts';
import { loadYaml } from './src/dsl/yaml-loader.ts';
import { validateWorkflowSource } from './src/dsl/validate-workflow.ts';
import { AgentRegistry } from './src/agents/agent-registry.ts';
import { simNoopAgent } from './src/sim/sim-noop-agent.ts';
const src = scaleWorkflowSource(50000);
const json = JSON.stringify(loadYaml(src, 'x', { maxBytes: 1e8 }).value);
const agents = new AgentRegistry([simNoopAgent as any]);
for (let i = 0; i < 3; i++) {
  const c0 = process.cpuUsage();
  const r = validateWorkflowSource(json, 'x.json', { agents, limits: { maxBytes: 1e8 } });
  const c = process.cpuUsage(c0);
  console.log('validate json', ((c.user + c.system) / 1000).toFixed(0), r.diagnostics.length);
}
