import { describe, expect, it } from 'vitest';
import { validateBlock } from './validate-block.ts';

describe('validateBlock', () => {
  it('accepts valid TypeScript, JavaScript, TSX, JSON and YAML', () => {
    expect(validateBlock('const x: number = 1;\nexport type T = { a: string };', 'typescript')).toEqual({ lang: 'ts', ok: true, checked: true, errors: [] });
    expect(validateBlock('export const f = async () => await fetch("x");', 'js').ok).toBe(true);
    expect(validateBlock('const el = <div className="a">{x}</div>;', 'tsx').ok).toBe(true);
    expect(validateBlock('{"a": [1, 2, {"b": null}]}', 'json').ok).toBe(true);
    expect(validateBlock('a: 1\nb:\n  - x\n---\nc: 2\n', 'yml')).toEqual({ lang: 'yaml', ok: true, checked: true, errors: [] });
  });

  it('reports a TypeScript syntax error at its line and column within the block', () => {
    const code = 'const ok = 1;\n\nconst broken = ;\nexport {};\n';
    const verdict = validateBlock(code, 'ts');
    expect(verdict.ok).toBe(false);
    expect(verdict.errors).toEqual([{ line: 3, col: 16, message: 'Expression expected.' }]);
    expect(verdict.errors[0]!.message).not.toBe('');
  });

  it('reports TypeScript-only syntax in a JavaScript block', () => {
    const verdict = validateBlock('let a = 1;\nlet b: number = 2;', 'javascript');
    expect(verdict.ok).toBe(false);
    expect(verdict.errors[0]).toMatchObject({ line: 2, col: 8 });
  });

  it('reports broken JSON with the line and column of the problem', () => {
    expect(validateBlock('{\n  "a": 1,\n  "b": 2,\n}', 'json').errors).toEqual([expect.objectContaining({ line: 4, col: 1 })]);
    // Where JSON.parse gives no position, the scanner finds it: the character after the broken literal.
    const [literal] = validateBlock('{\n  "a": tru\n}', 'json').errors;
    expect(literal).toMatchObject({ line: 2, col: 11 });
    expect(literal!.message).not.toContain('\n');
    expect(validateBlock('[1, 2', 'json').errors).toEqual([expect.objectContaining({ line: 1, col: 6 })]);
  });

  it('reports broken YAML with its line and column, duplicate keys included', () => {
    expect(validateBlock('a: 1\nb: [1, 2\nc: 3\n', 'yaml').errors[0]).toMatchObject({ line: 3 });
    const duplicate = validateBlock('name: a\nother: b\nname: c\n', 'yaml');
    expect(duplicate.errors[0]).toMatchObject({ line: 3, col: 1 });
    expect(validateBlock('key: "unterminated\n', 'yaml').ok).toBe(false);
  });

  it('leaves languages it cannot check unchecked, not failed', () => {
    expect(validateBlock('rm -rf /tmp/x &&& echo', 'bash')).toEqual({ lang: 'sh', ok: true, checked: false, errors: [] });
    expect(validateBlock('anything', '')).toEqual({ lang: '', ok: true, checked: false, errors: [] });
  });
});
