import { describe, expect, it } from 'vitest';
import { positionOf } from './testing/positions.ts';
import { rows, validateSteps } from './testing/workflow-fixture.ts';

const at = (source: string, needle: string, nth = 0) => Object.values(positionOf(source, needle, { nth })) as [number, number];

describe('agent checks', () => {
  it('UNKNOWN_AGENT: at the agent name, with a suggestion', () => {
    const { source, diagnostics } = validateSteps('  a: { agent: writer.outlin }\n  b: { agent: nothing.like_it }\n');
    expect(rows(diagnostics)).toEqual([
      ['UNKNOWN_AGENT', ...at(source, 'writer.outlin'), 'step `a` uses the agent `writer.outlin`, which is not registered (see `ucop agents`)', 'did you mean `writer.outline`?'],
      ['UNKNOWN_AGENT', ...at(source, 'nothing.like_it'), 'step `b` uses the agent `nothing.like_it`, which is not registered (see `ucop agents`)', undefined],
    ]);
  });

  it('AGENT_INPUT_INVALID: a missing required input, at `with` (or the step when there is none)', () => {
    const { source, diagnostics } = validateSteps('  a: { agent: ingest.markdown, with: { other: 1 } }\n  b: { agent: ingest.markdown }\n');
    expect(rows(diagnostics)).toEqual([
      ['AGENT_INPUT_INVALID', ...at(source, 'with'), '`steps.a.with` is missing the required key `path` (input of agent `ingest.markdown`)', undefined],
      ['AGENT_INPUT_INVALID', ...at(source, 'other'), 'unknown key `other` in `steps.a.with` (input of agent `ingest.markdown`)', undefined],
      ['AGENT_INPUT_INVALID', ...at(source, 'b: { agent: ingest'), '`steps.b.with` is missing the required key `path` (input of agent `ingest.markdown`)', undefined],
    ]);
  });

  it('AGENT_INPUT_INVALID: a literal of the wrong type, at the value', () => {
    const { source, diagnostics } = validateSteps('  a: { agent: writer.section, with: { heading: 42 } }\n');
    expect(rows(diagnostics)).toEqual([
      ['AGENT_INPUT_INVALID', ...at(source, '42'), '`steps.a.with.heading` must be a string, not `42` (input of agent `writer.section`)', undefined],
    ]);
  });

  it('treats a whole-string expression as unknown: present, any type', () => {
    const { diagnostics } = validateSteps('  a: { agent: writer.section, with: { heading: "${{ inputs.count }}", words: "${{ inputs.count }}" } }\n');
    expect(diagnostics).toEqual([]);
  });

  it('treats text with ${{ }} inside as a string: fine for strings, an error where the agent wants a number', () => {
    const { source, diagnostics } = validateSteps('  a: { agent: writer.section, with: { heading: "Part ${{ inputs.count }}", words: "${{ inputs.count }}0" } }\n');
    expect(rows(diagnostics)).toEqual([
      [
        'AGENT_INPUT_INVALID',
        ...at(source, '"${{ inputs.count }}0"'),
        '`steps.a.with.words` is text with `${{ }}` inside, which is a string, but agent `writer.section` expects integer: write the expression alone to keep its type',
        undefined,
      ],
    ]);
  });

  it('reports an unknown input whose value is an expression, with a suggestion', () => {
    const { source, diagnostics } = validateSteps('  a: { agent: writer.section, with: { heading: x, word: "${{ inputs.count }}" } }\n');
    expect(rows(diagnostics)).toEqual([
      ['AGENT_INPUT_INVALID', ...at(source, 'word:'), 'unknown key `word` in `steps.a.with` (input of agent `writer.section`)', 'did you mean `words`?'],
    ]);
  });
});

describe('for_each checks', () => {
  const FOR_EACH_HINT = 'give an expression that yields a list, or a literal list';

  it('accepts a list output of a step, an array input, a literal list and a function call', () => {
    const steps = [
      '  outline: { agent: writer.outline }',
      '  a: { agent: writer.section, for_each: "${{ steps.outline.output.sections }}", with: { heading: "${{ item }}" } }',
      '  b: { agent: writer.section, for_each: "${{ inputs.topics }}", with: { heading: "${{ item }}" } }',
      '  c: { agent: writer.section, for_each: [x, y, "${{ inputs.source }}"], with: { heading: "${{ item }}" } }',
      '  d: { agent: writer.section, for_each: "${{ keys(steps.outline.output) }}", with: { heading: "${{ item }}" } }',
      '',
    ].join('\n');
    expect(validateSteps(steps).diagnostics).toEqual([]);
  });

  it('FOR_EACH_NOT_LIST: a literal that is not a list', () => {
    const steps = ['  a: { agent: code.validate, for_each: sections }', '  b: { agent: code.validate, for_each: 3 }', '  c: { agent: code.validate, for_each: "n: ${{ inputs.count }}" }', ''].join('\n');
    const { source, diagnostics } = validateSteps(steps);
    expect(rows(diagnostics)).toEqual([
      ['FOR_EACH_NOT_LIST', ...at(source, 'sections'), `the \`for_each\` of step \`a\` is the string \`sections\` (expressions are written \`\${{ ... }}\`), not a list: ${FOR_EACH_HINT}`, undefined],
      ['FOR_EACH_NOT_LIST', ...at(source, '3 }'), `the \`for_each\` of step \`b\` is \`3\`, not a list: ${FOR_EACH_HINT}`, undefined],
      ['FOR_EACH_NOT_LIST', ...at(source, '"n: '), `the \`for_each\` of step \`c\` is text with \`\${{ }}\` inside, which is a string, not a list: ${FOR_EACH_HINT}`, undefined],
    ]);
  });

  it('FOR_EACH_NOT_LIST: an input or a step output declared with another type, at the expression', () => {
    const steps = [
      '  outline: { agent: writer.outline }',
      '  a: { agent: code.validate, for_each: "${{ inputs.source }}" }',
      '  b: { agent: code.validate, for_each: "${{ steps.outline.output.title }}" }',
      '  c: { agent: code.validate, for_each: "${{ steps.outline.output.sections.length }}" }',
      '  d: { agent: code.validate, for_each: "${{ inputs.count > 1 }}" }',
      '  e: { agent: code.validate, for_each: "${{ inputs.topics || inputs.source }}" }',
      '  f: { agent: code.validate, for_each: "${{ inputs.count * 2 }}" }',
      '',
    ].join('\n');
    const { source, diagnostics } = validateSteps(steps);
    expect(rows(diagnostics)).toEqual([
      ['FOR_EACH_NOT_LIST', ...at(source, 'inputs.source }}'), `the \`for_each\` of step \`a\` is the input \`source\`, declared as string, not a list: ${FOR_EACH_HINT}`, undefined],
      [
        'FOR_EACH_NOT_LIST',
        ...at(source, 'steps.outline.output.title'),
        `the \`for_each\` of step \`b\` is \`steps.outline.output.title\`, declared as string by agent \`writer.outline\`, not a list: ${FOR_EACH_HINT}`,
        undefined,
      ],
      [
        'FOR_EACH_NOT_LIST',
        ...at(source, 'steps.outline.output.sections.length'),
        `the \`for_each\` of step \`c\` is \`steps.outline.output.sections.length\`, declared as integer by agent \`writer.outline\`, not a list: ${FOR_EACH_HINT}`,
        undefined,
      ],
      ['FOR_EACH_NOT_LIST', ...at(source, 'inputs.count > 1'), `the \`for_each\` of step \`d\` is a boolean, not a list: ${FOR_EACH_HINT}`, undefined],
      ['FOR_EACH_NOT_LIST', ...at(source, 'inputs.topics ||'), `the \`for_each\` of step \`e\` is a boolean, not a list: ${FOR_EACH_HINT}`, undefined],
      ['FOR_EACH_NOT_LIST', ...at(source, 'inputs.count * 2'), `the \`for_each\` of step \`f\` is a number, not a list: ${FOR_EACH_HINT}`, undefined],
    ]);
  });

  it('refuses structured items in a literal list', () => {
    const { source, diagnostics } = validateSteps('  a: { agent: code.validate, for_each: [1, { x: 2 }] }\n');
    expect(rows(diagnostics)).toEqual([
      ['SCHEMA_INVALID', ...at(source, '{ x'), 'items of a literal `for_each` list must be strings, numbers, booleans or one `${{ }}` each: put structured items in an input', undefined],
    ]);
  });
});
