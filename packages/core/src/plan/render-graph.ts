import { formatDuration } from '../dsl/duration.ts';
import type { CompiledPlan } from './plan-types.ts';

export type GraphFormat = 'mermaid' | 'dot';

/**
 * The step graph as Mermaid (`flowchart LR`) or Graphviz DOT text: one node per step labelled with its id,
 * agent and estimate, an edge from each dependency to its dependent, the critical path highlighted.
 * Nodes and edges are listed in the plan's deterministic order, so the output is stable.
 */
export function renderGraph(plan: CompiledPlan, format: GraphFormat): string {
  const critical = new Set(plan.criticalPath.steps);
  const criticalEdge = new Set(plan.criticalPath.steps.slice(1).map((id, i) => `${plan.criticalPath.steps[i]}->${id}`));
  const label = (id: string) => {
    const step = plan.steps[id]!;
    const fanOut = step.forEach ? ' (for each)' : '';
    return { id, agent: step.agent + fanOut, estimate: formatDuration(step.estimateMs) };
  };
  return format === 'mermaid' ? mermaid(plan, label, critical, criticalEdge) : dot(plan, label, critical, criticalEdge);
}

type Label = (id: string) => { id: string; agent: string; estimate: string };

function mermaid(plan: CompiledPlan, label: Label, critical: Set<string>, criticalEdge: Set<string>): string {
  const lines = ['flowchart LR'];
  for (const id of plan.order) {
    const l = label(id);
    lines.push(`  ${id}["${escapeMermaid(l.id)}<br/>${escapeMermaid(l.agent)}<br/>${l.estimate}"]`);
  }
  let edgeIndex = 0;
  const criticalLinks: number[] = [];
  for (const id of plan.order) {
    for (const dependent of plan.steps[id]!.dependents) {
      if (criticalEdge.has(`${id}->${dependent}`)) criticalLinks.push(edgeIndex);
      lines.push(`  ${id} --> ${dependent}`);
      edgeIndex++;
    }
  }
  if (critical.size > 0) {
    lines.push('  classDef critical stroke:#d33,stroke-width:3px');
    lines.push(`  class ${[...critical].join(',')} critical`);
  }
  if (criticalLinks.length > 0) lines.push(`  linkStyle ${criticalLinks.join(',')} stroke:#d33,stroke-width:3px`);
  return `${lines.join('\n')}\n`;
}

function dot(plan: CompiledPlan, label: Label, critical: Set<string>, criticalEdge: Set<string>): string {
  const lines = [`digraph ${JSON.stringify(plan.workflow)} {`, '  rankdir=LR;', '  node [shape=box, style=rounded];'];
  for (const id of plan.order) {
    const l = label(id);
    const style = critical.has(id) ? ', color="#d33", penwidth=2' : '';
    lines.push(`  ${JSON.stringify(id)} [label=${JSON.stringify(`${l.id}\n${l.agent}\n${l.estimate}`)}${style}];`);
  }
  for (const id of plan.order) {
    for (const dependent of plan.steps[id]!.dependents) {
      const style = criticalEdge.has(`${id}->${dependent}`) ? ' [color="#d33", penwidth=2]' : '';
      lines.push(`  ${JSON.stringify(id)} -> ${JSON.stringify(dependent)}${style};`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function escapeMermaid(text: string): string {
  return text.replace(/"/g, '#quot;');
}
