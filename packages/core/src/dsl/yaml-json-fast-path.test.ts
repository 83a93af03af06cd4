import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countKeySeparators, jsonFastPathValue } from './yaml-json-fast-path.ts';
import { loadYaml } from './yaml-loader.ts';

const MAX_DEPTH = 64;
const viaYaml = (text: string, file = 'f.json') => loadYaml(text, file, { maxBytes: 10_000_000 }, { jsonFastPath: false });
const viaFastPath = (text: string, file = 'f.json') => loadYaml(text, file, { maxBytes: 10_000_000 });

/** JSON objects of any content (full Unicode strings, -0, large and small numbers), without refused keys. */
const jsonObject = fc
  .dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ stringUnit: 'binary', maxDepth: 6 }), { maxKeys: 8 })
  .filter((o) => !JSON.stringify(o).match(/"(__proto__|constructor|prototype)":/));

/** The ways programs write JSON: compact, indented with spaces or tabs, Windows line ends. */
const layouts: ((o: unknown) => string)[] = [
  (o) => JSON.stringify(o),
  (o) => JSON.stringify(o, null, 2),
  (o) => `${JSON.stringify(o, null, '\t')}\n`,
  (o) => JSON.stringify(o, null, 1).replaceAll('\n', '\r\n'),
  (o) => `\n  ${JSON.stringify(o, null, 4)}  \n`,
];

describe('the JSON fast path of the loader', () => {
  it('gives exactly the value the yaml path gives, for any JSON object in any layout', () => {
    fc.assert(
      fc.property(jsonObject, fc.integer({ min: 0, max: layouts.length - 1 }), (object, layout) => {
        const text = layouts[layout]!(object);
        const fast = jsonFastPathValue(text, MAX_DEPTH);
        expect(fast).toBeDefined();
        const slow = viaYaml(text);
        expect(slow.diagnostics).toEqual([]);
        expect(fast).toStrictEqual(slow.value);
        // Key order too: steps keep their file order.
        expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.value));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps -0, long integers and exponents as yaml reads them', () => {
    const text = '{"a": -0, "b": 12345678901234567890123, "c": 1E+2, "d": 1.0, "e": 0.1e-2, "f": "\\/\\u00e9\\ud83d\\ude00"}';
    expect(jsonFastPathValue(text, MAX_DEPTH)).toStrictEqual(viaYaml(text).value);
    expect(Object.is((jsonFastPathValue(text, MAX_DEPTH) as { a: number }).a, -0)).toBe(true);
  });

  it('accepts a key over 1,024 characters, as yaml does for a quoted flow key', () => {
    const text = `{"${'k'.repeat(1030)}": 1}`;
    expect(viaYaml(text).diagnostics).toEqual([]);
    expect(jsonFastPathValue(text, MAX_DEPTH)).toStrictEqual(viaYaml(text).value);
  });

  it('leaves duplicate keys to yaml, which refuses them with their position (JSON.parse keeps the last)', () => {
    for (const text of ['{"a": 1, "a": 2}', '{"s": {"x": {"a": 1}, "y": {"b": 1, "b": 1}}}', '{"l": [{"k": 1, "k": 2}]}']) {
      expect(jsonFastPathValue(text, MAX_DEPTH)).toBeUndefined();
      const loaded = viaFastPath(text);
      expect(loaded.diagnostics.map((d) => d.code)).toEqual(['YAML_DUPLICATE_KEY']);
      expect(loaded).toEqual(viaYaml(text));
    }
  });

  it('leaves refused keys, too deep nesting and lone carriage returns to yaml', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const text = `{"a": {"${key}": {"polluted": true}}}`;
      expect(jsonFastPathValue(text, MAX_DEPTH)).toBeUndefined();
      expect(viaFastPath(text).diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['YAML_FORBIDDEN_KEY', 1, 8]]);
    }
    expect(jsonFastPathValue('{"a": {"b": {"c": 1}}}', 3)).toBeDefined();
    expect(jsonFastPathValue('{"a": {"b": {"c": {}}}}', 3)).toBeUndefined();
    // JSON whitespace, but not a YAML line break: yaml reads the value as the string "\r1".
    expect(jsonFastPathValue('{"a":\r1}', MAX_DEPTH)).toBeUndefined();
    expect(viaFastPath('{"a":\r1}').value).toEqual(viaYaml('{"a":\r1}').value);
  });

  it('falls back on JSON nested past the limit, which yaml then refuses at the bracket (JSON.parse itself copes)', () => {
    const text = `{"a": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const loaded = viaFastPath(text);
    expect(loaded.diagnostics.map((d) => [d.code, d.line, d.col])).toEqual([['YAML_TOO_DEEP', 1, 6 + MAX_DEPTH]]);
    expect(loaded.diagnostics).toEqual(viaYaml(text).diagnostics);
  });

  it('is not taken for YAML, JSON arrays or scalars, text after the object, or a byte-order mark', () => {
    for (const text of ['a: 1\n', '[1, 2]', '"x"', '{"a": 1}\nb: 2\n', '{a: 1}', '\ufeff{"a": 1}', '# c\n{"a": 1}']) {
      expect(jsonFastPathValue(text, MAX_DEPTH)).toBeUndefined();
    }
  });

  it('counts the separators of members only, not colons inside strings or escaped quotes', () => {
    expect(countKeySeparators('{"a:b": "c:\\"d:", "e": {"f": "\\\\:"}}')).toBe(3);
    expect(countKeySeparators('{"a": 1}\r\n')).toBe(1);
    expect(countKeySeparators('{"a":\r1}')).toBe(-1);
  });

  it('builds no yaml Document for a valid JSON text until a position is asked for, then the same positions', () => {
    const text = '{\n  "version": 1,\n  "steps": {\n    "a": {"agent": "x"}\n  }\n}\n';
    const fast = viaFastPath(text);
    expect(fast.sourceMap.documentParsed).toBe(false);
    const slow = viaYaml(text);
    for (const path of [['steps', 'a', 'agent'], ['steps', 'a'], ['version'], ['steps', 'zz']]) {
      expect(fast.sourceMap.locate(path)).toEqual(slow.sourceMap.locate(path));
      expect(fast.sourceMap.locateKey(path)).toEqual(slow.sourceMap.locateKey(path));
    }
    expect(fast.sourceMap.documentParsed).toBe(true);
    expect(fast.sourceMap.locateKey(['steps', 'a'])).toEqual({ line: 4, col: 5 });
  });
});
