import { describe, expect, it } from 'vitest';
import { validateSteps } from '../dsl/testing/workflow-fixture.ts';
import { blogAgents } from '../dsl/testing/fake-agents.ts';
import { compileWorkflow } from './compile-workflow.ts';
import { renderGraph } from './render-graph.ts';

describe('renderGraph', () => {
  const steps = [
    '  a: { agent: code.validate, estimate: 1s }',
    '  b: { agent: code.validate, needs: [a], estimate: 5s }',
    '  c: { agent: writer.section, needs: [a], estimate: 250ms, for_each: [x], with: { heading: "${{ item }}" } }',
    '  d: { agent: code.validate, needs: [b, c], estimate: 1s }',
    '',
  ].join('\n');
  const agents = blogAgents();
  const plan = compileWorkflow(validateSteps(steps).workflow!, { agents });

  it('renders Mermaid with the critical path highlighted', () => {
    expect(renderGraph(plan, 'mermaid')).toBe(
      [
        'flowchart LR',
        '  a["a<br/>code.validate<br/>1s"]',
        '  b["b<br/>code.validate<br/>5s"]',
        '  c["c<br/>writer.section (for each)<br/>250ms"]',
        '  d["d<br/>code.validate<br/>1s"]',
        '  a --> b',
        '  a --> c',
        '  b --> d',
        '  c --> d',
        '  classDef critical stroke:#d33,stroke-width:3px',
        '  class a,b,d critical',
        '  linkStyle 0,2 stroke:#d33,stroke-width:3px',
        '',
      ].join('\n'),
    );
  });

  it('renders Graphviz DOT', () => {
    expect(renderGraph(plan, 'dot')).toBe(
      [
        'digraph "fixture" {',
        '  rankdir=LR;',
        '  node [shape=box, style=rounded];',
        '  "a" [label="a\\ncode.validate\\n1s", color="#d33", penwidth=2];',
        '  "b" [label="b\\ncode.validate\\n5s", color="#d33", penwidth=2];',
        '  "c" [label="c\\nwriter.section (for each)\\n250ms"];',
        '  "d" [label="d\\ncode.validate\\n1s", color="#d33", penwidth=2];',
        '  "a" -> "b" [color="#d33", penwidth=2];',
        '  "a" -> "c";',
        '  "b" -> "d" [color="#d33", penwidth=2];',
        '  "c" -> "d";',
        '}',
        '',
      ].join('\n'),
    );
  });
});
