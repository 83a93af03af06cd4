import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { loadYaml } from './yaml-loader.ts';
import { positionOf } from './testing/positions.ts';

const BILLION_LAUGHS = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`;

describe('loadYaml', () => {
  it('turns a document into plain values with no diagnostics', () => {
    const result = loadYaml('a: 1\nb: [x, "y"]\nc: { d: true, e: ~ }\n', 'f.yaml');
    expect(result.diagnostics).toEqual([]);
    expect(result.value).toEqual({ a: 1, b: ['x', 'y'], c: { d: true, e: null } });
  });

  it('uses the YAML 1.2 core schema: yes/no and on/off stay strings', () => {
    expect(loadYaml('a: yes\nb: off\nc: 0o17\n', 'f.yaml').value).toEqual({ a: 'yes', b: 'off', c: 15 });
  });

  it('refuses a file over the size limit before parsing, at 1:1', () => {
    const source = `a: "${'x'.repeat(200)}"\n`;
    const { diagnostics, value } = loadYaml(source, 'big.yaml', { maxBytes: 100 });
    expect(value).toBeUndefined();
    expect(diagnostics).toEqual([
      { file: 'big.yaml', line: 1, col: 1, code: 'YAML_TOO_LARGE', message: `the file is ${source.length} bytes, more than the limit of 100: split it or raise the limit` },
    ]);
  });

  it('counts the size in UTF-8 bytes, not characters', () => {
    const source = `a: "${'é'.repeat(60)}"\n`; // 60 characters, 120 bytes
    expect(loadYaml(source, 'f.yaml', { maxBytes: 100 }).diagnostics[0]?.code).toBe('YAML_TOO_LARGE');
  });

  it('refuses the billion-laughs document (aliases of aliases)', () => {
    const { diagnostics, value } = loadYaml(BILLION_LAUGHS, 'lol.yaml');
    expect(value).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    const d = diagnostics[0]!;
    expect(d.code).toBe('YAML_TOO_MANY_ALIASES');
    // It points at an alias the author wrote: the line's text at that column starts with `*`.
    expect(BILLION_LAUGHS.split('\n')[d.line - 1]?.[d.col - 1]).toBe('*');
    expect(diagnostics[0]?.message).toBe('more than 100 aliases: write the values out or raise the limit');
  });

  it('refuses aliases that expand past the expansion budget even when they are few', () => {
    const source = `a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: &b [*a, *a, *a, *a, *a]\nc: [*b, *b, *b]\n`;
    const { diagnostics } = loadYaml(source, 'f.yaml', { maxAliasExpansion: 100 });
    expect(diagnostics[0]?.code).toBe('YAML_TOO_MANY_ALIASES');
    expect(diagnostics[0]?.message).toBe('aliases expand to more than 100 values (a "billion laughs" document): write the values out instead');
    expect(diagnostics[0]).toMatchObject(positionOf(source, '*b'));
  });

  it('expands a few aliases into independent copies', () => {
    const { value, diagnostics } = loadYaml('base: &r { attempts: 3 }\none: *r\ntwo: *r\n', 'f.yaml');
    expect(diagnostics).toEqual([]);
    const v = value as Record<string, Record<string, number>>;
    expect(v.one).toEqual({ attempts: 3 });
    expect(v.one).not.toBe(v.two);
  });

  it('refuses block nesting deeper than the limit, at the first level too deep', () => {
    const source = Array.from({ length: 6 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
    const { diagnostics } = loadYaml(source, 'deep.yaml', { maxDepth: 4 });
    expect(diagnostics).toEqual([
      { file: 'deep.yaml', ...positionOf(source, 'k4'), code: 'YAML_TOO_DEEP', message: 'nesting is deeper than 4 levels: flatten the document' },
    ]);
  });

  it('refuses deep flow nesting before parsing, quickly, even a million levels deep', () => {
    const source = `a: ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}\n`;
    const { diagnostics } = loadYaml(source, 'deep.yaml', { maxBytes: 4_000_000 });
    expect(diagnostics).toEqual([
      { file: 'deep.yaml', line: 1, col: 4 + 64, code: 'YAML_TOO_DEEP', message: 'nesting is deeper than 64 levels: flatten the document' },
    ]);
  });

  it('does not count brackets inside quoted strings or comments as nesting', () => {
    const source = `a: "${'['.repeat(100)}"\nb: '${'{'.repeat(100)}'\n# ${'['.repeat(100)}\n`;
    expect(loadYaml(source, 'f.yaml').diagnostics).toEqual([]);
  });

  it("reads `''` inside a single-quoted string as a quote, not as the string's end, when counting nesting", () => {
    expect(loadYaml("a: 'it''s [[[ or {{{'\n", 'f.yaml', { maxDepth: 2 })).toMatchObject({ value: { a: "it's [[[ or {{{" }, diagnostics: [] });
  });

  it('reports the parser giving up on nesting too deep for its stack as YAML_TOO_DEEP', () => {
    const source = Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    const { diagnostics } = loadYaml(source, 'deep.yaml', { maxBytes: 10_000_000 });
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => d.code === 'YAML_TOO_DEEP')).toBe(true);
  });

  it('refuses a %YAML 1.1 directive, at the directive', () => {
    const source = '# header %YAML\n%YAML 1.1\n---\na: yes\n';
    expect(loadYaml(source, 'old.yaml').diagnostics).toEqual([
      { file: 'old.yaml', line: 2, col: 1, code: 'YAML_VERSION_REFUSED', message: '`%YAML 1.1` is refused: workflows are YAML 1.2; remove the directive' },
    ]);
  });

  it('accepts an explicit %YAML 1.2 directive', () => {
    expect(loadYaml('%YAML 1.2\n---\na: 1\n', 'f.yaml').diagnostics).toEqual([]);
  });

  it('reports a duplicate key at the second occurrence, naming the first line, and keeps the first value', () => {
    const source = 'steps:\n  a: 1\n  b: 2\n  a: 3\n';
    const { diagnostics, value } = loadYaml(source, 'dup.yaml');
    expect(diagnostics).toEqual([
      { file: 'dup.yaml', line: 4, col: 3, code: 'YAML_DUPLICATE_KEY', message: 'duplicate key `a`: each key may appear once in a map (first at line 2)' },
    ]);
    expect(value).toEqual({ steps: { a: 1, b: 2 } });
  });

  it('refuses __proto__, constructor and prototype keys and never pollutes a prototype', () => {
    const source = 'a:\n  __proto__: { polluted: true }\n  constructor: { prototype: { polluted: true } }\nb: { prototype: 1 }\n';
    const { diagnostics, value } = loadYaml(source, 'evil.yaml');
    expect(diagnostics.map((d) => [d.code, d.line, d.col, d.message])).toEqual([
      ['YAML_FORBIDDEN_KEY', 2, 3, 'the key `__proto__` is not allowed: rename it'],
      ['YAML_FORBIDDEN_KEY', 3, 3, 'the key `constructor` is not allowed: rename it'],
      ['YAML_FORBIDDEN_KEY', 4, 6, 'the key `prototype` is not allowed: rename it'],
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf((value as Record<string, unknown>).a)).toBe(Object.prototype);
    expect(Object.keys((value as Record<string, object>).a!)).toEqual([]);
    expect(JSON.stringify(value)).toBe('{"a":{},"b":{}}');
  });

  it('also neutralises __proto__ written as a quoted key or reached through an alias', () => {
    const source = 'x: &p { "__proto__": { polluted: 1 } }\ny: *p\n';
    const { diagnostics } = loadYaml(source, 'evil.yaml');
    expect(diagnostics.map((d) => d.code)).toEqual(['YAML_FORBIDDEN_KEY', 'YAML_FORBIDDEN_KEY']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports YAML syntax errors with their position', () => {
    const source = 'a: [1, 2\nb: 3\n';
    const { diagnostics } = loadYaml(source, 'bad.yaml');
    expect(diagnostics[0]).toMatchObject({ code: 'YAML_SYNTAX', line: 2, col: 1 });
    expect(diagnostics[0]?.message).toMatch(/Flow sequence/);
  });

  it('refuses several documents in one file', () => {
    expect(loadYaml('a: 1\n---\nb: 2\n', 'multi.yaml').diagnostics).toEqual([
      { file: 'multi.yaml', line: 2, col: 1, code: 'YAML_SYNTAX', message: 'the file holds several YAML documents (`---`): keep one document per file' },
    ]);
  });

  it('refuses keys that are lists or maps', () => {
    expect(loadYaml('? [a, b]\n: 1\n', 'f.yaml').diagnostics).toEqual([
      { file: 'f.yaml', line: 1, col: 3, code: 'YAML_SYNTAX', message: 'map keys must be plain strings, not lists or maps' },
    ]);
  });

  it('refuses tags that are not plain JSON types, and unknown tags', () => {
    const source = 'a: !!binary aGVsbG8=\nb: !!set { x }\nc: !foo bar\nd: !!str 12\ne: !!js/function "x"\n';
    const { diagnostics } = loadYaml(source, 'tags.yaml');
    // Each at the tagged value.
    const at = (needle: string) => Object.values(positionOf(source, needle));
    expect(diagnostics.map((d) => [d.code, d.line, d.col, d.message])).toEqual([
      ['YAML_SYNTAX', ...at('aGVsbG8='), 'the tag `!!binary` is not supported: workflows hold plain data'],
      ['YAML_SYNTAX', ...at('{ x }'), 'the tag `!!set` is not supported: workflows hold plain data'],
      ['YAML_SYNTAX', ...at('bar'), 'the tag `!foo` is not supported: workflows hold plain data'],
      ['YAML_SYNTAX', ...at('"x"'), 'the tag `!!js/function` is not supported: workflows hold plain data'],
    ]);
    expect(loadYaml('d: !!str 12\n', 'f.yaml').value).toEqual({ d: '12' });
  });

  it('leaves process.env as it was after parsing, errors or not', () => {
    const env = process.env;
    loadYaml('a: [1, 2\n', 'bad.yaml');
    loadYaml('a: 1\n', 'f.yaml');
    expect(process.env).toBe(env);
    expect(Object.keys(process.env).length).toBeGreaterThan(0);
  });

  it('treats an empty file as null', () => {
    expect(loadYaml('', 'empty.yaml')).toMatchObject({ value: null, diagnostics: [] });
  });
});

/** The first error of the `yaml` library itself on the text, as code and line:col. */
function libraryError(source: string): { code: string; line: number; col: number } | undefined {
  const lineCounter = new LineCounter();
  const first = parseDocument(source, { lineCounter, schema: 'core', version: '1.2' }).errors[0];
  return first && { code: first.code, ...lineCounter.linePos(first.pos[0]) };
}

describe('loadYaml reads what the yaml library reads (cases where the removed subset parser differed)', () => {
  // A comment at column 0 between `prompt:` and its value makes `hello` and `with` one multi-line plain
  // scalar used as an implicit key.
  const commentBeforeValue = 'steps:\n  a:\n    agent: x\n    prompt:\n#note\n      hello\n    with:\n      k: v\n';

  it('refuses a column-0 comment between a key and its value where yaml does (MULTILINE_IMPLICIT_KEY), at the right line', () => {
    expect(libraryError(commentBeforeValue)).toEqual({ code: 'MULTILINE_IMPLICIT_KEY', line: 6, col: 7 });
    const { value, diagnostics } = loadYaml(commentBeforeValue, 'wf.yaml');
    expect(value).toBeUndefined();
    expect(diagnostics[0]).toEqual({ file: 'wf.yaml', line: 6, col: 7, code: 'YAML_SYNTAX', message: 'Implicit keys need to be on a single line' });
  });

  it('gives the same verdict when another comment holds a tab (a tab once switched parsers)', () => {
    const listItem = '- a\n-\n#note\n  b\n- c\n';
    for (const source of [commentBeforeValue, listItem]) {
      // The tab goes into a comment added at the end of the first line: every other line and column stays.
      const withTab = source.replace('\n', ' # first\tline\n');
      const plain = loadYaml(source, 'f.yaml');
      expect(loadYaml(withTab, 'f.yaml')).toMatchObject({ value: plain.value, diagnostics: plain.diagnostics });
    }
    expect(loadYaml(listItem.replace('\n', ' # first\tline\n'), 'f.yaml').value).toEqual(['a', 'b - c']);
  });

  it('reads an empty list item followed by a comment and a more-indented line as yaml does', () => {
    const source = '- a\n-\n#note\n  b\n- c\n';
    expect(parseDocument(source).toJS()).toEqual(['a', 'b - c']);
    expect(loadYaml(source, 'f.yaml')).toMatchObject({ value: ['a', 'b - c'], diagnostics: [] });
  });

  it('refuses an anchor on a line before an alias (an alias cannot have properties), at the alias', () => {
    for (const source of ['a: &x 1\nb: &y\n  *x\n', 'a: &x 1\nb: &y\n\n  *x\n']) {
      const expected = libraryError(source);
      expect(expected?.code).toBe('ALIAS_PROPS');
      const { value, diagnostics } = loadYaml(source, 'f.yaml');
      expect(value).toBeUndefined();
      expect(diagnostics).toEqual([
        { file: 'f.yaml', line: expected!.line, col: 3, code: 'YAML_SYNTAX', message: 'An alias node must not specify any properties' },
      ]);
    }
  });

  it('limits implicit keys to 1024 characters whatever their indentation, at the key', () => {
    for (const indent of [0, 2, 30]) {
      const pad = ' '.repeat(indent);
      const doc = (key: string) => `${indent > 0 ? 'top:\n' : ''}${pad}first: 1\n${pad}${key}: 2\n`;
      const line = indent > 0 ? 3 : 2;
      expect(loadYaml(doc('k'.repeat(1024)), 'f.yaml').diagnostics, `indent ${indent}`).toEqual([]);
      const refused = loadYaml(doc('k'.repeat(1025)), 'f.yaml').diagnostics;
      expect(refused, `indent ${indent}`).toEqual([
        { file: 'f.yaml', line, col: indent + 1, code: 'YAML_SYNTAX', message: 'The : indicator must be at most 1024 chars after the start of an implicit block mapping key' },
      ]);
      expect(libraryError(doc('k'.repeat(1025)))).toEqual({ code: 'KEY_OVER_1024_CHARS', line, col: indent + 1 });
    }
  });

  it('does not take brackets inside a plain scalar for nesting', () => {
    const text = `see ${'['.repeat(80)} and ${'{'.repeat(80)}`;
    expect(loadYaml(`a: ${text}\n`, 'f.yaml')).toMatchObject({ value: { a: text }, diagnostics: [] });
  });
});

describe('YamlSourceMap', () => {
  const source = 'steps:\n  outline:\n    agent: writer.outline\n    needs: [a, b]\n    with:\n      title: "About ${{ inputs.x }}"\n      plain: see ${{ inputs.y }}\n    timeout:\n';
  const { sourceMap } = loadYaml(source, 'map.yaml');

  it('locates values and keys', () => {
    expect(sourceMap.locate(['steps', 'outline', 'agent'])).toEqual(positionOf(source, 'writer.outline'));
    expect(sourceMap.locate(['steps', 'outline', 'needs', 1])).toEqual(positionOf(source, 'b]'));
    expect(sourceMap.locateKey(['steps', 'outline'])).toEqual(positionOf(source, 'outline'));
  });

  it('falls back to the nearest ancestor for a missing path, and to the key for an empty value', () => {
    expect(sourceMap.locate(['steps', 'outline', 'nope'])).toEqual(positionOf(source, 'agent'));
    expect(sourceMap.locate(['steps', 'outline', 'timeout'])).toEqual(positionOf(source, 'timeout'));
    expect(sourceMap.locate([])).toEqual({ line: 1, col: 1 });
  });

  it('locates a character inside a plain or quoted single-line string', () => {
    expect(sourceMap.locateInValue(['steps', 'outline', 'with', 'title'], 6)).toEqual(positionOf(source, '${{ inputs.x'));
    expect(sourceMap.locateInValue(['steps', 'outline', 'with', 'plain'], 4)).toEqual(positionOf(source, '${{ inputs.y'));
  });

  it('falls back to the string itself when characters do not map one to one', () => {
    const escaped = 'a: "tab\\there ${{ x }}"\nb: >\n  folded ${{ y }}\n';
    const map = loadYaml(escaped, 'f.yaml').sourceMap;
    expect(map.locateInValue(['a'], 9)).toEqual({ line: 1, col: 4 });
    expect(map.locateInValue(['b'], 7)).toEqual({ line: 2, col: 4 });
  });
});
