import { formatDuration } from '../dsl/duration.ts';
import type { CompiledPlan, PlanStep } from './plan-types.ts';

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

/** A level of the graph: the workflow's steps, or a group's inner steps (node names prefixed with the group's). */
interface Level {
  steps: Record<string, PlanStep>;
  order: readonly string[];
  /** Prefix of node names at this level: `chapter__` inside `chapter`. */
  prefix: string;
}

function groupNote(step: PlanStep): string {
  const parts: string[] = [];
  if (step.forEach) parts.push(step.expectedItems === undefined ? 'for each' : `for each, ×${step.expectedItems}`);
  if (step.body?.repeat) parts.push(`repeat ≤${step.body.repeat.max}`);
  if (step.body?.uses) parts.push(`uses ${step.body.uses.file.split(/[\\/]/).pop()}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function mermaid(plan: CompiledPlan, label: Label, critical: Set<string>, criticalEdge: Set<string>): string {
  const lines = ['flowchart LR'];
  let edgeIndex = 0;
  const criticalLinks: number[] = [];
  const edges: string[] = [];
  const visit = (level: Level, indent: string): void => {
    for (const id of level.order) {
      const step = level.steps[id]!;
      const node = `${level.prefix}${id}`;
      if (step.body) {
        // A group: a subgraph holding its inner steps; edges to and from the group go to the subgraph.
        lines.push(`${indent}subgraph ${node}["${escapeMermaid(id + groupNote(step))}"]`);
        lines.push(`${indent}  direction LR`);
        visit({ steps: step.body.steps, order: step.body.order, prefix: `${node}__` }, `${indent}  `);
        lines.push(`${indent}end`);
      } else {
        const l = level.prefix === '' ? label(id) : { id, agent: step.agent + (step.forEach ? ' (for each)' : ''), estimate: formatDuration(step.estimateMs) };
        lines.push(`${indent}${node}["${escapeMermaid(l.id)}<br/>${escapeMermaid(l.agent)}<br/>${l.estimate}"]`);
      }
    }
    for (const id of level.order) {
      for (const dependent of level.steps[id]!.dependents) {
        if (level.prefix === '' && criticalEdge.has(`${id}->${dependent}`)) criticalLinks.push(edgeIndex);
        edges.push(`  ${level.prefix}${id} --> ${level.prefix}${dependent}`);
        edgeIndex++;
      }
    }
  };
  visit({ steps: plan.steps, order: plan.order, prefix: '' }, '  ');
  lines.push(...edges);
  const criticalNodes = [...critical].filter((id) => !plan.steps[id]?.body);
  if (criticalNodes.length > 0) {
    lines.push('  classDef critical stroke:#d33,stroke-width:3px');
    lines.push(`  class ${criticalNodes.join(',')} critical`);
  }
  if (criticalLinks.length > 0) lines.push(`  linkStyle ${criticalLinks.join(',')} stroke:#d33,stroke-width:3px`);
  return `${lines.join('\n')}\n`;
}

function dot(plan: CompiledPlan, label: Label, critical: Set<string>, criticalEdge: Set<string>): string {
  const lines = [`digraph ${JSON.stringify(plan.workflow)} {`, '  rankdir=LR;', '  node [shape=box, style=rounded];'];
  const edges: string[] = [];
  const visit = (level: Level, indent: string): void => {
    for (const id of level.order) {
      const step = level.steps[id]!;
      const node = `${level.prefix}${id}`;
      if (step.body) {
        // A group: a cluster of its inner steps, with the group itself as a node that leads into it.
        lines.push(`${indent}subgraph ${JSON.stringify(`cluster_${node}`)} {`, `${indent}  label=${JSON.stringify(id + groupNote(step))};`);
        lines.push(`${indent}  ${JSON.stringify(node)} [label=${JSON.stringify(`${id}\ngroup`)}, shape=ellipse];`);
        const inner: Level = { steps: step.body.steps, order: step.body.order, prefix: `${node}.` };
        visit(inner, `${indent}  `);
        for (const innerId of step.body.order) if (step.body.steps[innerId]!.dependencies.length === 0) edges.push(`  ${JSON.stringify(node)} -> ${JSON.stringify(`${node}.${innerId}`)} [style=dashed];`);
        lines.push(`${indent}}`);
      } else {
        const l = level.prefix === '' ? label(id) : { id, agent: step.agent + (step.forEach ? ' (for each)' : ''), estimate: formatDuration(step.estimateMs) };
        const style = level.prefix === '' && critical.has(id) ? ', color="#d33", penwidth=2' : '';
        lines.push(`${indent}${JSON.stringify(node)} [label=${JSON.stringify(`${l.id}\n${l.agent}\n${l.estimate}`)}${style}];`);
      }
    }
    for (const id of level.order) {
      for (const dependent of level.steps[id]!.dependents) {
        const style = level.prefix === '' && criticalEdge.has(`${id}->${dependent}`) ? ' [color="#d33", penwidth=2]' : '';
        edges.push(`  ${JSON.stringify(level.prefix + id)} -> ${JSON.stringify(level.prefix + dependent)}${style};`);
      }
    }
  };
  visit({ steps: plan.steps, order: plan.order, prefix: '' }, '  ');
  lines.push(...edges, '}');
  return `${lines.join('\n')}\n`;
}

function escapeMermaid(text: string): string {
  return text.replace(/"/g, '#quot;');
}
