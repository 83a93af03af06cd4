import { describe, expect, it } from 'vitest';
import { positionOf } from './testing/positions.ts';
import { rows, validateSteps } from './testing/workflow-fixture.ts';

const at = (source: string, needle: string, nth = 0) => Object.values(positionOf(source, needle, { nth })) as [number, number];
const codes = (steps: string) => rows(validateSteps(steps).diagnostics).map((r) => r[0]);

describe('groups: validation', () => {
  it('accepts a group with for_each, inner references, outer references and outputs', () => {
    const { diagnostics } = validateSteps(
      [
        '  outline: { agent: writer.outline }',
        '  chapter:',
        '    for_each: "${{ steps.outline.output.sections }}"',
        '    max_parallel: 2',
        '    steps:',
        '      a: { agent: code.validate, with: {} }',
        '      b: { agent: code.validate, with: { x: "${{ steps.a.output }} ${{ item }} ${{ steps.outline.output.title }}" } }',
        '    outputs: { b: "${{ steps.b.output }}" }',
        '  after: { agent: code.validate, with: { x: "${{ steps.chapter.output }}" } }',
        '',
      ].join('\n'),
    );
    expect(rows(diagnostics)).toEqual([]);
  });

  it('STEP_REF_INTO_GROUP: a reference from outside to an inner step names the group and how to read it', () => {
    const { source, diagnostics } = validateSteps(
      ['  chapter:', '    steps:', '      polish: { agent: code.validate }', '  after: { agent: code.validate, with: { x: "${{ steps.polish.output }}" } }', ''].join('\n'),
    );
    expect(rows(diagnostics)).toEqual([
      [
        'STEP_REF_INTO_GROUP',
        ...at(source, 'steps.polish.output'),
        'step `after` refers to `steps.polish`, an inner step of the group `chapter`: outside a group only its output is visible',
        'add `polish: "${{ steps.polish.output }}"` to the `outputs:` of `chapter` and read `steps.chapter.output`',
      ],
    ]);
  });

  it('STEP_REF_INTO_GROUP for needs too; an inner needs naming an outer step says where to put it', () => {
    const { diagnostics } = validateSteps(
      ['  chapter:', '    steps:', '      polish: { agent: code.validate, needs: [outer] }', '  outer: { agent: code.validate }', '  after: { agent: code.validate, needs: [polish] }', ''].join('\n'),
    );
    expect(rows(diagnostics).map((r) => [r[0], r[4] ?? r[3]])).toEqual([
      ['UNKNOWN_NEEDS', expect.stringMatching(/^step `polish` needs `outer`, which is not a step of this group \(.*put `needs:` on the group/)],
      ['STEP_REF_INTO_GROUP', 'write `needs: [chapter]`'],
    ]);
  });

  it('reports unknown names inside a group at their own line, with suggestions, and cycles inside a group', () => {
    const { source, diagnostics } = validateSteps(
      [
        '  g:',
        '    steps:',
        '      a: { agent: code.validate, needs: [b] }',
        '      b: { agent: code.validate, with: { x: "${{ steps.a.output }} ${{ steps.nope.output }}" } }',
        '      c: { agent: code.validate, timout: 1s }',
        '',
      ].join('\n'),
    );
    const r = rows(diagnostics);
    expect(r.map((x) => x[0]).sort()).toEqual(['DAG_CYCLE', 'UNKNOWN_KEY', 'UNKNOWN_STEP_REF']);
    expect(r.find((x) => x[0] === 'UNKNOWN_STEP_REF')!.slice(1, 3)).toEqual(at(source, 'steps.nope.output'));
    expect(r.find((x) => x[0] === 'UNKNOWN_KEY')!.slice(1, 3)).toEqual(at(source, 'timout'));
    expect(r.find((x) => x[0] === 'DAG_CYCLE')![3]).toMatch(/a \(line \d+\) -> b \(line \d+\) -> a/);
  });

  it('a cycle through a group: an inner step reads a step that depends on the group', () => {
    expect(codes(['  g:', '    steps:', '      a: { agent: code.validate, with: { x: "${{ steps.after.output }}" } }', '  after: { agent: code.validate, needs: [g] }', ''].join('\n'))).toEqual(['DAG_CYCLE']);
  });

  it('LOOP_UNBOUNDED, loop roots outside loops, and step kinds', () => {
    const { diagnostics } = validateSteps(
      [
        '  r:',
        '    repeat: { until: "${{ steps.a.output }}" }',
        '    steps:',
        '      a: { agent: code.validate, with: { x: "${{ iteration }}" } }',
        '  b: { agent: code.validate, with: { x: "${{ iteration }}" } }',
        '  c: { agent: code.validate, steps: { d: { agent: code.validate } } }',
        '  e: { agent: code.validate, outputs: { x: y } }',
        '',
      ].join('\n'),
    );
    expect(rows(diagnostics).map((r) => r[0])).toEqual(['LOOP_UNBOUNDED', 'ITEM_OUTSIDE_FOR_EACH', 'STEP_KIND_CONFLICT', 'STEP_KIND_CONFLICT']);
  });

  it('STATE_WRITE_RACE between instances of a for_each group, not when they run one at a time', () => {
    const inner = ['    steps:', '      w: { agent: code.validate, writes: [title] }', ''];
    expect(codes(['  g:', '    for_each: [1, 2]', ...inner].join('\n'))).toEqual(['STATE_WRITE_RACE']);
    expect(codes(['  g:', '    for_each: [1, 2]', '    max_parallel: 1', ...inner].join('\n'))).toEqual([]);
    // A group races with a step beside it that writes the same key.
    expect(codes(['  g:', ...inner.slice(0, 2), '  h: { agent: code.validate, writes: [title] }', ''].join('\n'))).toEqual(['STATE_WRITE_RACE']);
  });

  it('for_each over a fan-out step is accepted; a field of it says to use pluck', () => {
    expect(codes(['  a: { agent: writer.outline, for_each: [1, 2] }', '  b: { agent: code.validate, for_each: "${{ steps.a.output }}" }', ''].join('\n'))).toEqual([]);
    const { diagnostics } = validateSteps(['  a: { agent: writer.outline, for_each: [1, 2] }', '  b: { agent: code.validate, for_each: "${{ steps.a.output.sections }}" }', ''].join('\n'));
    expect(rows(diagnostics).map((r) => [r[0], r[3]])).toEqual([['FOR_EACH_NOT_LIST', expect.stringContaining("use `pluck(steps.a.output, 'sections')`")]]);
  });

  it('a for_each expression that does not parse is one EXPRESSION_SYNTAX error, not also FOR_EACH_NOT_LIST', () => {
    expect(codes(['  b: { agent: code.validate, for_each: "${{ inputs.topics + }}" }', ''].join('\n'))).toEqual(['EXPRESSION_SYNTAX']);
  });

  it('follow_up: the creating step must exist; each and target parse; source only in templates', () => {
    const base = ['  chapter:', '    for_each: [1, 2]', '    steps:', '      check: { agent: code.validate }', '      edit: { agent: code.validate }'];
    const ok = [...base, '  fix:', '    agent: code.validate', '    with: { x: "${{ source }} ${{ item }}" }', '    follow_up: { from: chapter.check, each: "${{ output.flags }}", target: "chapter[${{ item.n }}].edit" }', ''];
    expect(codes(ok.join('\n'))).toEqual([]);
    const bad = [...base, '  fix:', '    agent: code.validate', '    follow_up: { from: chapter.chek, each: "${{ output.flags }}" }', '  other: { agent: code.validate, with: { x: "${{ source }}" } }', ''];
    expect(codes(bad.join('\n'))).toEqual(['UNKNOWN_STEP_REF', 'ITEM_OUTSIDE_FOR_EACH']);
  });
});
