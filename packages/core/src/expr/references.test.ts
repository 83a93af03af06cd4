import { describe, expect, it } from 'vitest';
import { parseExpression } from './parser.ts';
import { expressionReferences, templateReferences } from './references.ts';
import { parseTemplate } from './template.ts';

const refs = (source: string) => expressionReferences(parseExpression(source));

describe('expressionReferences', () => {
  it('records root, name, member and start for each root', () => {
    expect(refs('steps.outline.output.sections')).toEqual([{ root: 'steps', name: 'outline', member: 'output', start: 0 }]);
    expect(refs('steps.a.status')).toEqual([{ root: 'steps', name: 'a', member: 'status', start: 0 }]);
    expect(refs('steps.a')).toEqual([{ root: 'steps', name: 'a', start: 0 }]);
    expect(refs('inputs.source')).toEqual([{ root: 'inputs', name: 'source', start: 0 }]);
    expect(refs('state.flags.length')).toEqual([{ root: 'state', name: 'flags', start: 0 }]);
    expect(refs('env.REGION')).toEqual([{ root: 'env', name: 'REGION', start: 0 }]);
    expect(refs('item.title')).toEqual([{ root: 'item', start: 0 }]);
    expect(refs('index')).toEqual([{ root: 'index', start: 0 }]);
    expect(refs('toJSON(inputs)')).toEqual([{ root: 'inputs', start: 7 }]);
  });

  it('does not treat a second key of other roots as a member', () => {
    expect(refs('inputs.a.b')[0]).not.toHaveProperty('member');
  });

  it('reads string-literal keys like dotted ones, but not computed ones', () => {
    expect(refs("steps['my-step']['output']")).toEqual([{ root: 'steps', name: 'my-step', member: 'output', start: 0 }]);
    expect(refs('steps.a[inputs.k]')).toEqual([
      { root: 'steps', name: 'a', start: 0 },
      { root: 'inputs', name: 'k', start: 8 },
    ]);
    expect(refs('inputs[state.key]')).toEqual([
      { root: 'inputs', start: 0 },
      { root: 'state', name: 'key', start: 7 },
    ]);
  });

  it('finds references nested in operators, function arguments, arrays, indexes and member access', () => {
    const source =
      "!(steps.a.output.n > 1) && contains([inputs.x, state.y], default(env.E, 'z')) || item.list[steps.b.output.i] == keys(steps.c.output)[index]";
    const found = refs(source);
    expect(found.map((r) => [r.root, r.name ?? null, r.member ?? null])).toEqual([
      ['steps', 'a', 'output'],
      ['inputs', 'x', null],
      ['state', 'y', null],
      ['env', 'E', null],
      ['item', null, null],
      ['steps', 'b', 'output'],
      ['steps', 'c', 'output'],
      ['index', null, null],
    ]);
    for (const r of found) expect(source.slice(r.start)).toMatch(new RegExp(`^${r.root}`));
  });

  it('finds nothing in literals, even text that looks like a reference', () => {
    expect(refs("'steps.a.output' + \"${{ inputs.x }}\"")).toEqual([]);
  });
});

describe('templateReferences', () => {
  it('gives the path inside the value, the offset in the original string and the expression', () => {
    const t = parseTemplate({
      with: { path: '${{ inputs.source }}', heading: 'Part ${{ index + 1 }}: ${{  item.title }}' },
      list: ['plain', ['x ${{ steps.s.output.n }}']],
    });
    expect(templateReferences(t)).toEqual([
      { root: 'inputs', name: 'source', start: 0, path: ['with', 'path'], offset: 4, source: 'inputs.source' },
      { root: 'index', start: 0, path: ['with', 'heading'], offset: 9, source: 'index + 1' },
      { root: 'item', start: 0, path: ['with', 'heading'], offset: 28, source: 'item.title' },
      { root: 'steps', name: 's', member: 'output', start: 0, path: ['list', 1, 0], offset: 6, source: 'steps.s.output.n' },
    ]);
  });

  it('offsets point at the reference in the original string', () => {
    const text = 'a ${{ 1 + steps.x.output }} b ${{ len(state.k) }}';
    const found = templateReferences(parseTemplate(text));
    expect(found.map((r) => text.slice(r.offset, r.offset + 5))).toEqual(['steps', 'state']);
    expect(found.map((r) => r.path)).toEqual([[], []]);
  });

  it('finds none in literals or escaped expressions', () => {
    expect(templateReferences(parseTemplate({ a: 1, b: 'text', c: '$${{ inputs.x }}', d: null }))).toEqual([]);
  });
});
