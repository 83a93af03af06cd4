import { UcopError, type AgentDefinition } from '@ucop/core';
import { validateBlock } from './validate-block.ts';
import type { CodeError } from './validators/code-error.ts';

/** A block to check: code.generate's examples or ingest.markdown's code blocks both fit. */
export type BlockToValidate = { index?: number; lang: string; code: string; line?: number; file?: string; [key: string]: unknown };

/** An error with, when the block's fence line is known, the line in the source file. */
export type BlockError = CodeError & { source_line?: number };

export type BlockReport = { index: number; lang: string; ok: boolean; checked: boolean; errors: BlockError[]; file?: string };

export type CodeValidateInput = {
  blocks: BlockToValidate[];
  /** Fail the step (AGENT_ERROR naming each block and line) when a block is invalid. @default false */
  fail_on_invalid?: boolean;
  /** State key that receives one flag per invalid block ('' writes none). @default '' */
  flags_key?: string;
};

export type CodeValidateOutput = { blocks: BlockReport[]; ok: boolean; checked: number; failed: number };

function describe(report: BlockReport): string {
  const where = report.file ? ` from ${report.file}` : '';
  const first = report.errors[0];
  const at = first ? `line ${first.line}, col ${first.col}${first.source_line ? ` (file line ${first.source_line})` : ''}: ${first.message}` : 'invalid';
  return `code block ${report.index} (${report.lang})${where}: ${at}`;
}

/**
 * `code.validate`: really checks code blocks: TypeScript and JavaScript are transpiled by the TypeScript
 * compiler (syntax diagnostics), JSON is parsed with JSON.parse, YAML with `yaml`. Each error has its
 * line and column within the block (and in the source file when the block's fence line is known).
 * Languages it cannot check are reported as unchecked, not as errors.
 */
export const codeValidateAgent: AgentDefinition<CodeValidateInput, CodeValidateOutput> = {
  name: 'code.validate',
  version: '1',
  description: 'Validates code blocks: TS/JS transpiled with the TypeScript compiler, JSON parsed, YAML parsed; reports block, line and column.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['blocks'],
    properties: {
      blocks: {
        type: 'array',
        description: "the code blocks to check: code.generate's blocks or ingest.markdown's code_blocks",
        items: {
          type: 'object',
          required: ['lang', 'code'],
          properties: { index: { type: 'integer', minimum: 0 }, lang: { type: 'string' }, code: { type: 'string' }, line: { type: 'integer', minimum: 1 }, file: { type: 'string' } },
        },
      },
      fail_on_invalid: { type: 'boolean', default: false, description: 'fail the step (AGENT_ERROR naming each block and line) when a block does not parse' },
      flags_key: { type: 'string', pattern: '^([a-z][a-z0-9_]*)?$', default: '', description: "state key for one flag per invalid block; '' writes none" },
    },
  },
  outputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['blocks', 'ok', 'checked', 'failed'],
    properties: {
      blocks: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['index', 'lang', 'ok', 'checked', 'errors'],
          properties: {
            index: { type: 'integer', minimum: 0 },
            lang: { type: 'string' },
            ok: { type: 'boolean' },
            checked: { type: 'boolean' },
            file: { type: 'string' },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['line', 'col', 'message'],
                properties: { line: { type: 'integer', minimum: 1 }, col: { type: 'integer', minimum: 1 }, message: { type: 'string' }, source_line: { type: 'integer', minimum: 1 } },
              },
            },
          },
        },
      },
      ok: { type: 'boolean' },
      checked: { type: 'integer', minimum: 0 },
      failed: { type: 'integer', minimum: 0 },
    },
  },
  estimateMs: 500,
  async run(ctx, input) {
    const reports: BlockReport[] = [];
    for (const [position, block] of input.blocks.entries()) {
      ctx.signal.throwIfAborted();
      const verdict = validateBlock(block.code, block.lang);
      const errors: BlockError[] = verdict.errors.map((e) => (block.line === undefined ? e : { ...e, source_line: block.line + e.line }));
      const report: BlockReport = { index: block.index ?? position, lang: verdict.lang, ok: verdict.ok, checked: verdict.checked, errors };
      if (typeof block.file === 'string' && block.file !== '') report.file = block.file;
      reports.push(report);
      // Transpiling is synchronous; yield between blocks so an abort (timeout, fail-fast) is seen.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const failed = reports.filter((r) => !r.ok);
    if (input.flags_key && failed.length > 0) {
      ctx.state.write(
        input.flags_key,
        failed.map((r) => ({ kind: 'invalid_code', step: ctx.run.stepId, block: r.index, lang: r.lang, message: describe(r) })),
      );
    }
    if (input.fail_on_invalid && failed.length > 0) {
      throw new UcopError('AGENT_ERROR', `${failed.length} code block(s) do not parse: ${failed.map(describe).join('; ')}; fix the code in the article`, {
        fields: { failed: failed.map((r) => ({ index: r.index, lang: r.lang, errors: r.errors })) },
      });
    }
    return { blocks: reports, ok: failed.length === 0, checked: reports.filter((r) => r.checked).length, failed: failed.length };
  },
};
