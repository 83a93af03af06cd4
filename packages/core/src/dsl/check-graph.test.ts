import { describe, expect, it } from 'vitest';
import { findCycles } from './check-cycles.ts';
import { positionOf } from './testing/positions.ts';
import { rows, validateSteps } from './testing/workflow-fixture.ts';

const at = (source: string, needle: string, nth = 0) => Object.values(positionOf(source, needle, { nth })) as [number, number];
const line = (source: string, needle: string) => positionOf(source, needle).line;

describe('DAG_CYCLE', () => {
  it('prints the whole path with each step line, at the first step of the cycle in the file', () => {
    const steps = [
      '  start: { agent: code.validate }',
      '  a: { agent: code.validate, needs: [start, c] }',
      '  b: { agent: code.validate, with: { x: "${{ steps.a.output }}" } }',
      '  c: { agent: code.validate, needs: [b] }',
      '',
    ].join('\n');
    const { source, diagnostics } = validateSteps(steps);
    const l = (id: string) => line(source, `  ${id}: {`);
    expect(rows(diagnostics)).toEqual([
      [
        'DAG_CYCLE',
        ...at(source, 'a: {'),
        `dependency cycle: a (line ${l('a')}) -> b (line ${l('b')}) -> c (line ${l('c')}) -> a: remove one of these dependencies (from \`needs\` or from a \`steps.X\` reference)`,
        undefined,
      ],
    ]);
  });

  it('reports a step that depends on itself, and each separate cycle once', () => {
    const steps = [
      '  a: { agent: code.validate, needs: [a] }',
      '  b: { agent: code.validate, needs: [c] }',
      '  c: { agent: code.validate, needs: [b] }',
      '',
    ].join('\n');
    const { source, diagnostics } = validateSteps(steps);
    expect(diagnostics.map((d) => [d.code, d.line, d.message.split(':')[1]])).toEqual([
      ['DAG_CYCLE', line(source, '  a: {'), ` a (line ${line(source, '  a: {')}) -> a`],
      ['DAG_CYCLE', line(source, '  b: {'), ` b (line ${line(source, '  b: {')}) -> c (line ${line(source, '  c: {')}) -> b`],
    ]);
  });

  it('finds the cycles of a 10,000-step chain closed at its end without exhausting the stack', () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `s${i}`);
    const deps = new Map(ids.map((id, i) => [id, i === 0 ? [ids[ids.length - 1]!] : [ids[i - 1]!]]));
    const cycles = findCycles(deps, ids);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toEqual(ids);
  });
});

describe('state checks', () => {
  it('STATE_KEY_NOT_WRITABLE: at the `writes` item, with a suggestion', () => {
    const { source, diagnostics } = validateSteps('  a: { agent: code.validate, writes: [sources, titel] }\n');
    expect(rows(diagnostics)).toEqual([
      ['STATE_KEY_NOT_WRITABLE', ...at(source, 'titel'), 'step `a` writes `titel`, which is not declared under `state:`', 'did you mean `title`?'],
    ]);
  });

  it('STATE_WRITE_RACE: two steps that may run at once both write a replace key; both named', () => {
    const steps = ['  a: { agent: code.validate, writes: [title] }', '  b: { agent: code.validate, writes: [sources, title] }', ''].join('\n');
    const { source, diagnostics } = validateSteps(steps);
    expect(rows(diagnostics)).toEqual([
      [
        'STATE_WRITE_RACE',
        ...at(source, 'title', 2),
        `steps \`a\` (line ${line(source, '  a: {')}) and \`b\` can run at the same time and both write \`title\`, whose reducer is \`replace\`: make one depend on the other (\`needs:\`) or use another reducer`,
        'or declare the key `last_write_wins: true` if the write of the step later in the file should simply win',
      ],
    ]);
  });

  it('no race when one writer depends on the other, even transitively or through a reference', () => {
    const steps = [
      '  a: { agent: code.validate, writes: [title] }',
      '  mid: { agent: code.validate, with: { x: "${{ steps.a.output }}" } }',
      '  b: { agent: code.validate, needs: [mid], writes: [title] }',
      '',
    ].join('\n');
    expect(validateSteps(steps).diagnostics).toEqual([]);
  });

  it('no race for keys with merging reducers', () => {
    const steps = ['  a: { agent: code.validate, writes: [sources, total] }', '  b: { agent: code.validate, writes: [sources, total] }', ''].join('\n');
    expect(validateSteps(steps).diagnostics).toEqual([]);
  });

  it('reports every racing pair among three parallel writers', () => {
    const steps = ['  a: { agent: code.validate, writes: [title] }', '  b: { agent: code.validate, writes: [title] }', '  c: { agent: code.validate, writes: [title] }', ''].join('\n');
    const races = validateSteps(steps).diagnostics.map((d) => /`(\w+)` \(line \d+\) and `(\w+)`/.exec(d.message)!.slice(1).join('+'));
    expect(races).toEqual(['a+b', 'a+c', 'b+c']);
  });
});

describe('STATE_WRITE_RACE within one fan-out (issue 13)', () => {
  // Extra state keys: the fixture header ends inside `state:`, so these lines continue it.
  const LATEST = '  latest: { reducer: replace, last_write_wins: true }\n';

  it('the items of a for_each step that write a replace key: at the `writes` item, with the ways out', () => {
    const { source, diagnostics } = validateSteps('  each: { agent: code.validate, for_each: "${{ inputs.topics }}", writes: [sources, title] }\n');
    expect(rows(diagnostics)).toEqual([
      [
        'STATE_WRITE_RACE',
        ...at(source, 'title]'),
        'the items of `each` (`for_each`) can run at the same time and each writes `title`, whose reducer is `replace`: all but one write are lost',
        "run the items one at a time (`max_parallel: 1`), use a reducer that keeps every write (`append`, `merge`), or declare the key `last_write_wins: true` if only the last item's write should count",
      ],
    ]);
  });

  it('also with a literal list of items and a max_parallel above 1', () => {
    const steps = '  each: { agent: code.validate, for_each: [a, b, c], max_parallel: 2, writes: [title] }\n';
    expect(validateSteps(steps).diagnostics.map((d) => d.code)).toEqual(['STATE_WRITE_RACE']);
  });

  it('no race when the items run one at a time, or when there is only one literal item', () => {
    expect(validateSteps('  each: { agent: code.validate, for_each: "${{ inputs.topics }}", max_parallel: 1, writes: [title] }\n').diagnostics).toEqual([]);
    expect(validateSteps('  each: { agent: code.validate, for_each: [only], writes: [title] }\n').diagnostics).toEqual([]);
  });

  it('no race for a key declared last_write_wins: true, neither within a fan-out nor between parallel steps', () => {
    const steps = [
      '  each: { agent: code.validate, for_each: "${{ inputs.topics }}", writes: [latest] }',
      '  other: { agent: code.validate, writes: [latest] }',
      '',
    ].join('\n');
    expect(validateSteps(steps, { extra: LATEST }).diagnostics).toEqual([]);
  });

  it('refuses last_write_wins on a key whose reducer keeps every write, at the option', () => {
    const extra = '  notes: { reducer: append, last_write_wins: true }\n';
    const { source, diagnostics } = validateSteps('  a: { agent: code.validate, writes: [notes] }\n', { extra });
    const option = positionOf(source, 'last_write_wins: true');
    expect(rows(diagnostics)).toEqual([
      [
        'SCHEMA_INVALID',
        option.line,
        option.col + 'last_write_wins: '.length,
        'state key `notes` has `last_write_wins: true` but its reducer is `append`: only a `replace` key keeps one write; remove the option',
        undefined,
      ],
    ]);
  });

  it('refuses a last_write_wins that is not a boolean (schema)', () => {
    const extra = '  latest: { reducer: replace, last_write_wins: "yes" }\n';
    expect(validateSteps('  a: { agent: code.validate, writes: [latest] }\n', { extra }).diagnostics.map((d) => d.code)).toEqual(['SCHEMA_INVALID']);
  });
});

describe('UNKNOWN_CONCURRENCY_GROUP', () => {
  it('a group with no limit anywhere, with a suggestion', () => {
    const steps = ['  a: { agent: code.validate, concurrency: { group: llm, limit: 2 } }', '  b: { agent: code.validate, concurrency: lm }', '  c: { agent: code.validate, concurrency: gpu }', ''].join('\n');
    const { source, diagnostics } = validateSteps(steps);
    const message = (id: string, g: string) =>
      `step \`${id}\` joins the concurrency group \`${g}\`, which has no limit: add \`config.concurrency.${g}: { limit: N }\` or write \`concurrency: { group: ${g}, limit: N }\``;
    expect(rows(diagnostics)).toEqual([
      ['UNKNOWN_CONCURRENCY_GROUP', ...at(source, 'lm }'), message('b', 'lm'), undefined],
      ['UNKNOWN_CONCURRENCY_GROUP', ...at(source, 'gpu'), message('c', 'gpu'), undefined],
    ]);
  });

  it('accepts groups limited under config.concurrency or by another step', () => {
    const steps = ['  a: { agent: code.validate, concurrency: { group: llm, limit: 2 } }', '  b: { agent: code.validate, concurrency: llm }', '  c: { agent: code.validate, concurrency: { group: gpu } }', ''].join('\n');
    expect(validateSteps(steps, { extra: 'config:\n  concurrency:\n    gpu: { limit: 1 }\n' }).diagnostics).toEqual([]);
  });
});

describe('BAD_DURATION', () => {
  it('every duration of config, steps and retries, at the value', () => {
    const extra = 'config:\n  timeout: 30 minutes\n  retry: { delay: 1.5s }\n';
    const steps = '  a: { agent: code.validate, timeout: 90, estimate: 2x, retry: { max_delay: 1h1h } }\n';
    const { source, diagnostics } = validateSteps(steps, { extra });
    const generic = (v: string) => `\`${v}\` is not a duration: write an integer and a unit (h, m, s, ms) such as \`250ms\`, \`30s\`, \`2m\`, \`1h30m\``;
    expect(rows(diagnostics)).toEqual([
      ['BAD_DURATION', ...at(source, '30 minutes'), `\`config.timeout\`: ${generic('30 minutes')}`, undefined],
      ['BAD_DURATION', ...at(source, '1.5s'), `\`config.retry.delay\`: ${generic('1.5s')}`, undefined],
      ['BAD_DURATION', ...at(source, '90'), '`steps.a.timeout`: `90` is not a duration: give it a unit, e.g. `90s` or `90ms`', undefined],
      ['BAD_DURATION', ...at(source, '2x'), `\`steps.a.estimate\`: ${generic('2x')}`, undefined],
      ['BAD_DURATION', ...at(source, '1h1h'), `\`steps.a.retry.max_delay\`: ${generic('1h1h')}`, undefined],
    ]);
  });

  it('a 0 where it would switch a guard off: run deadline, step timeout, watchdog, a step timeout (issue 13)', () => {
    const extra = 'config:\n  timeout: 0ms\n  step_timeout: 0s\n  no_progress_timeout: 0m\n  cancel_grace: 0s\n  retry: { delay: 0s }\n';
    const steps = '  a: { agent: code.validate, timeout: 0h, estimate: 0s }\n';
    const { source, diagnostics } = validateSteps(steps, { extra });
    const off = (setting: string, value: string, guard: string) =>
      `\`${setting}\`: \`${value}\` would switch off ${guard}: give a duration above zero (a long one such as \`24h\` for practically no limit)`;
    expect(rows(diagnostics)).toEqual([
      ['BAD_DURATION', ...at(source, '0ms\n'), off('config.timeout', '0ms', 'the run deadline'), undefined],
      ['BAD_DURATION', ...at(source, '0s\n  no_progress'), off('config.step_timeout', '0s', 'the step timeout'), undefined],
      ['BAD_DURATION', ...at(source, '0m\n'), off('config.no_progress_timeout', '0m', 'the no-progress watchdog'), undefined],
      ['BAD_DURATION', ...at(source, '0h,'), off('steps.a.timeout', '0h', 'the step timeout'), undefined],
    ]);
  });
});
