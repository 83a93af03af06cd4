import type { AgentContext } from '@ucop/core';
import { renderPrompt } from '../prompts/template.ts';
import { toContextDocument, type Source } from '../sources/source.ts';
import { stripLeadingHeading } from './strip-heading.ts';
import type { WrittenText } from './written-text.ts';

export interface TextRequest {
  /** Prompt template name (prompts/<template>.md). */
  template: string;
  view: Record<string, unknown>;
  /** The heading the text goes under; the offline writer arranges its answer under it. */
  heading: string;
  context: readonly Source[];
  maxTokens: number;
  promptsDir?: string;
}

/**
 * Renders the prompt, asks the provider layer for the text with the sources as context, and strips the
 * heading the model may have repeated. Every text writer goes through here.
 */
export async function generateText(ctx: AgentContext, request: TextRequest): Promise<WrittenText> {
  const prompt = await renderPrompt(request.template, request.view, { dir: request.promptsDir, signal: ctx.signal });
  const response = await ctx.llm.generate(
    { prompt, purpose: request.heading, maxTokens: request.maxTokens, context: request.context.map(toContextDocument) },
    ctx.signal,
  );
  ctx.span.setAttributes({ 'llm.provider': response.provider, 'llm.model': response.model, 'llm.offline': response.offline });
  return {
    heading: request.heading,
    text: stripLeadingHeading(response.text),
    offline: response.offline,
    provider: response.provider,
    model: response.model,
    sources: request.context.map((s) => s.id),
  };
}
