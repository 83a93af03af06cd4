import { describe, expect, it } from 'vitest';
import { isUcopError } from '@ucop/core';
import { createFakeContext } from '../testing/fake-context.ts';
import { schemaErrors } from '../testing/schema-assert.ts';
import type { ApiReference } from '../ingest/api-reference.ts';
import { validateBlock } from './validate-block.ts';
import { codeGenerateAgent } from './code-generate.ts';
import { codeValidateAgent } from './code-validate.ts';

const REFERENCE: ApiReference = {
  path: 'api/options.json',
  format: 'json',
  title: 'ClientOptions',
  summary: 'Options.',
  symbols: [
    { name: 'timeoutMs', kind: 'option', description: 'Attempt timeout. Counted per attempt.', type: 'number', default: '2000' },
    { name: 'retry-on', kind: 'option', description: 'Codes */ retried.', default: '[429,503]' },
    { name: 'get', kind: 'method', description: 'Fetches.' },
  ],
  examples: [{ lang: 'TypeScript', code: 'client.get("/x");', title: 'Getting' }],
};

describe('code.generate', () => {
  it("keeps the article's blocks under their sections, adds reference examples and a generated options example", async () => {
    const fake = await createFakeContext();
    const out = await codeGenerateAgent.run(fake.ctx, {
      path: 'kb.md',
      blocks: [
        { index: 0, lang: 'ts', code: 'const a = 1;', line: 5, section: 'Setup' },
        { index: 1, lang: 'ts', code: 'const  a = 1;\n', line: 9, section: 'Again' },
        { index: 2, lang: 'yaml', code: '   ', line: 12, section: null },
      ],
      references: [REFERENCE],
    });
    expect(schemaErrors(codeGenerateAgent.outputSchema, out)).toBe('');
    expect(out.blocks.map((b) => [b.index, b.lang, b.origin, b.section, b.title])).toEqual([
      [0, 'ts', 'article', 'Setup', 'Setup'],
      [1, 'ts', 'api', null, 'Getting'],
      [2, 'ts', 'generated', null, 'ClientOptions options'],
    ]);
    const generated = out.blocks[2]!.code;
    expect(generated).toContain('  timeoutMs: 2000, // Attempt timeout.');
    expect(generated).toContain('  "retry-on": [429,503], // Codes * / retried.');
    expect(validateBlock(generated, 'ts').ok).toBe(true);
  });

  it('caps the number of examples', async () => {
    const fake = await createFakeContext();
    const blocks = Array.from({ length: 5 }, (_, i) => ({ index: i, lang: 'js', code: `f(${i});`, line: i + 1, section: null }));
    expect((await codeGenerateAgent.run(fake.ctx, { blocks, max_blocks: 2 })).blocks).toHaveLength(2);
  });
});

describe('code.validate', () => {
  const blocks = [
    { index: 0, lang: 'ts', code: 'const ok = 1;', line: 3 },
    { index: 1, lang: 'json', code: '{\n  "a": 1,\n}', line: 10, file: 'kb.md' },
    { index: 2, lang: 'yaml', code: 'a: [1\n', line: 20 },
    { index: 3, lang: 'ts', code: 'let x = ;' },
    { index: 4, lang: 'sh', code: 'echo hi' },
  ];

  it('reports each block with its errors, in-block and in-file lines', async () => {
    const fake = await createFakeContext();
    const out = await codeValidateAgent.run(fake.ctx, { blocks });
    expect(schemaErrors(codeValidateAgent.outputSchema, out)).toBe('');
    expect(out.blocks.map((b) => [b.index, b.lang, b.ok, b.checked])).toEqual([
      [0, 'ts', true, true],
      [1, 'json', false, true],
      [2, 'yaml', false, true],
      [3, 'ts', false, true],
      [4, 'sh', true, false],
    ]);
    expect(out.blocks[1]!.errors).toEqual([expect.objectContaining({ line: 3, col: 1, source_line: 13 })]);
    expect(out.blocks[1]!.file).toBe('kb.md');
    expect(out.blocks[3]!.errors[0]).toMatchObject({ line: 1, col: 9 });
    expect(out.blocks[3]!.errors[0]).not.toHaveProperty('source_line');
    expect(out).toMatchObject({ ok: false, checked: 4, failed: 3 });
    expect(fake.writes).toEqual([]);
  });

  it('writes one flag per invalid block when asked', async () => {
    const fake = await createFakeContext({ run: { stepId: 'code_validation' } });
    await codeValidateAgent.run(fake.ctx, { blocks, flags_key: 'flags' });
    const flags = fake.writes[0]!.value as { kind: string; block: number; message: string }[];
    expect(fake.writes[0]!.key).toBe('flags');
    expect(flags.map((f) => [f.kind, f.block])).toEqual([
      ['invalid_code', 1],
      ['invalid_code', 2],
      ['invalid_code', 3],
    ]);
    expect(flags[0]!.message).toContain('code block 1 (json) from kb.md: line 3, col 1 (file line 13)');
  });

  it('fails with AGENT_ERROR naming the blocks when fail_on_invalid is set', async () => {
    const fake = await createFakeContext();
    const error = await codeValidateAgent.run(fake.ctx, { blocks, fail_on_invalid: true }).catch((e: unknown) => e);
    expect(isUcopError(error) && error.code).toBe('AGENT_ERROR');
    expect(isUcopError(error) && error.message).toMatch(/^3 code block\(s\) do not parse: code block 1 \(json\)/);
    expect(isUcopError(error) && error.retryable).toBe(false);
    const valid = await codeValidateAgent.run(fake.ctx, { blocks: [blocks[0]!], fail_on_invalid: true });
    expect(valid.ok).toBe(true);
  });

  it('stops between blocks once the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const fake = await createFakeContext({ signal: controller.signal });
    await expect(codeValidateAgent.run(fake.ctx, { blocks })).rejects.toThrow();
  });
});
