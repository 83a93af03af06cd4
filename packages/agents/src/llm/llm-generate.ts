import { resolve } from 'node:path';
import { UcopError } from '@ucop/core';
import type { AgentDefinition, JsonSchema, LlmRequest } from '@ucop/core';
import { loadOutputSchema } from './output-schema.ts';
import { renderPromptSource } from './prompt-source.ts';
import { structuredAnswer } from './structured-answer.ts';

/** The step's `with:` of `llm.generate`. */
export interface LlmGenerateInput {
  prompt?: string;
  prompt_file?: string;
  vars?: Record<string, unknown>;
  system?: string;
  provider?: string;
  model?: string;
  temperature?: number;
  max_tokens?: number;
  stop?: string | string[];
  output_schema?: JsonSchema | string;
  /** Calls made for a structured answer before LLM_OUTPUT_INVALID, the first included. @default 3 */
  max_attempts?: number;
}

/** The output without `output_schema`. With one, the output is the validated answer itself. */
export interface LlmGenerateText {
  text: string;
  provider: string;
  model: string;
  /** True when the offline provider wrote it (no model was called). */
  offline: boolean;
}

export interface LlmGenerateOptions {
  /** Where `prompt_file` names are looked up. @default `<projectDir>/prompts` */
  promptsDir?: string;
  /** What `output_schema` file paths are relative to. @default process.cwd() */
  projectDir?: string;
}

const DEFAULT_MAX_ATTEMPTS = 3;

const TEXT_OUTPUT: JsonSchema = {
  type: 'object',
  required: ['text', 'provider', 'model', 'offline'],
  properties: { text: { type: 'string' }, provider: { type: 'string' }, model: { type: 'string' }, offline: { type: 'boolean' } },
  additionalProperties: false,
};

/**
 * `llm.generate`: one model call written in YAML alone. Text by default (`{ text, provider, model, offline }`);
 * with `output_schema`, structured output through the provider's JSON mode, validated with ajv and asked for
 * again with the errors (see structured-answer.ts), and the validated value is the step's output. The
 * validator reads the declared schema (`outputSchemaFor`), so references to its fields are checked before
 * the run.
 */
export function createLlmGenerateAgent(options: LlmGenerateOptions = {}): AgentDefinition<LlmGenerateInput, unknown> {
  const projectDir = (): string => resolve(options.projectDir ?? process.cwd());
  const promptsDir = (): string => options.promptsDir ?? resolve(projectDir(), 'prompts');
  return {
    name: 'llm.generate',
    version: '1',
    description: 'Calls a text model with a prompt (inline or a template under prompts/); with output_schema, returns JSON validated against it.',
    inputSchema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        prompt: { description: 'The prompt, sent as written (a mustache template when `vars` is given).', type: 'string', minLength: 1 },
        prompt_file: { description: 'A mustache template under prompts/, e.g. `book/analyze.md`, rendered with `vars`.', type: 'string', minLength: 1 },
        vars: { description: 'Data the template shows; inserted verbatim, never evaluated.', type: 'object' },
        system: { description: 'The system prompt.', type: 'string' },
        provider: { description: 'The provider to call (see config/providers.yaml); default: the step\'s or the run\'s.', type: 'string', minLength: 1 },
        model: { description: 'A model id instead of the provider\'s configured one.', type: 'string', minLength: 1 },
        temperature: { description: 'Sampling temperature, 0 to 2.', type: 'number', minimum: 0, maximum: 2 },
        max_tokens: { description: 'Most tokens in the answer.', type: 'integer', minimum: 1 },
        stop: { description: 'Stop sequence(s), for text answers.', anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, maxItems: 16 }] },
        output_schema: { description: 'A JSON Schema (inline, or a .json file in the project) the answer must match.', type: ['object', 'string'] },
        max_attempts: { description: 'Calls for a structured answer before LLM_OUTPUT_INVALID (default 3).', type: 'integer', minimum: 1, maximum: 10 },
      },
    },
    outputSchema: {},
    estimateMs: 5_000,
    outputSchemaFor: (input) => (input.output_schema === undefined ? TEXT_OUTPUT : loadOutputSchema(input.output_schema, projectDir())),
    async run(ctx, input) {
      // Checked here rather than in the schema: before the run, a `prompt: ${{ ... }}` has no value yet.
      if ((input.prompt === undefined) === (input.prompt_file === undefined)) {
        throw new UcopError('AGENT_INPUT_INVALID', '`llm.generate` needs exactly one of `prompt` and `prompt_file` in `with:`', { fields: { stepId: ctx.run.stepId } });
      }
      const prompt = await renderPromptSource(
        { ...(input.prompt === undefined ? {} : { prompt: input.prompt }), ...(input.prompt_file === undefined ? {} : { promptFile: input.prompt_file }), ...(input.vars === undefined ? {} : { vars: input.vars }) },
        promptsDir(),
        ctx.signal,
      );
      const request: LlmRequest = {
        prompt,
        ...(input.system === undefined ? {} : { system: input.system }),
        ...(input.provider === undefined ? {} : { provider: input.provider }),
        ...(input.model === undefined ? {} : { model: input.model }),
        ...(input.temperature === undefined ? {} : { temperature: input.temperature }),
        ...(input.max_tokens === undefined ? {} : { maxTokens: input.max_tokens }),
        ...(input.stop === undefined ? {} : { stop: typeof input.stop === 'string' ? [input.stop] : input.stop }),
      };
      if (input.output_schema === undefined) {
        const response = await ctx.llm.generate(request, ctx.signal);
        const output: LlmGenerateText = { text: response.text, provider: response.provider, model: response.model, offline: response.offline };
        return output;
      }
      const schema = loadOutputSchema(input.output_schema, projectDir());
      const answer = await structuredAnswer(ctx.llm, request, schema, input.max_attempts ?? DEFAULT_MAX_ATTEMPTS, ctx.signal);
      if (answer.attempts > 1) ctx.logger.info('structured answer matched the schema after corrections', { attempts: answer.attempts });
      if (answer.response.offline) ctx.logger.info('structured answer written offline (a deterministic instance of the schema)', { provider: answer.response.provider });
      return answer.value;
    },
  };
}
