import { resolve } from 'node:path';
import { UcopError, readTextFile, resolveInside } from '@ucop/core';
import { renderTemplate } from '../prompts/template.ts';

/** Largest prompt template read from `prompts/`. */
const MAX_PROMPT_BYTES = 1024 * 1024;

/** Where `llm.generate` finds its prompt. */
export interface PromptSource {
  /** Inline prompt text (the step's `prompt:`). */
  prompt?: string;
  /** A template under the prompts directory (the step's `prompt_file:`), e.g. `manuscript/analyze.md`. */
  promptFile?: string;
  /** Data the template shows (`vars:`): inserted verbatim, never evaluated, never parsed as a template. */
  vars?: Record<string, unknown>;
}

/**
 * The prompt of one call. A `prompt_file` is always a logic-less (mustache) template rendered with `vars`;
 * an inline `prompt` is a template only when `vars` is given, otherwise it is sent as written (it may already
 * hold values the engine inserted from `${{ }}`, and those must not be read as template tags).
 */
export async function renderPromptSource(source: PromptSource, promptsDir: string, signal: AbortSignal): Promise<string> {
  if (source.promptFile !== undefined) {
    const path = resolveInside(resolve(promptsDir), source.promptFile);
    let template: string;
    try {
      template = await readTextFile(path, { maxBytes: MAX_PROMPT_BYTES, what: 'prompt template', signal });
    } catch (error) {
      if (signal.aborted) throw error;
      if (error instanceof UcopError && error.code === 'FILE_NOT_FOUND') {
        throw new UcopError('FILE_NOT_FOUND', `prompt_file \`${source.promptFile}\` not found in ${promptsDir}; create it or fix the name`, { fields: { promptFile: source.promptFile, promptsDir } });
      }
      throw error;
    }
    return renderTemplate(template, source.vars ?? {});
  }
  const prompt = source.prompt ?? '';
  return source.vars === undefined ? prompt : renderTemplate(prompt, source.vars);
}
