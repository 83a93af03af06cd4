import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { generateSyntheticWorkflow } from '../plan/synthetic-workflow.ts';
import { BLOG_WORKFLOW } from './testing/fake-agents.ts';
import { renderYaml } from './testing/yaml-render.ts';
import type { PlainData } from './testing/yaml-render.ts';
import type { DocPath } from './workflow-document.ts';
import { maxFlowDepth } from './yaml-flow-depth.ts';
import { resolveYamlLimits } from './yaml-limits.ts';
import type { YamlLimits } from './yaml-limits.ts';
import { loadYaml, loadYamlWithDocument } from './yaml-loader.ts';
import type { LoadedYaml } from './yaml-loader.ts';
import { parseYamlSubset } from './yaml-subset-parser.ts';

const subset = (source: string, limits: Partial<YamlLimits> = {}) => parseYamlSubset(source, resolveYamlLimits(limits));

/**
 * Differential tests: whatever the subset parser accepts, loadYaml must give exactly what the full
 * `parseDocument` path gives (loadYamlWithDocument): the same values (key order, -0 and NaN included), no
 * diagnostics, and the same line and column for every value, key and character of a string.
 */
function expectSameAsDocumentPath(source: string, limits: Partial<YamlLimits> = {}): { accepted: boolean; reference: LoadedYaml } {
  const reference = loadYamlWithDocument(source, 'f.yaml', limits);
  // The loader refuses deep flow nesting with a scan before any parser runs (and the scan may over-count).
  const accepted = maxFlowDepth(source).depth > resolveYamlLimits(limits).maxDepth ? undefined : subset(source, limits);
  const loaded = loadYaml(source, 'f.yaml', limits);
  expect(loaded.diagnostics).toEqual(reference.diagnostics);
  expectSameData(loaded.value, reference.value);
  if (accepted) {
    expect(reference.diagnostics, 'the subset parser accepted a file the full path reports').toEqual([]);
    expectSameData(accepted.value, reference.value);
  }
  if (reference.diagnostics.length === 0) expectSamePositions(loaded, reference);
  return { accepted: accepted !== undefined, reference };
}

/** toStrictEqual, plus the order of keys (which toStrictEqual ignores). */
function expectSameData(actual: unknown, expected: unknown): void {
  expect(actual).toStrictEqual(expected);
  expect(keyOrder(actual)).toEqual(keyOrder(expected));
}

function keyOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keyOrder);
  if (typeof value === 'object' && value !== null) return Object.entries(value).map(([k, v]) => [k, keyOrder(v)]);
  return null;
}

function expectSamePositions(actual: LoadedYaml, expected: LoadedYaml): void {
  const paths = pathsOf(expected.value, []).slice(0, 300);
  paths.push(['no such key'], [...(paths.at(-1) ?? []), 'no such key'], [...(paths.at(-1) ?? []), 99]);
  for (const path of paths) {
    expect(actual.sourceMap.locate(path), `locate ${JSON.stringify(path)}`).toEqual(expected.sourceMap.locate(path));
    expect(actual.sourceMap.locateKey(path), `locateKey ${JSON.stringify(path)}`).toEqual(expected.sourceMap.locateKey(path));
    const value = valueAt(expected.value, path);
    if (typeof value === 'string') {
      for (const offset of new Set([0, value.length >> 1, value.length])) {
        expect(actual.sourceMap.locateInValue(path, offset)).toEqual(expected.sourceMap.locateInValue(path, offset));
      }
    }
  }
}

function pathsOf(value: unknown, base: DocPath): DocPath[] {
  const children: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : typeof value === 'object' && value !== null
      ? Object.entries(value)
      : [];
  return [base, ...children.flatMap(([k, v]) => pathsOf(v, [...base, k]))];
}

function valueAt(value: unknown, path: DocPath): unknown {
  let node = value;
  for (const segment of path) node = typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[segment] : undefined;
  return node;
}

// Values of the kinds YAML files hold, with the strings that need care: indicators, comments, colons,
// expressions, quotes, escapes, numbers and booleans written as strings, multi-line text, non-ASCII.
const tricky = ['', ' ', 'a b', '#', 'a #b', 'a#b', ':', 'a: b', 'a:b', 'http://x/y', '- x', '-x', '?', '[x]', '{a}', 'x,y', "it's", 'say "hi"', '\\', 'tab\there'];
const stringArb = fc.oneof(
  fc.constantFrom(...tricky, 'true', 'False', 'null', '~', '12', '0x1F', '0o17', '1.5', '.inf', '-.NaN', '1e3', '007', '${{ steps.a.output }}', 'line one\nline two\n', 'x\n\n'),
  fc.string({ unit: fc.constantFrom('a', 'b', ' ', ':', '#', '-', '"', "'", '\n', '{', '}', ',', 'é', '日', '\\', '.', '1') }),
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const keyArb = fc.oneof(stringArb, fc.constantFrom('agent', 'needs', 'with', '<<', '1', '-1', 'true')).filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));
const dataArb: fc.Arbitrary<PlainData> = fc.letrec<{ value: PlainData }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(stringArb, fc.integer(), fc.double(), fc.boolean(), fc.constant(null)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(keyArb, tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).value;

describe('parseYamlSubset against parseDocument', () => {
  it('accepts and agrees on every file the renderer writes, in any of its styles', () => {
    fc.assert(
      fc.property(dataArb, fc.integer(), (data, seed) => {
        const source = renderYaml(data, seed);
        const { accepted, reference } = expectSameAsDocumentPath(source);
        // The renderer itself is checked against `yaml`: it wrote what it meant to.
        expectSameData(reference.value, data);
        expect(accepted, `refused:\n${source}`).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('agrees under small limits of depth and aliases, and only accepts what the full path accepts', () => {
    const limitsArb = fc.record({
      maxDepth: fc.integer({ min: 1, max: 5 }),
      maxAliasCount: fc.integer({ min: 0, max: 6 }),
      maxAliasExpansion: fc.integer({ min: 0, max: 40 }),
    });
    fc.assert(
      fc.property(dataArb, fc.integer(), limitsArb, (data, seed, limits) => {
        expectSameAsDocumentPath(renderYaml(data, seed), limits);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees on the output of yaml.stringify with its various options', () => {
    fc.assert(
      fc.property(
        dataArb,
        fc.record({
          indent: fc.integer({ min: 1, max: 4 }),
          indentSeq: fc.boolean(),
          collectionStyle: fc.constantFrom('any', 'block', 'flow') as fc.Arbitrary<'any' | 'block' | 'flow'>,
          defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED') as fc.Arbitrary<'PLAIN'>,
          lineWidth: fc.constantFrom(0, 20, 80),
        }),
        fc.integer({ min: 0, max: 3 }),
        (data, options, sharing) => {
          // The same object in several places: yaml.stringify writes an anchor and aliases.
          const shared = [data, { a: data, b: [data, data] }, [{ x: data }, { y: data }], { deep: { deeper: [data] }, again: data }][sharing];
          expectSameAsDocumentPath(stringify(shared, options));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts nothing that the full path would report or read differently (random lines)', () => {
    const fragment = fc.constantFrom(
      'a:', 'a: 1', 'b: x', '- ', '- a: 1', '-', '- - x', '"q": 1', "'s': y", 'k: [a, b]', 'k: {a: 1, b: [c]}', 'k: |', 'k: >-',
      'k: |+', '  text', 'text', '# c', 'k: # c', '&a x', 'k: *a', 'k: !!str 1', '? x', ': y', '---', '...', '%YAML 1.1', 'a: b: c',
      'k: "x" y', 'k: [a,', 'k: {a}', 'k: [a: 1]', '"unterminated', 'k: \'a\'\'b\'', 'k: "\\u00e9\\x41\\q"', '__proto__: 1', 'a: 2',
      'k: - x', 'k: [a, ]', 'k: {a: 1,}', 'k: x #c', 'k: x# c', 'k: [x] #c', 'k: [x]#c', '- |', '-  k: v', 'k: ~', '', ' ', 'k:\tv',
      'k: &a [1, *b]', '- &b {a: 1}', 'k: [*a, *b]', 'k: &a', '- *b', 'k: &b', '&a', '*a', 'k: *a:', 'k: { x: &c 1, y: *c }', '"q" : 1', 'a  : 1', 'k: \u00a0x', '\u00a0: 1', 'k: 😀 #', 'k: "😀"',
    );
    const line = fc.tuple(fc.integer({ min: 0, max: 4 }), fragment).map(([indent, text]) => ' '.repeat(indent) + text);
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        if (expectSameAsDocumentPath(lines.join('\n')).accepted) accepted++;
      }),
      { numRuns: 1500 },
    );
    // The property says something only if the subset parser accepts a fair share of these files.
    expect(accepted).toBeGreaterThan(100);
  });

  it('accepts nothing that the full path would report or read differently (random characters)', () => {
    const unit = fc.constantFrom(' ', ' ', '\n', 'a', 'b', '1', ':', '-', '#', '"', "'", '[', ']', '{', '}', ',', '|', '>', '.', '~', '\\', '&', '*', '!', '?', 'é', '😀', '\u00a0');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (source) => {
        expectSameAsDocumentPath(source);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseYamlSubset on real files', () => {
  it('reads the generated workflows of the benchmark, and the blog workflow', () => {
    for (const source of [generateSyntheticWorkflow({ steps: 300, seed: 7 }), BLOG_WORKFLOW]) {
      expect(expectSameAsDocumentPath(source).accepted).toBe(true);
    }
  });

  it("agrees on the repository's workflows, configuration files and fixtures", () => {
    const root = join(import.meta.dirname, '../../../..');
    const files = ['workflows', 'config', 'examples', 'tests/e2e']
      .flatMap((dir) => readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).map((f) => join(root, dir, f)))
      .filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) expectSameAsDocumentPath(readFileSync(file, 'utf8'));
  });
});

describe('parseYamlSubset leaves to the full parser', () => {
  it.each([
    ['an alias before its anchor', 'a: *x\nb: &x 1\n'],
    ['an alias inside the value it names', 'a: &x [1, *x]\n'],
    ['an anchor on a key', '&k a: 1\n'],
    ['an alias as a key', 'a: &k x\n*k : 1\n'],
    ['two anchors on one value', 'a: &x &y 1\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a document marker', '---\na: 1\n'],
    ['several documents', 'a: 1\n---\nb: 2\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a duplicate key in a flow map', 'a: { b: 1, b: 2 }\n'],
    ['a __proto__ key', 'a:\n  __proto__: 1\n'],
    ['a quoted constructor key', 'a: { "constructor": 1 }\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['a multi-line flow list', 'a: [1,\n  2]\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['a tab', 'a:\t1\n'],
    ['Windows line breaks', 'a: 1\r\nb: 2\r\n'],
    ['a nested map in a compact value', 'a: b: c\n'],
    ['a missing closing quote', 'a: "x\n'],
    ['an unknown escape', 'a: "\\q"\n'],
    ['a block scalar with an indentation indicator', 'a: |2\n   x\n'],
    ['an empty block scalar', 'a: |\nb: 1\n'],
    ['a folded scalar with a more-indented line', 'a: >\n  x\n    y\n'],
  ])('%s', (_, source) => {
    expect(subset(source)).toBeUndefined();
    expectSameAsDocumentPath(source);
  });

  it('nesting deeper than the limit, block or flow', () => {
    const block = 'a:\n  b:\n    c:\n      d: 1\n';
    expect(subset(block, { maxDepth: 3 })).toBeUndefined();
    expect(subset(block, { maxDepth: 4 })).toEqual({ value: { a: { b: { c: { d: 1 } } } } });
    expect(subset('a: [[[1]]]\n', { maxDepth: 3 })).toBeUndefined();
    expect(subset('a: [[[1]]]\n', { maxDepth: 4 })).toEqual({ value: { a: [[[1]]] } });
    expect(loadYaml(block, 'f.yaml', { maxDepth: 3 }).diagnostics.map((d) => d.code)).toEqual(['YAML_TOO_DEEP']);
  });
});

describe('parseYamlSubset anchors and aliases', () => {
  it('expands aliases of scalars, flow and block values into independent copies', () => {
    const source = [
      'base: &retry',
      '  attempts: 3',
      '  delay: 1s',
      'flow: &f { a: [1, &one 1] }',
      'steps:',
      '  a: { retry: *retry, n: *one }',
      '  b:',
      '    retry: *retry',
      '    list:',
      '    - &x text',
      '    - *x',
      '    - *f   # a comment',
      '',
    ].join('\n');
    const value = subset(source)?.value as Record<string, Record<string, Record<string, unknown>>>;
    expect(value.steps).toStrictEqual({
      a: { retry: { attempts: 3, delay: '1s' }, n: 1 },
      b: { retry: { attempts: 3, delay: '1s' }, list: ['text', 'text', { a: [1, 1] }] },
    });
    expect(value.steps!.a!.retry).not.toBe(value.base);
    expect(value.steps!.a!.retry).not.toBe(value.steps!.b!.retry);
    expectSameAsDocumentPath(source);
  });

  it('gives up, as the full path reports, when the aliases pass a limit', () => {
    const lol = ['a: &a [x, x, x]', 'b: &b [*a, *a, *a]', 'c: &c [*b, *b, *b]', 'd: [*c, *c, *c]', ''].join('\n');
    for (const limits of [{}, { maxAliasCount: 12 }, { maxAliasCount: 11 }, { maxAliasExpansion: 60 }, { maxAliasExpansion: 59 }, { maxDepth: 3 }, { maxDepth: 4 }]) {
      expectSameAsDocumentPath(lol, limits);
    }
    expect(subset(lol, { maxAliasCount: 2 })).toBeUndefined();
    expect(subset(lol, { maxAliasExpansion: 10 })).toBeUndefined();
    expect(subset(lol, { maxDepth: 3 })).toBeUndefined();
    expect(subset(lol)).toBeDefined();
  });
});

describe('parseYamlSubset values', () => {
  it('resolves plain scalars with the core schema and keeps quoted ones as strings', () => {
    const source = 'a: [~, null, true, False, 12, -0, 0o17, 0xff, 1.5, 1e3, .inf, -.Inf, .nan, yes, "12", \'true\']\n';
    const value = subset(source)?.value as { a: unknown[] };
    expect(value.a).toStrictEqual([null, null, true, false, 12, -0, 15, 255, 1.5, 1000, Infinity, -Infinity, NaN, 'yes', '12', 'true']);
  });

  it('reads compact lists and maps, lists at their key indentation, block scalars and comments', () => {
    const source = [
      '# comment',
      'steps:',
      '- id: a   # trailing comment',
      '  needs:',
      '  - b',
      '  - - c',
      '    - d',
      '-',
      '  text: |',
      '    line 1',
      '',
      '    # not a comment',
      '  folded: >-',
      '    one',
      '    two',
      '',
      '    three',
      'plain: see ${{ inputs.y }} and http://x:1/ [a] {b}',
      '',
    ].join('\n');
    expect(subset(source)?.value).toStrictEqual({
      steps: [{ id: 'a', needs: ['b', ['c', 'd']] }, { text: 'line 1\n\n# not a comment\n', folded: 'one two\nthree' }],
      plain: 'see ${{ inputs.y }} and http://x:1/ [a] {b}',
    });
    expectSameAsDocumentPath(source);
  });
});
