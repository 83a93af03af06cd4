import { describe, expect, it } from 'vitest';
import { positionOf } from './testing/positions.ts';
import { rows, validateSteps } from './testing/workflow-fixture.ts';

const at = (source: string, needle: string, nth = 0) => Object.values(positionOf(source, needle, { nth })) as [number, number];

describe('reference checks', () => {
  it('UNKNOWN_NEEDS: at the list item, with a suggestion', () => {
    const { source, diagnostics } = validateSteps('  outline: { agent: code.validate }\n  b: { agent: code.validate, needs: [outline, outlien] }\n');
    expect(rows(diagnostics)).toEqual([
      ['UNKNOWN_NEEDS', ...at(source, 'outlien'), 'step `b` needs `outlien`, which is not a step of this workflow', 'did you mean `outline`?'],
    ]);
  });

  it('UNKNOWN_STEP_REF: at the reference inside the string', () => {
    const { source, diagnostics } = validateSteps('  outline: { agent: code.validate }\n  b: { agent: code.validate, with: { t: "x ${{ steps.outlne.output.title }}" } }\n');
    expect(rows(diagnostics)).toEqual([
      ['UNKNOWN_STEP_REF', ...at(source, 'steps.outlne'), 'step `b` refers to `steps.outlne`, which is not a step of this workflow', 'did you mean `outline`?'],
    ]);
  });

  it('UNKNOWN_STEP_REF: a member other than output or status', () => {
    const { source, diagnostics } = validateSteps('  outline: { agent: code.validate }\n  b: { agent: code.validate, if: "${{ steps.outline.outputs }}" }\n');
    expect(rows(diagnostics)).toEqual([
      ['UNKNOWN_STEP_REF', ...at(source, 'steps.outline.outputs'), 'step `b` refers to `steps.outline.outputs`: a step has only `output` and `status`', 'did you mean `output`?'],
    ]);
  });

  it('UNKNOWN_INPUT_REF, UNKNOWN_STATE_REF, UNKNOWN_ENV_REF: each reference of one expression at its own column', () => {
    const { source, diagnostics } = validateSteps('  a: { agent: code.validate, with: { x: "${{ inputs.sorce || state.titel || env.API_KY }}" } }\n');
    expect(rows(diagnostics)).toEqual([
      ['UNKNOWN_INPUT_REF', ...at(source, 'inputs.sorce'), 'step `a` refers to `inputs.sorce`, which is not declared under `inputs:`', 'did you mean `source`?'],
      ['UNKNOWN_STATE_REF', ...at(source, 'state.titel'), 'step `a` refers to `state.titel`, which is not declared under `state:`', 'did you mean `title`?'],
      [
        'UNKNOWN_ENV_REF',
        ...at(source, 'env.API_KY'),
        'step `a` refers to `env.API_KY`, which is not declared under `env:` (undeclared variables are invisible to workflows)',
        'did you mean `API_KEY`?',
      ],
    ]);
  });

  it('finds references in block scalars too, at the string when columns cannot be known', () => {
    const { source, diagnostics } = validateSteps('  a:\n    agent: code.validate\n    with:\n      prompt: |\n        Write about ${{ inputs.topic }}\n');
    expect(rows(diagnostics)).toEqual([
      ['UNKNOWN_INPUT_REF', ...at(source, '|'), 'step `a` refers to `inputs.topic`, which is not declared under `inputs:`', 'did you mean `topics`?'],
    ]);
  });

  it('checks outputs like steps', () => {
    const { source, diagnostics } = validateSteps('  a: { agent: code.validate }\n', { extra: 'outputs:\n  post: "${{ steps.b.output }}"\n' });
    expect(rows(diagnostics)).toEqual([['UNKNOWN_STEP_REF', ...at(source, 'steps.b'), 'output `post` refers to `steps.b`, which is not a step of this workflow', undefined]]);
  });

  it('ITEM_OUTSIDE_FOR_EACH: item or index in a step without for_each, in for_each itself, in outputs', () => {
    const steps = [
      '  a: { agent: code.validate, with: { x: "${{ item.title }}" } }',
      '  b: { agent: code.validate, for_each: "${{ item }}" }',
      '  c: { agent: code.validate, for_each: [1, 2], with: { i: "${{ index }}", t: "${{ item }}" } }',
      '',
    ].join('\n');
    const { source, diagnostics } = validateSteps(steps, { extra: 'outputs:\n  last: "${{ index }}"\n' });
    const message = (where: string, root = 'item') => `\`${root}\` is used in ${where}, but it only exists inside a step or group with \`for_each\` (in its \`with\` and \`if\`, or its inner steps)`;
    expect(rows(diagnostics)).toEqual([
      ['ITEM_OUTSIDE_FOR_EACH', ...at(source, 'index }}'), message('output `last`', 'index'), undefined],
      ['ITEM_OUTSIDE_FOR_EACH', ...at(source, 'item.title'), message('step `a`'), undefined],
      ['ITEM_OUTSIDE_FOR_EACH', ...at(source, 'item }}'), message('the `for_each` of step `b`'), undefined],
    ]);
  });

  it('EXPRESSION_SYNTAX: at the offending character of the expression, every one reported', () => {
    const steps = '  a: { agent: code.validate, with: { x: "${{ inputs.source == }}", y: "ok ${{ (1 }}" } }\n';
    const { source, diagnostics } = validateSteps(steps);
    // Both point just after the incomplete expression, where a value or ')' was expected.
    expect(rows(diagnostics)).toEqual([
      [
        'EXPRESSION_SYNTAX',
        ...at(source, ' }}", y'),
        "Expected a value (a literal, a path such as inputs.name, '(' or a function call), found the end of the expression (at offset 16 of expression \"inputs.source ==\")",
        undefined,
      ],
      ['EXPRESSION_SYNTAX', ...at(source, ' }}" }'), 'Expected \')\' to close the \'(\' at offset 0, found the end of the expression (at offset 2 of expression "(1")', undefined],
    ]);
  });

  it('EXPRESSION_SYNTAX: an unclosed ${{ points at the ${{', () => {
    const { source, diagnostics } = validateSteps('  a: { agent: code.validate, with: { x: "see ${{ inputs.source" } }\n');
    expect(rows(diagnostics)).toEqual([
      [
        'EXPRESSION_SYNTAX',
        ...at(source, '${{'),
        diagnostics[0]!.message,
        undefined,
      ],
    ]);
    expect(diagnostics[0]!.message).toMatch(/has no closing '}}'/);
  });

  it('EXPRESSION_SYNTAX: `if:` with text around the expression, and a bare `if:` that does not parse', () => {
    const { source, diagnostics } = validateSteps('  a: { agent: code.validate, if: "run ${{ inputs.count > 1 }}" }\n  b: { agent: code.validate, if: "inputs.count >" }\n');
    expect(rows(diagnostics)[0]).toEqual([
      'EXPRESSION_SYNTAX',
      ...at(source, 'run'),
      '`if:` must be a single expression, not text around `${{ }}` (text is always true): write `${{ ... }}` alone',
      undefined,
    ]);
    expect(rows(diagnostics)[1]).toEqual([
      'EXPRESSION_SYNTAX',
      ...Object.values(positionOf(source, 'inputs.count >', { nth: 1, shift: 14 })),
      "Expected a value (a literal, a path such as inputs.name, '(' or a function call), found the end of the expression (at offset 14 of expression \"inputs.count >\")",
      undefined,
    ]);
  });

  it('UNKNOWN_FUNCTION: at the function name, with the list of functions', () => {
    const { source, diagnostics } = validateSteps('  a: { agent: code.validate, if: "${{ lenght(inputs.topics) > 0 }}" }\n');
    expect(rows(diagnostics)).toEqual([
      [
        'UNKNOWN_FUNCTION',
        ...at(source, 'lenght'),
        'Unknown function \'lenght\': use one of len, contains, startsWith, endsWith, join, default, if, lower, upper, slice, keys, toJSON, not_empty, flatten, concat, range, unique, pluck (at offset 0 of expression "lenght(inputs.topics) > 0")',
        undefined,
      ],
    ]);
  });

  it('accepts a bare `if:` expression and references in it count as dependencies', () => {
    const { diagnostics, workflow } = validateSteps('  a: { agent: code.validate }\n  b: { agent: code.validate, if: "steps.a.status == \'succeeded\'" }\n');
    expect(diagnostics).toEqual([]);
    expect(workflow).toBeDefined();
  });
});
