import { describe, expect, it } from 'vitest';
import { isUcopError, type UcopError } from '../errors/index.ts';
import type { ExpressionScope } from './ast.ts';
import { MAX_TEMPLATE_DEPTH } from './limits.ts';
import { parseTemplate, templateHasExpressions } from './template.ts';
import { renderTemplate } from './template-render.ts';

const scope: ExpressionScope = {
  inputs: { source: 'kb/article.md', n: 3, keywords: ['ts', 'dag'], flag: true, nothing: null, obj: { a: 1 } },
  steps: { outline: { output: { sections: [{ title: 'Intro' }], count: 1 }, status: 'succeeded' } },
  state: {},
  env: {},
  item: { title: 'Intro' },
  index: 0,
};
const render = (value: unknown, s: ExpressionScope = scope): unknown => renderTemplate(parseTemplate(value), s);

function failure(run: () => unknown): UcopError {
  try {
    run();
  } catch (error) {
    if (isUcopError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('parseTemplate: shapes', () => {
  it('keeps values without expressions as literals', () => {
    expect(parseTemplate('plain')).toEqual({ kind: 'literal', value: 'plain' });
    expect(parseTemplate('')).toEqual({ kind: 'literal', value: '' });
    expect(parseTemplate('a }} b { c $ d ${ e')).toEqual({ kind: 'literal', value: 'a }} b { c $ d ${ e' });
    expect(parseTemplate(42)).toEqual({ kind: 'literal', value: 42 });
    expect(parseTemplate(null)).toEqual({ kind: 'literal', value: null });
    expect(parseTemplate(undefined)).toEqual({ kind: 'literal', value: undefined });
    const date = new Date(0);
    expect(parseTemplate(date)).toEqual({ kind: 'literal', value: date });
  });

  it('makes a string that is exactly one expression an expr, surrounding whitespace allowed', () => {
    expect(parseTemplate('${{ inputs.source }}')).toMatchObject({ kind: 'expr', source: 'inputs.source', offset: 4 });
    expect(parseTemplate('  ${{inputs.source}}\n')).toMatchObject({ kind: 'expr', source: 'inputs.source', offset: 5 });
  });

  it('makes anything else with expressions an interpolation', () => {
    expect(parseTemplate('path: ${{ inputs.source }}!')).toEqual({
      kind: 'interpolation',
      parts: [
        { text: 'path: ' },
        { source: 'inputs.source', offset: 10, expr: { kind: 'path', root: 'inputs', segments: [{ kind: 'key', name: 'source' }], start: 0 } },
        { text: '!' },
      ],
    });
    const two = parseTemplate('${{ inputs.a }}${{ inputs.b }}');
    expect(two).toMatchObject({ kind: 'interpolation', parts: [{ source: 'inputs.a' }, { source: 'inputs.b' }] });
  });

  it('walks arrays and objects; keys are never templated', () => {
    const t = parseTemplate({ '${{ inputs.k }}': 'v', list: [1, '${{ inputs.n }}'], nested: { deep: 'x ${{ inputs.n }}' } });
    expect(t).toMatchObject({
      kind: 'object',
      entries: [
        ['${{ inputs.k }}', { kind: 'literal', value: 'v' }],
        ['list', { kind: 'array', items: [{ kind: 'literal', value: 1 }, { kind: 'expr' }] }],
        ['nested', { kind: 'object', entries: [['deep', { kind: 'interpolation' }]] }],
      ],
    });
  });

  it('ends an expression at the first }} outside quotes', () => {
    expect(parseTemplate("${{ '}}' + inputs.source }}")).toMatchObject({ kind: 'expr', source: "'}}' + inputs.source" });
    expect(render("${{ \"a}}b\" }} and ${{ 'it\\'s }}' }}")).toBe("a}}b and it's }}");
  });

  it('turns $${{ into a literal ${{', () => {
    expect(parseTemplate('$${{ inputs.source }}')).toEqual({ kind: 'literal', value: '${{ inputs.source }}' });
    expect(render('cost: $${{ not parsed }} vs ${{ inputs.n }}')).toBe('cost: ${{ not parsed }} vs 3');
    expect(render("$$${{ 'x' }}")).toBe('$${{ \'x\' }}');
  });

  it('reports whether a template has expressions', () => {
    expect(templateHasExpressions(parseTemplate({ a: [1, 'b', { c: null }] }))).toBe(false);
    expect(templateHasExpressions(parseTemplate('$${{ escaped }}'))).toBe(false);
    expect(templateHasExpressions(parseTemplate({ a: [1, { c: '${{ index }}' }] }))).toBe(true);
    expect(templateHasExpressions(parseTemplate('x ${{ index }}'))).toBe(true);
    expect(templateHasExpressions(parseTemplate('${{ index }}'))).toBe(true);
  });
});

describe('parseTemplate: errors', () => {
  it('reports a syntax error with the offset in the original string and the path in the value', () => {
    const error = failure(() => parseTemplate({ with: { items: ['ok', 'abc ${{ inputs.a + }}'] } }));
    expect(error.code).toBe('EXPRESSION_SYNTAX');
    expect(error.fields).toMatchObject({ offset: 18, path: ['with', 'items', 1], source: 'abc ${{ inputs.a + }}', expression: 'inputs.a +' });
  });

  it('keeps the UNKNOWN_FUNCTION code, offset and name', () => {
    const error = failure(() => parseTemplate({ x: 'a ${{  shell(inputs.a) }}' }));
    expect(error.code).toBe('UNKNOWN_FUNCTION');
    expect(error.fields).toMatchObject({ offset: 7, path: ['x'], name: 'shell' });
  });

  it('refuses ${{ without a closing }}', () => {
    const error = failure(() => parseTemplate(['fine', 'see ${{ inputs.a']));
    expect(error.code).toBe('EXPRESSION_SYNTAX');
    expect(error.fields).toMatchObject({ offset: 4, path: [1] });
    expect(error.message).toMatch(/no closing '}}'.*\$\$\{\{/);
  });

  it('refuses an unterminated string inside an expression, pointing at its quote', () => {
    const error = failure(() => parseTemplate("${{ 'abc }}"));
    expect(error.fields).toMatchObject({ offset: 4, path: [] });
    expect(error.message).toMatch(/Unterminated string/);
  });

  it('refuses an empty expression', () => {
    const error = failure(() => parseTemplate('x ${{   }} y'));
    expect(error.message).toMatch(/Empty expression/);
    expect(error.fields.offset).toBe(8);
  });

  it('refuses values nested deeper than the limit', () => {
    let deep: unknown = 'x';
    for (let i = 0; i <= MAX_TEMPLATE_DEPTH + 1; i += 1) deep = [deep];
    expect(failure(() => parseTemplate(deep)).message).toMatch(/nested more than/);
  });

  it('refuses a constructor escape written in a workflow', () => {
    const error = failure(() => parseTemplate("${{ constructor.constructor('return process')() }}"));
    expect(error.code).toBe('EXPRESSION_SYNTAX');
    expect(error.fields.offset).toBe(4);
  });
});

describe('renderTemplate', () => {
  it('keeps the type of a whole-string expression', () => {
    expect(render('${{ inputs.keywords }}')).toEqual(['ts', 'dag']);
    expect(render('${{ inputs.n }}')).toBe(3);
    expect(render(' ${{ inputs.flag }} ')).toBe(true);
    expect(render('${{ inputs.nothing }}')).toBeNull();
    expect(render('${{ inputs.missing }}')).toBeUndefined();
    expect(render('${{ steps.outline.output.sections }}')).toEqual([{ title: 'Intro' }]);
  });

  it('stringifies interpolated values: strings as is, numbers/booleans via String, null/missing as "", objects as JSON', () => {
    expect(
      render('s=${{ inputs.source }} n=${{ inputs.n }} b=${{ inputs.flag }} z=${{ inputs.nothing }} m=${{ inputs.missing }} l=${{ inputs.keywords }} o=${{ inputs.obj }}'),
    ).toBe('s=kb/article.md n=3 b=true z= m= l=["ts","dag"] o={"a":1}');
  });

  it('renders nested objects and arrays, and literals as written', () => {
    expect(render({ path: '${{ inputs.source }}', opts: { tags: ['${{ inputs.keywords }}', 'fixed', 7], title: '#${{ index + 1 }} ${{ item.title }}' } })).toEqual({
      path: 'kb/article.md',
      opts: { tags: [['ts', 'dag'], 'fixed', 7], title: '#1 Intro' },
    });
  });

  it('keeps a __proto__ key as a plain own key', () => {
    const value = JSON.parse('{"__proto__": {"polluted": "${{ inputs.n }}"}}') as unknown;
    const out = render(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ polluted: 3 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('inserts step data verbatim: an expression inside data is never evaluated again', () => {
    const s = { ...scope, steps: { evil: { output: { text: '${{ inputs.source }}', code: "${{ constructor.constructor('return process')() }}" }, status: 'succeeded' } } };
    expect(render('${{ steps.evil.output.text }}', s)).toBe('${{ inputs.source }}');
    expect(render('says: ${{ steps.evil.output.text }}', s)).toBe('says: ${{ inputs.source }}');
    expect(render('${{ steps.evil.output.code }}', s)).toBe("${{ constructor.constructor('return process')() }}");
    expect(render('${{ steps.evil.output }}', s)).toEqual(s.steps.evil.output);
    expect(render('${{ toJSON(steps.evil.output) }}', s)).toBe(JSON.stringify(s.steps.evil.output));
  });

  it('reports evaluation errors with the path, the offset in the original string and the expression', () => {
    const t = parseTemplate({ with: { n: 'count: ${{ inputs.n + (inputs.source - 1) }}' } });
    const error = failure(() => renderTemplate(t, scope));
    expect(error.code).toBe('EXPRESSION_EVAL');
    expect(error.fields).toMatchObject({ path: ['with', 'n'], offset: 23, expression: 'inputs.n + (inputs.source - 1)' });
    expect(error.message).toContain('${{ inputs.n + (inputs.source - 1) }}');
  });

  it('reports cyclic data interpolated into text as EXPRESSION_EVAL', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.me = cyclic;
    const error = failure(() => render('x ${{ inputs.c }}', { ...scope, inputs: { c: cyclic } }));
    expect(error.code).toBe('EXPRESSION_EVAL');
  });
});
